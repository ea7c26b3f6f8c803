/*
 * Complaint gateway chat widget. Embed with one tag:
 *
 *   <script src="https://support.example.com/assets/widget.js" async
 *           data-lang="zh" data-title="在线客服" data-prechat="true"></script>
 *
 * data-lang      zh | en (default: the browser's language)
 * data-title     header text (default: "Customer service" / "在线客服")
 * data-prechat   "false" hides the optional name / contact / order fields
 * data-open      "true" opens the panel on load
 *
 * When the gateway asks how satisfied the visitor is (a message marked kind 'csat'),
 * the widget shows it with rating buttons 1–5; a click sends the rating as the
 * visitor's answer ("1分" / "1/5", read like a typed one); the next message from
 * the box is then an optional comment on it (sent with csatComment: true).
 *
 * It talks to the gateway that served this file over a WebSocket (/chat/ws). The
 * signed session token kept in localStorage is the only key to the conversation:
 * a reload resumes it; another browser cannot read it. Every piece of text from
 * the visitor or the gateway is put in the page with textContent, never as HTML.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__gwChatWidget) return;
  window.__gwChatWidget = true;

  var base = new URL(script.src, location.href);
  var ORIGIN = base.origin;
  var SOCKET_URL = ORIGIN.replace(/^http/, 'ws') + '/chat/ws';
  var TOKEN_KEY = 'gw-chat:' + ORIGIN + ':session';
  var LANG_KEY = 'gw-chat:' + ORIGIN + ':lang';
  var PROFILE_KEY = 'gw-chat:' + ORIGIN + ':profile';
  var ds = script.dataset || {};

  var T = {
    en: {
      title: 'Customer service',
      open: 'Open chat with customer service',
      close: 'Close chat',
      conversation: 'Conversation',
      intro: 'Tell us what went wrong. We usually answer within minutes.',
      message: 'Your message',
      placeholder: 'Type your message…',
      send: 'Send',
      about: 'About you (optional)',
      name: 'Name',
      contact: 'E-mail or mobile number',
      order: 'Order number',
      you: 'You',
      agent: 'Agent',
      bot: 'Assistant',
      system: 'Assistant',
      typing: 'Customer service is typing…',
      ticket: 'Ticket',
      track: 'Track progress',
      connecting: 'Connecting…',
      reconnecting: 'Connection lost. Reconnecting…',
      sending: 'sending…',
      failed: 'not sent',
      tooMany: 'You are sending messages too fast. Please wait a minute.',
      unavailable: 'The service is unavailable right now. We will retry.',
      switchTo: '中文',
      switchLabel: 'Switch to Chinese',
      rate: 'Rate our service from 1 to 5',
      scores: ['1 – very dissatisfied', '2 – dissatisfied', '3 – neutral', '4 – satisfied', '5 – very satisfied'],
      scaleLow: '1 = very dissatisfied',
      scaleHigh: '5 = very satisfied',
      rated: 'Your rating: ',
      // What a click sends: read by the gateway like a typed answer.
      answer: '{n}/5',
      commentOn: 'Anything to add? What you send next goes with your rating (optional).',
      commentPlaceholder: 'Add a comment (optional)…',
      noComment: 'No comment',
    },
    zh: {
      title: '在线客服',
      open: '打开在线客服',
      close: '关闭对话',
      conversation: '对话记录',
      intro: '请告诉我们遇到的问题，我们通常几分钟内回复。',
      message: '您的消息',
      placeholder: '请输入消息…',
      send: '发送',
      about: '您的信息（选填）',
      name: '姓名',
      contact: '邮箱或手机号',
      order: '订单号',
      you: '我',
      agent: '客服',
      bot: '智能助手',
      system: '智能助手',
      typing: '客服正在输入…',
      ticket: '工单号',
      track: '查看进度',
      connecting: '正在连接…',
      reconnecting: '连接已断开，正在重新连接…',
      sending: '发送中…',
      failed: '未发送',
      tooMany: '发送过于频繁，请稍候再试。',
      unavailable: '服务暂时不可用，我们会自动重试。',
      switchTo: 'English',
      switchLabel: '切换到英文',
      rate: '为本次服务打分（1–5 分）',
      scores: ['1 – 非常不满意', '2 – 不满意', '3 – 一般', '4 – 满意', '5 – 非常满意'],
      scaleLow: '1 = 非常不满意',
      scaleHigh: '5 = 非常满意',
      rated: '您的评分：',
      answer: '{n}分',
      commentOn: '还有想说的吗？接下来发送的内容将作为评价意见（选填）。',
      commentPlaceholder: '补充意见（选填）…',
      noComment: '不用了',
    },
  };

  function store(key, value) {
    try {
      if (value == null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch (e) {
      /* storage blocked (private mode): the conversation lasts as long as the page */
    }
  }
  function load(key) {
    try {
      return localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'c' + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  var stored = load(LANG_KEY);
  var lang = stored === 'zh' || stored === 'en' ? stored : ds.lang === 'zh' || ds.lang === 'en' ? ds.lang : /^zh/i.test(navigator.language || '') ? 'zh' : 'en';
  var state = {
    token: load(TOKEN_KEY),
    ticketNumber: null,
    statusToken: null,
    entries: [], // { id, role, text, at, pending?, failed? }
    outbox: [], // visitor messages not yet accepted: { clientId, text, profile }
    socket: null,
    connected: false,
    retry: 0,
    typingTimer: null,
    profileSent: false,
    // Replies pushed while a transcript was being read: the transcript may not have them yet.
    sinceSync: [],
    // Satisfaction questions rated with a click on this page: question id → score (one rating each).
    rated: {},
    // After a click: the next message from the box is the rating's comment, until sent or declined.
    commentFor: null,
  };
  var profile = {};
  try {
    profile = JSON.parse(load(PROFILE_KEY) || '{}') || {};
  } catch (e) {
    profile = {};
  }

  // ---- DOM (in a shadow root, so the host site's CSS and ours do not meet) ----
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs)
      for (var k in attrs)
        if (Object.prototype.hasOwnProperty.call(attrs, k)) {
          if (k === 'text') node.textContent = attrs[k];
          else if (k === 'class') node.className = attrs[k];
          else node.setAttribute(k, attrs[k]);
        }
    (children || []).forEach(function (c) {
      node.appendChild(c);
    });
    return node;
  }

  var host = el('div', { id: 'gw-chat-widget' });
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var css = el('link', { rel: 'stylesheet', href: ORIGIN + '/assets/gateway.css' });

  var bubble = el('button', { type: 'button', class: 'gwc-bubble', 'aria-expanded': 'false', 'aria-controls': 'gwc-panel' });
  // A speech-bubble icon drawn in SVG: emoji fonts are missing on many systems.
  var icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('width', '22');
  icon.setAttribute('height', '22');
  icon.setAttribute('aria-hidden', 'true');
  icon.setAttribute('focusable', 'false');
  var iconPath = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  iconPath.setAttribute('fill', 'currentColor');
  iconPath.setAttribute('fill-rule', 'evenodd');
  iconPath.setAttribute(
    'd',
    'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z',
  );
  icon.appendChild(iconPath);
  bubble.appendChild(icon);
  var bubbleText = el('span', { class: 'gwc-bubble-text' });
  bubble.appendChild(bubbleText);

  var title = el('h2', { id: 'gwc-title', class: 'gwc-title' });
  var langBtn = el('button', { type: 'button', class: 'gwc-lang' });
  var closeBtn = el('button', { type: 'button', class: 'gwc-close' }, [el('span', { 'aria-hidden': 'true', text: '×' })]);
  var ticketLine = el('p', { class: 'gwc-ticket', 'aria-live': 'polite' });
  var header = el('header', { class: 'gwc-header' }, [el('div', { class: 'gwc-heading' }, [title, ticketLine]), langBtn, closeBtn]);
  var status = el('p', { class: 'gwc-status', role: 'status' });
  var intro = el('p', { class: 'gwc-intro' });
  // A div, not a list: role=log on an <ol> would leave its items outside any list (axe: listitem).
  var log = el('div', { class: 'gwc-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  var typing = el('p', { class: 'gwc-typing', 'aria-live': 'polite' });
  typing.hidden = true;

  function field(id, key, type, autocomplete, max) {
    var label = el('label', { for: id });
    var input = el('input', { id: id, name: key, type: type, autocomplete: autocomplete, maxlength: String(max) });
    if (profile[key]) input.value = profile[key];
    return { label: label, input: input };
  }
  var fName = field('gwc-name', 'name', 'text', 'name', 128);
  var fContact = field('gwc-contact', 'contact', 'text', 'email', 320);
  var fOrder = field('gwc-order', 'order', 'text', 'off', 64);
  var aboutLegend = el('legend');
  var prechat = el('fieldset', { class: 'gwc-prechat' }, [aboutLegend, fName.label, fName.input, fContact.label, fContact.input, fOrder.label, fOrder.input]);
  if (ds.prechat === 'false') prechat.hidden = true;

  var textLabel = el('label', { for: 'gwc-text', class: 'gw-visually-hidden' });
  var text = el('textarea', { id: 'gwc-text', rows: '2', maxlength: '4000', required: 'required' });
  var sendBtn = el('button', { type: 'submit', class: 'gwc-send' });
  var commentText = el('span');
  var noCommentBtn = el('button', { type: 'button', class: 'gwc-no-comment' });
  var commentNote = el('p', { id: 'gwc-comment-note', class: 'gwc-comment-note' }, [commentText, noCommentBtn]);
  commentNote.hidden = true;
  var compose = el('form', { class: 'gwc-compose', novalidate: 'novalidate' }, [
    prechat,
    commentNote,
    textLabel,
    el('div', { class: 'gwc-row' }, [text, sendBtn]),
  ]);

  var panel = el('section', { id: 'gwc-panel', class: 'gwc-panel', role: 'dialog', 'aria-labelledby': 'gwc-title' }, [
    header,
    status,
    intro,
    log,
    typing,
    compose,
  ]);
  panel.hidden = true;
  root.appendChild(css);
  root.appendChild(bubble);
  root.appendChild(panel);

  function t(key) {
    return T[lang][key];
  }

  function applyLanguage() {
    panel.setAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
    bubble.setAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
    title.textContent = ds.title || t('title');
    bubble.setAttribute('aria-label', t('open'));
    bubbleText.textContent = ds.title || t('title');
    closeBtn.setAttribute('aria-label', t('close'));
    langBtn.textContent = t('switchTo');
    langBtn.setAttribute('lang', lang === 'zh' ? 'en' : 'zh-CN');
    langBtn.setAttribute('aria-label', t('switchLabel'));
    intro.textContent = t('intro');
    log.setAttribute('aria-label', t('conversation'));
    typing.textContent = t('typing');
    aboutLegend.textContent = t('about');
    fName.label.textContent = t('name');
    fContact.label.textContent = t('contact');
    fOrder.label.textContent = t('order');
    textLabel.textContent = t('message');
    sendBtn.textContent = t('send');
    commentText.textContent = t('commentOn') + ' ';
    noCommentBtn.textContent = t('noComment');
    renderComment();
    renderTicket();
    renderLog();
    renderStatus();
  }

  function renderTicket() {
    while (ticketLine.firstChild) ticketLine.removeChild(ticketLine.firstChild);
    if (!state.ticketNumber) return;
    ticketLine.appendChild(document.createTextNode(t('ticket') + ' '));
    ticketLine.appendChild(el('strong', { class: 'gwc-ticket-number', text: state.ticketNumber }));
    if (state.statusToken) {
      ticketLine.appendChild(document.createTextNode(' · '));
      var a = el('a', { target: '_blank', rel: 'noopener noreferrer', text: t('track') });
      a.href = ORIGIN + '/t/' + encodeURIComponent(state.statusToken) + '?lang=' + lang;
      ticketLine.appendChild(a);
    }
  }

  function renderEntry(e) {
    var line = el('div', {
      class: 'gwc-msg gwc-' + e.role + (e.kind === 'csat' ? ' gwc-survey' : '') + (e.pending ? ' gwc-pending' : '') + (e.failed ? ' gwc-failed' : ''),
    });
    var who = e.role === 'visitor' ? t('you') : t(e.role);
    line.appendChild(el('span', { class: 'gwc-who', text: who }));
    line.appendChild(el('p', { class: 'gwc-text', text: e.text }));
    if (e.kind === 'csat') renderRating(e, line);
    var meta = e.failed ? t('failed') : e.pending ? t('sending') : formatTime(e.at);
    if (meta) line.appendChild(el('span', { class: 'gwc-time', text: meta }));
    e.node = line;
    return line;
  }

  /** Re-draws one line in place (a rating given), leaving the rest of the log alone. */
  function refresh(e) {
    var old = e.node;
    var fresh = renderEntry(e);
    if (old && old.parentNode === log) log.replaceChild(fresh, old);
  }

  // ---- the satisfaction question: buttons 1–5 while it can be answered, then the score given ----
  function surveyOf(e) {
    var clicked = state.rated[e.id];
    if (clicked) return { open: false, score: clicked };
    var c = e.csat || {};
    return { open: c.open === true, score: typeof c.score === 'number' && c.score >= 1 && c.score <= 5 ? c.score : null };
  }

  function renderRating(e, line) {
    var s = surveyOf(e);
    if (!s.open && !s.score) return;
    var row = el('div', { class: 'gwc-scores' });
    for (var n = 1; n <= 5; n++) {
      var b = el('button', { type: 'button', class: 'gwc-score', 'aria-label': t('scores')[n - 1], title: t('scores')[n - 1], text: String(n) });
      if (!s.open) {
        // Answered: nothing more to click; the score given stays marked.
        b.disabled = true;
        b.setAttribute('aria-pressed', s.score === n ? 'true' : 'false');
      }
      b.addEventListener('click', rateWith(e, n));
      row.appendChild(b);
    }
    var scale = el('p', { class: 'gwc-scale', 'aria-hidden': 'true' }, [el('span', { text: t('scaleLow') }), el('span', { text: t('scaleHigh') })]);
    line.appendChild(el('div', { class: 'gwc-rating', role: 'group', 'aria-label': t('rate') }, [row, scale]));
    if (s.score) line.appendChild(el('p', { class: 'gwc-rated', text: t('rated') + t('scores')[s.score - 1] }));
  }

  function rateWith(e, n) {
    return function () {
      // One rating per question: a second click (double click, another button, another key press) does nothing.
      if (!surveyOf(e).open) return;
      state.rated[e.id] = n;
      refresh(e);
      // The rating goes as the visitor's answer, the same way a typed "1分" does.
      send(t('answer').replace('{n}', String(n)));
      state.commentFor = e.id;
      renderComment();
      text.focus();
    };
  }

  /** The line over the message box while the next message would be the rating's comment. */
  function renderComment() {
    var on = state.commentFor !== null;
    commentNote.hidden = !on;
    text.setAttribute('placeholder', on ? t('commentPlaceholder') : t('placeholder'));
    if (on) text.setAttribute('aria-describedby', 'gwc-comment-note');
    else text.removeAttribute('aria-describedby');
  }

  /** The gateway thanked for a rating (perhaps a typed one): no question stays open. */
  function closeSurveys() {
    state.entries.forEach(function (e) {
      if (e.kind === 'csat' && e.csat && e.csat.open) {
        e.csat = { open: false, score: e.csat.score || null };
        refresh(e);
      }
    });
  }

  function formatTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    return d.toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
  }

  function renderLog() {
    while (log.firstChild) log.removeChild(log.firstChild);
    state.entries.forEach(function (e) {
      log.appendChild(renderEntry(e));
    });
    intro.hidden = state.entries.length > 0;
    prechat.hidden = ds.prechat === 'false' || state.entries.length > 0 || state.profileSent;
    log.scrollTop = log.scrollHeight;
  }

  function renderStatus() {
    status.textContent = state.connected ? '' : state.retry > 0 ? t('reconnecting') : state.socket ? t('connecting') : '';
    status.hidden = !status.textContent;
  }

  function showTyping(on) {
    typing.hidden = !on;
    clearTimeout(state.typingTimer);
    // Nobody types forever: hide it if no answer comes.
    if (on)
      state.typingTimer = setTimeout(function () {
        typing.hidden = true;
      }, 30000);
  }

  function addEntry(e) {
    for (var i = 0; i < state.entries.length; i++) if (state.entries[i].id === e.id) return;
    state.entries.push(e);
    log.appendChild(renderEntry(e));
    intro.hidden = true;
    prechat.hidden = true;
    log.scrollTop = log.scrollHeight;
  }

  // ---- socket ----
  function connect() {
    if (state.socket) return;
    var ws;
    try {
      ws = new WebSocket(SOCKET_URL);
    } catch (e) {
      return scheduleReconnect();
    }
    state.socket = ws;
    renderStatus();
    ws.onopen = function () {
      state.sinceSync = [];
      ws.send(JSON.stringify({ type: 'hello', token: state.token, lang: lang }));
    };
    ws.onmessage = function (ev) {
      var msg;
      try {
        msg = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      onEvent(msg);
    };
    ws.onclose = function () {
      state.socket = null;
      state.connected = false;
      scheduleReconnect();
    };
    ws.onerror = function () {
      /* onclose follows */
    };
  }

  function scheduleReconnect() {
    state.retry++;
    renderStatus();
    var delay = Math.min(30000, 1000 * Math.pow(2, Math.min(state.retry - 1, 5)));
    setTimeout(connect, delay + Math.floor(Math.random() * 300));
  }

  function onEvent(msg) {
    switch (msg.type) {
      case 'session':
        state.token = msg.token;
        store(TOKEN_KEY, msg.token);
        break;
      case 'history':
        state.connected = true;
        state.retry = 0;
        state.ticketNumber = msg.ticketNumber || null;
        state.statusToken = msg.statusToken || null;
        state.entries = (msg.entries || []).slice();
        state.sinceSync.forEach(function (e) {
          if (
            !state.entries.some(function (x) {
              return x.id === e.id;
            })
          )
            state.entries.push(e);
        });
        state.sinceSync = [];
        // Messages written while offline stay on screen and go out now (same clientId: no duplicates).
        state.outbox.forEach(function (o) {
          state.entries.push({ id: o.clientId, role: 'visitor', text: o.text, at: '', pending: true });
        });
        renderTicket();
        renderLog();
        renderStatus();
        state.outbox.forEach(transmit);
        break;
      case 'accepted':
        state.outbox = state.outbox.filter(function (o) {
          return o.clientId !== msg.clientId;
        });
        state.entries.forEach(function (e) {
          if (e.id === msg.clientId) {
            e.pending = false;
            e.at = new Date().toISOString();
          }
        });
        renderLog();
        break;
      case 'message':
        if (msg.role !== 'visitor') showTyping(false);
        var entry = { id: msg.id, role: msg.role, text: String(msg.text), at: msg.at };
        if (msg.kind === 'csat' || msg.kind === 'csat_thanks') entry.kind = msg.kind;
        if (msg.kind === 'csat') entry.csat = msg.csat || { open: true, score: null };
        if (msg.kind === 'csat_thanks') closeSurveys();
        state.sinceSync.push(entry);
        addEntry(entry);
        if (msg.ticketNumber && msg.ticketNumber !== state.ticketNumber) {
          state.ticketNumber = msg.ticketNumber;
          renderTicket();
          // The status-page link comes with the transcript.
          if (state.socket && state.socket.readyState === 1) {
            state.sinceSync = [entry];
            state.socket.send(JSON.stringify({ type: 'sync' }));
          }
        }
        break;
      case 'typing':
        showTyping(!!msg.on);
        break;
      case 'error':
        if (msg.clientId) {
          state.outbox = state.outbox.filter(function (o) {
            return o.clientId !== msg.clientId;
          });
          state.entries.forEach(function (e) {
            if (e.id === msg.clientId) {
              e.pending = false;
              e.failed = true;
            }
          });
          renderLog();
        }
        status.textContent = msg.code === 'rate_limited' ? t('tooMany') : msg.code === 'unavailable' ? t('unavailable') : '';
        status.hidden = !status.textContent;
        break;
    }
  }

  function transmit(o) {
    if (!state.socket || state.socket.readyState !== 1 || !state.connected) return;
    var frame = { type: 'message', clientId: o.clientId, text: o.text, lang: lang };
    // The visitor's own time zone: progress messages wait out their night, not the gateway's.
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone) frame.timeZone = zone;
    } catch (e) {
      /* an old browser without Intl: the gateway's zone is used */
    }
    if (o.profile) frame.profile = o.profile;
    if (o.csatComment) frame.csatComment = true;
    state.socket.send(JSON.stringify(frame));
  }

  function currentProfile() {
    var p = { name: fName.input.value.trim(), contact: fContact.input.value.trim(), order: fOrder.input.value.trim() };
    store(PROFILE_KEY, JSON.stringify(p));
    return p.name || p.contact || p.order ? p : null;
  }

  // ---- interaction ----
  function setOpen(open) {
    panel.hidden = !open;
    bubble.setAttribute('aria-expanded', open ? 'true' : 'false');
    bubble.hidden = open && window.matchMedia && window.matchMedia('(max-width: 480px)').matches;
    if (open) {
      connect();
      text.focus();
    } else {
      bubble.hidden = false;
      bubble.focus();
    }
  }

  bubble.addEventListener('click', function () {
    setOpen(panel.hidden);
  });
  closeBtn.addEventListener('click', function () {
    setOpen(false);
  });
  panel.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') setOpen(false);
  });
  noCommentBtn.addEventListener('click', function () {
    state.commentFor = null;
    renderComment();
    text.focus();
  });
  langBtn.addEventListener('click', function () {
    lang = lang === 'zh' ? 'en' : 'zh';
    store(LANG_KEY, lang);
    applyLanguage();
  });
  text.addEventListener('keydown', function (ev) {
    // Enter sends, Shift+Enter is a new line; not while an IME is composing (Chinese input).
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      submit();
    }
  });
  compose.addEventListener('submit', function (ev) {
    ev.preventDefault();
    submit();
  });

  function submit() {
    var value = text.value.trim();
    if (!value) return;
    text.value = '';
    var comment = state.commentFor !== null;
    if (comment) {
      state.commentFor = null;
      renderComment();
    }
    send(value, comment);
  }

  function send(value, csatComment) {
    var o = { clientId: newId(), text: value };
    if (csatComment) o.csatComment = true;
    if (!state.profileSent && state.entries.length === 0) {
      var p = currentProfile();
      if (p) o.profile = p;
      state.profileSent = true;
    }
    state.outbox.push(o);
    addEntry({ id: o.clientId, role: 'visitor', text: value, at: '', pending: true });
    transmit(o);
    if (!state.socket) connect();
  }

  applyLanguage();
  function mount() {
    document.body.appendChild(host);
    // A returning visitor reconnects at once, so replies that came meanwhile are there.
    if (state.token || ds.open === 'true') connect();
    if (ds.open === 'true') setOpen(true);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();

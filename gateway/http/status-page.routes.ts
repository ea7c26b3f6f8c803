import { Router, type Request, type Response } from 'express';
import type { Db } from '../../storage/db.js';
import type { Ticket, TicketStatus, TicketStore } from '../../storage/ticket.store.js';
import { html, type SafeHtml } from './html.js';
import { setPagePolicy } from './security-headers.js';

type Lang = 'zh' | 'en';

/** The progress a customer sees, in order. */
export const STATUS_STAGES = ['received', 'investigating', 'solution', 'closed'] as const;
export type StatusStage = (typeof STATUS_STAGES)[number];

/** Where a ticket status sits on the customer's progress bar. */
export function stageOf(status: TicketStatus): StatusStage {
  switch (status) {
    case 'new':
      return 'received';
    case 'open':
    case 'pending_customer':
    case 'reopened':
      return 'investigating';
    case 'resolved':
      return 'solution';
    case 'closed':
      return 'closed';
  }
}

const TEXT = {
  en: {
    title: 'Your complaint',
    ticket: 'Ticket',
    stages: { received: 'Received', investigating: 'Investigating', solution: 'Solution proposed', closed: 'Closed' },
    current: 'current step',
    done: 'done',
    latest: 'Latest reply',
    noReply: 'No reply yet. We will answer on the channel you used to contact us.',
    waiting: 'We are waiting for your answer.',
    updated: 'Last updated',
    notFound: 'We could not find this ticket',
    notFoundBody: 'The link may be mistyped or incomplete. Please use the full link from your confirmation message.',
    switchTo: '中文',
    addMessage: 'Add a message',
    addMessageHint: 'More details, a new development, an answer to our question.',
    send: 'Send',
    solvedTitle: 'Is your problem solved?',
    solved: 'Yes, my problem is solved',
    reopenTitle: 'Not solved after all?',
    reopen: 'Reopen my complaint',
    rateTitle: 'How satisfied are you with how we handled it?',
    scores: ['1 – very dissatisfied', '2 – dissatisfied', '3 – neutral', '4 – satisfied', '5 – very satisfied'],
    comment: 'Comment (optional)',
    rate: 'Send my rating',
    rated: 'Your rating',
    doneNotice: {
      message: 'Thank you, your message was added to your complaint.',
      solved: 'Thank you for confirming. We are glad it is solved.',
      reopened: 'Your complaint is open again; we will get back to you.',
      rated: 'Thank you for your rating!',
      'rated-low': 'We are sorry we did not get it right. A supervisor will contact you shortly.',
    },
    errorNotice: {
      empty: 'Please write a message first.',
      'too-long': 'The message is too long (at most 5,000 characters).',
      closed: 'This complaint is closed; please contact us again to open a new one.',
      'not-open': 'This complaint is not open.',
      'not-resolved': 'Only a resolved complaint can be reopened.',
      score: 'Please choose a rating from 1 to 5.',
      'not-rateable': 'This complaint cannot be rated now.',
      'too-many': 'Too many requests from this page; please try again later.',
    },
  },
  zh: {
    title: '您的投诉',
    ticket: '工单号',
    stages: { received: '已受理', investigating: '调查中', solution: '已给出解决方案', closed: '已结案' },
    current: '当前步骤',
    done: '已完成',
    latest: '最新回复',
    noReply: '暂无回复。我们会通过您联系我们的渠道答复您。',
    waiting: '我们正在等待您的回复。',
    updated: '最近更新',
    notFound: '未找到该工单',
    notFoundBody: '链接可能有误或不完整，请使用确认消息中的完整链接。',
    switchTo: 'English',
    addMessage: '补充留言',
    addMessageHint: '补充细节、新的情况，或回答我们的问题。',
    send: '发送',
    solvedTitle: '您的问题解决了吗？',
    solved: '是的，问题已解决',
    reopenTitle: '问题其实没有解决？',
    reopen: '重新打开投诉',
    rateTitle: '您对本次处理满意吗？',
    scores: ['1 – 非常不满意', '2 – 不满意', '3 – 一般', '4 – 满意', '5 – 非常满意'],
    comment: '意见（选填）',
    rate: '提交评价',
    rated: '您的评价',
    doneNotice: {
      message: '谢谢，您的留言已加入投诉。',
      solved: '感谢确认，很高兴问题已解决。',
      reopened: '投诉已重新打开，我们会尽快联系您。',
      rated: '感谢您的评价！',
      'rated-low': '很抱歉没能让您满意，主管会尽快联系您。',
    },
    errorNotice: {
      empty: '请先填写留言。',
      'too-long': '留言过长（最多 5,000 字）。',
      closed: '该投诉已结案，如需帮助请重新联系我们。',
      'not-open': '该投诉不在处理中。',
      'not-resolved': '只有已解决的投诉可以重新打开。',
      score: '请选择 1–5 分。',
      'not-rateable': '目前无法评价该投诉。',
      'too-many': '操作过于频繁，请稍后再试。',
    },
  },
} as const;

/** Tokens are 24 random bytes in base64url (32 characters); anything else is not worth a database read. */
const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;

function langOf(req: Request, ticket?: Ticket): Lang {
  const q = req.query.lang;
  if (q === 'zh' || q === 'en') return q;
  if (ticket?.language) return ticket.language.startsWith('zh') ? 'zh' : 'en';
  return /^zh/i.test(req.get('accept-language') ?? '') ? 'zh' : 'en';
}

function page(lang: Lang, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<link rel="stylesheet" href="/assets/gateway.css">
<script src="/assets/local-time.js" defer></script>
</head>
<body><main class="gw-page">${body}</main></body>
</html>`.value;
}

/** A time in China time for readers without script; /assets/local-time.js shows it in the reader's own zone. */
function when(ms: number, lang: Lang): SafeHtml {
  const text = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(
    new Date(ms),
  );
  return html`<time datetime="${new Date(ms).toISOString()}" data-local>${text}</time>`;
}

type Texts = (typeof TEXT)[Lang];

/** The forms a customer can use now (status-page-actions.routes.ts): write, confirm solved, reopen, rate. */
function actions(ticket: Ticket, t: Texts, lang: Lang): SafeHtml | string {
  if (ticket.status === 'closed') return '';
  const path = (a: string) => `/t/${ticket.statusToken}/${a}?lang=${lang}`;
  const write = html`<section aria-labelledby="gw-add-h"><h2 id="gw-add-h">${t.addMessage}</h2>
<form class="gw-form" method="post" action="${path('message')}"><label for="gw-add-text" class="gw-visually-hidden">${t.addMessage}</label><p class="gw-muted" id="gw-add-hint">${t.addMessageHint}</p><textarea id="gw-add-text" name="text" rows="4" maxlength="5000" required aria-describedby="gw-add-hint"></textarea><button type="submit">${t.send}</button></form></section>`;
  if (ticket.status !== 'resolved') {
    return html`${write}<section aria-labelledby="gw-solved-h"><h2 id="gw-solved-h">${t.solvedTitle}</h2><form method="post" action="${path('solved')}" class="gw-form"><button type="submit">${t.solved}</button></form></section>`;
  }
  const rate =
    ticket.csat === null
      ? html`<section aria-labelledby="gw-rate-h"><h2 id="gw-rate-h">${t.rateTitle}</h2><form class="gw-form" method="post" action="${path('rate')}"><fieldset class="gw-scores"><legend class="gw-visually-hidden">${t.rateTitle}</legend>${t.scores.map(
          (label, i) => html`<label class="gw-score"><input type="radio" name="score" value="${i + 1}" required> ${label}</label>`,
        )}</fieldset><label for="gw-rate-comment">${t.comment}</label><textarea id="gw-rate-comment" name="comment" rows="3" maxlength="1000"></textarea><button type="submit">${t.rate}</button></form></section>`
      : html`<p>${t.rated}: <strong>${String(ticket.csat)}</strong> / 5</p>`;
  return html`${rate}<section aria-labelledby="gw-reopen-h"><h2 id="gw-reopen-h">${t.reopenTitle}</h2><form method="post" action="${path('reopen')}" class="gw-form"><button type="submit">${t.reopen}</button></form></section>${write}`;
}

/**
 * GET /t/<token>: a customer's view of their ticket, without an account: the
 * progress stages and the latest reply from an agent or the bot. The token is
 * the unguessable `statusToken` sent with acknowledgements.
 */
export function statusPageRoutes(deps: { db: Db; tickets: TicketStore }): Router {
  const router = Router();

  router.get('/t/:token', async (req: Request, res: Response, next) => {
    try {
      // The token is a bearer secret: keep it out of caches, referrers and search engines.
      res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' });
      // Its one script is /assets/local-time.js; never in a frame, where its buttons could be clicked for the customer.
      setPagePolicy(res, { script: true });
      const token = String(req.params.token);
      const ticket = TOKEN.test(token) ? await deps.tickets.getByStatusToken(deps.db, token) : undefined;
      if (!ticket) {
        const lang = langOf(req);
        const t = TEXT[lang];
        res
          .status(404)
          .type('html')
          .send(page(lang, t.notFound, html`<h1>${t.notFound}</h1><p>${t.notFoundBody}</p>`));
        return;
      }
      const lang = langOf(req, ticket);
      const t = TEXT[lang];
      const messages = await deps.tickets.messages(deps.db, ticket.id);
      const latest = [...messages].reverse().find((m) => m.direction === 'out' && (m.author === 'agent' || m.author === 'bot'));
      const stage = stageOf(ticket.status);
      const reached = STATUS_STAGES.indexOf(stage);
      const other: Lang = lang === 'zh' ? 'en' : 'zh';
      const steps = STATUS_STAGES.map((s, i) => {
        const state = i < reached ? 'done' : i === reached ? 'current' : 'todo';
        return html`<li class="gw-step gw-step-${state}"${i === reached ? html` aria-current="step"` : ''}><span class="gw-step-dot" aria-hidden="true"></span><span>${t.stages[s]}</span>${state === 'todo' ? '' : html`<span class="gw-visually-hidden"> (${state === 'done' ? t.done : t.current})</span>`}</li>`;
      });
      const done = typeof req.query.done === 'string' && req.query.done in t.doneNotice ? t.doneNotice[req.query.done as keyof typeof t.doneNotice] : undefined;
      const failed =
        typeof req.query.error === 'string' && req.query.error in t.errorNotice ? t.errorNotice[req.query.error as keyof typeof t.errorNotice] : undefined;
      const body = html`<h1>${t.title}</h1>
${done ? html`<p class="gw-done" role="status">${done}</p>` : ''}${failed ? html`<p class="gw-errors" role="alert">${failed}</p>` : ''}
<p>${t.ticket} <strong class="gw-ticket-number">${ticket.number}</strong> · <a href="?lang=${other}" lang="${other}">${t.switchTo}</a></p>
<ol class="gw-steps" aria-label="${t.title}">${steps}</ol>
${ticket.status === 'pending_customer' ? html`<p class="gw-note">${t.waiting}</p>` : ''}
<section class="gw-latest" aria-labelledby="gw-latest-h">
<h2 id="gw-latest-h">${t.latest}</h2>
${latest ? html`<blockquote class="gw-reply">${latest.text}</blockquote><p class="gw-muted">${when(latest.createdAt, lang)}</p>` : html`<p class="gw-muted">${t.noReply}</p>`}
</section>
<p class="gw-muted">${t.updated}: ${when(ticket.updatedAt, lang)}</p>
${actions(ticket, t, lang)}`;
      res.type('html').send(page(lang, `${t.title} ${ticket.number}`, body));
    } catch (err) {
      next(err);
    }
  });

  return router;
}

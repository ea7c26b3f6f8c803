import { expect } from 'chai';
import { alertCard, plainText, summaryCard, type AlertCard, type AlertContext } from '../../../../gateway/alerts/alert-card.js';
import { dingtalkRobot, dingtalkSign } from '../../../../gateway/alerts/dingtalk.robot.js';
import { feishuRobot, feishuSign } from '../../../../gateway/alerts/feishu.robot.js';
import { slackRobot } from '../../../../gateway/alerts/slack.robot.js';
import { wecomRobot } from '../../../../gateway/alerts/wecom.robot.js';

const ctx: AlertContext = {
  categoryName: (code, language) => (code === 'LG' ? { zh: '物流', en: 'Logistics' }[language] : undefined),
  timeZone: 'Asia/Shanghai',
};

const ticket = {
  id: 42,
  number: 'C-20261205-0042',
  status: 'open',
  queue: 'logistics',
  priority: 'urgent',
  assignee: null,
  category: 'LG',
  severity: 1,
  channel: 'sms',
  url: 'https://gw.example.com/console#/tickets/42',
};

/** The card every vendor test below formats: an SLA breach in Chinese. */
const breach: AlertCard = alertCard('sla.breached', { ticket, target: 'firstResponse', dueAt: '2026-12-05T02:30:00.000Z' }, 'zh', ctx);

describe('alert cards (zh/en)', () => {
  it('says what happened to which ticket, with the routing fields and the due time in the business time zone, linking to the ticket', () => {
    expect(breach).to.deep.equal({
      language: 'zh',
      level: 'critical',
      title: 'SLA 已超时：工单 C-20261205-0042（首次响应）',
      fields: [
        { label: '分类', value: '物流 (LG)' },
        { label: '严重度', value: '1' },
        { label: '优先级', value: '紧急' },
        { label: '队列', value: 'logistics' },
        { label: '处理人', value: '未分配' },
        { label: '截止时间', value: '12/5 10:30' },
      ],
      link: { text: '查看工单', url: 'https://gw.example.com/console#/tickets/42' },
    });
    const en = alertCard('sla.warning', { ticket, target: 'resolution', dueAt: '2026-12-05T02:30:00.000Z' }, 'en', ctx);
    expect(en.title).to.equal('SLA warning: C-20261205-0042 (resolution)');
    expect(en.level).to.equal('warning');
    expect(en.fields).to.deep.include({ label: 'Category', value: 'Logistics (LG)' });
    expect(en.fields).to.deep.include({ label: 'Due', value: '5 Dec, 10:30' });
    expect(en.link).to.deep.equal({ text: 'Open ticket', url: ticket.url });
  });

  it('links an incident to the incident board and shows its title without letting it become markup', () => {
    const card = alertCard(
      'incident.opened',
      {
        incident: {
          id: 7,
          title: 'LG: [点这里](http://evil.example) <at user_id="all"> **急**',
          category: 'LG',
          severity: 1,
          url: 'https://gw.example.com/console#/incidents?id=7',
        },
      },
      'zh',
      ctx,
    );
    expect(card.title).to.equal('突发事件：LG: ［点这里］(http://evil.example) ＜at user＿id="all"＞ ＊＊急＊＊');
    expect(card.link).to.deep.equal({ text: '查看事件', url: 'https://gw.example.com/console#/incidents?id=7' });
    expect(card.level).to.equal('critical');
  });

  it('has no link without PUBLIC_BASE_URL', () => {
    expect(alertCard('ticket.routed', { ticket: { ...ticket, url: null } }, 'en', ctx).link).to.equal(undefined);
  });

  it('sums up held-back alerts: how many, the first ten linked, why', () => {
    const cards = Array.from({ length: 12 }, (_, i) => alertCard('ticket.routed', { ticket: { ...ticket, number: `C-20261205-00${10 + i}` } }, 'en', ctx));
    const s = summaryCard(cards, 'en', { max: 6, windowSeconds: 60 }, 'https://gw.example.com/console#/inbox');
    expect(s.title).to.equal('Alert summary: 12 alerts');
    expect(s.lines).to.have.length(11);
    expect(s.lines![0]).to.deep.equal({ text: 'New ticket C-20261205-0010 in logistics', url: ticket.url });
    expect(s.lines![10]).to.deep.equal({ text: '2 more' });
    expect(s.note).to.equal('At most 6 posts per 60 s go to this room; the rest are summed up here.');
    expect(s.level).to.equal('critical');
  });

  it('turns markdown and mention characters into full-width twins and joins lines', () => {
    expect(plainText('a\n[b](c) *d* _e_ `f` #g <h> @all')).to.equal('a ［b］(c) ＊d＊ ＿e＿ ｀f｀ ＃g ＜h＞ ＠all');
  });
});

describe('DingTalk custom robot', () => {
  it('signs as DingTalk documents: base64(HMAC-SHA256(secret, timestamp + "\\n" + secret)), URL-encoded in the query', () => {
    // The same value a Python implementation of DingTalk's sample gives (and dingding's test on docs.rs).
    expect(encodeURIComponent(dingtalkSign('secret', 1700000000000))).to.equal('OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D');
    const req = dingtalkRobot.request({ url: 'https://oapi.dingtalk.com/robot/send?access_token=abc', secret: 'secret' }, breach, 1700000000000);
    expect(req.url).to.equal(
      'https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D',
    );
  });

  it('posts an actionCard with one button to the ticket', () => {
    const req = dingtalkRobot.request({ url: 'https://oapi.dingtalk.com/robot/send?access_token=abc' }, breach, 1700000000000);
    expect(req.url).to.equal('https://oapi.dingtalk.com/robot/send?access_token=abc');
    expect(JSON.parse(req.body)).to.deep.equal({
      msgtype: 'actionCard',
      actionCard: {
        title: 'SLA 已超时：工单 C-20261205-0042（首次响应）',
        text: [
          '### SLA 已超时：工单 C-20261205-0042（首次响应）',
          '',
          '- **分类**：物流 (LG)',
          '- **严重度**：1',
          '- **优先级**：紧急',
          '- **队列**：logistics',
          '- **处理人**：未分配',
          '- **截止时间**：12/5 10:30',
        ].join('\n'),
        btnOrientation: '0',
        singleTitle: '查看工单',
        singleURL: 'https://gw.example.com/console#/tickets/42',
      },
    });
  });

  it('reads errcode: 0 is sent, 130101 (too fast) retries after a minute, others are errors', () => {
    expect(dingtalkRobot.answer(200, '{"errcode":0,"errmsg":"ok"}', new Headers())).to.deep.equal({ ok: true });
    expect(dingtalkRobot.answer(200, '{"errcode":130101,"errmsg":"send too fast"}', new Headers())).to.deep.include({ ok: false, retryAfterMs: 60_000 });
    expect(dingtalkRobot.answer(200, '{"errcode":310000,"errmsg":"sign not match"}', new Headers()).error).to.equal(
      'DingTalk refused: errcode 310000 sign not match',
    );
  });
});

describe('Feishu / Lark custom bot', () => {
  it('signs as Feishu documents: base64(HMAC-SHA256 keyed with timestamp + "\\n" + secret over an empty message), in the body', () => {
    // Computed with Feishu's Python sample.
    expect(feishuSign('SEC-test-secret', 1599360473)).to.equal('ChhGYT3pheuucbOIYvsP6awV8TJtozN5Iwiq/GK2Ha8=');
    const body = JSON.parse(
      feishuRobot.request({ url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', secret: 'SEC-test-secret' }, breach, 1599360473_999).body,
    );
    expect(body.timestamp).to.equal('1599360473');
    expect(body.sign).to.equal('ChhGYT3pheuucbOIYvsP6awV8TJtozN5Iwiq/GK2Ha8=');
  });

  it('posts an interactive card: red header for a breach, short fields, a button', () => {
    const body = JSON.parse(feishuRobot.request({ url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x' }, breach, 0).body);
    expect(body).to.not.have.property('sign');
    expect(body).to.deep.equal({
      msg_type: 'interactive',
      card: {
        config: { wide_screen_mode: true },
        header: { title: { tag: 'plain_text', content: 'SLA 已超时：工单 C-20261205-0042（首次响应）' }, template: 'red' },
        elements: [
          {
            tag: 'div',
            fields: breach.fields.map((f) => ({ is_short: true, text: { tag: 'lark_md', content: `**${f.label}**：${f.value}` } })),
          },
          {
            tag: 'action',
            actions: [{ tag: 'button', text: { tag: 'plain_text', content: '查看工单' }, type: 'primary', url: 'https://gw.example.com/console#/tickets/42' }],
          },
        ],
      },
    });
  });

  it('reads code: 0 is sent, 11232 is its rate limit, 19021 a bad signature', () => {
    expect(feishuRobot.answer(200, '{"code":0,"data":{},"msg":"success"}', new Headers())).to.deep.equal({ ok: true });
    expect(feishuRobot.answer(200, '{"code":11232,"msg":"frequency limited"}', new Headers()).retryAfterMs).to.equal(60_000);
    expect(feishuRobot.answer(200, '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}', new Headers()).ok).to.equal(
      false,
    );
  });
});

describe('WeCom group robot', () => {
  it('posts markdown with a coloured title, quoted fields and the link', () => {
    const req = wecomRobot.request({ url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }, breach, 0);
    expect(req.url).to.equal('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k');
    expect(JSON.parse(req.body)).to.deep.equal({
      msgtype: 'markdown',
      markdown: {
        content: [
          '**<font color="warning">SLA 已超时：工单 C-20261205-0042（首次响应）</font>**',
          '> 分类：<font color="comment">物流 (LG)</font>',
          '> 严重度：<font color="comment">1</font>',
          '> 优先级：<font color="comment">紧急</font>',
          '> 队列：<font color="comment">logistics</font>',
          '> 处理人：<font color="comment">未分配</font>',
          '> 截止时间：<font color="comment">12/5 10:30</font>',
          '[查看工单](https://gw.example.com/console#/tickets/42)',
        ].join('\n'),
      },
    });
  });

  it('keeps the content within 4096 bytes, title and link kept', () => {
    const cards = Array.from({ length: 300 }, () => breach);
    const big = summaryCard(cards, 'zh', { max: 1, windowSeconds: 60 }, 'https://gw.example.com/console#/inbox', 300);
    const content = JSON.parse(wecomRobot.request({ url: 'https://x/send?key=k' }, big, 0).body).markdown.content as string;
    expect(Buffer.byteLength(content)).to.be.at.most(4096);
    expect(content.startsWith('**<font color="warning">告警汇总：300 条提醒</font>**')).to.equal(true);
    expect(content.endsWith('[打开控制台](https://gw.example.com/console#/inbox)')).to.equal(true);
  });
});

describe('Slack incoming webhook', () => {
  it('posts Block Kit: header, fields, a button; text is the notification fallback; mrkdwn characters escaped', () => {
    const card = alertCard('ticket.routed', { ticket: { ...ticket, queue: 'a<b>&c' } }, 'en', ctx);
    expect(JSON.parse(slackRobot.request({ url: 'https://hooks.slack.com/services/T/B/x' }, card, 0).body)).to.deep.equal({
      text: 'New ticket C-20261205-0042 in a＜b＞&amp;c',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'New ticket C-20261205-0042 in a＜b＞&c', emoji: true } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Category*\nLogistics (LG)' },
            { type: 'mrkdwn', text: '*Severity*\n1' },
            { type: 'mrkdwn', text: '*Priority*\nurgent' },
            { type: 'mrkdwn', text: '*Queue*\na＜b＞&amp;c' },
            { type: 'mrkdwn', text: '*Assignee*\nunassigned' },
          ],
        },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open ticket' }, url: ticket.url, style: 'danger' }] },
      ],
    });
  });

  it('reads Slack answers: 200 ok, 429 with Retry-After, other 4xx errors', () => {
    expect(slackRobot.answer(200, 'ok', new Headers())).to.deep.equal({ ok: true });
    expect(slackRobot.answer(429, 'rate_limited', new Headers({ 'retry-after': '30' }))).to.deep.include({ ok: false, retryAfterMs: 30_000 });
    expect(slackRobot.answer(404, 'no_service', new Headers())).to.deep.equal({ ok: false, error: 'Slack answered HTTP 404: no_service' });
  });
});

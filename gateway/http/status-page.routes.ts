import { Router, type Request, type Response } from 'express';
import type { Db } from '../../storage/db.js';
import type { Ticket, TicketStatus, TicketStore } from '../../storage/ticket.store.js';
import { html, type SafeHtml } from './html.js';

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
</head>
<body><main class="gw-page">${body}</main></body>
</html>`.value;
}

function when(ms: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(ms));
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
      const token = String(req.params.token);
      const ticket = TOKEN.test(token) ? await deps.tickets.getByStatusToken(deps.db, token) : undefined;
      if (!ticket) {
        const lang = langOf(req);
        const t = TEXT[lang];
        res.status(404).type('html').send(page(lang, t.notFound, html`<h1>${t.notFound}</h1><p>${t.notFoundBody}</p>`));
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
      const body = html`<h1>${t.title}</h1>
<p>${t.ticket} <strong class="gw-ticket-number">${ticket.number}</strong> · <a href="?lang=${other}" lang="${other}">${t.switchTo}</a></p>
<ol class="gw-steps" aria-label="${t.title}">${steps}</ol>
${ticket.status === 'pending_customer' ? html`<p class="gw-note">${t.waiting}</p>` : ''}
<section class="gw-latest" aria-labelledby="gw-latest-h">
<h2 id="gw-latest-h">${t.latest}</h2>
${latest ? html`<blockquote class="gw-reply">${latest.text}</blockquote><p class="gw-muted">${when(latest.createdAt, lang)}</p>` : html`<p class="gw-muted">${t.noReply}</p>`}
</section>
<p class="gw-muted">${t.updated}: ${when(ticket.updatedAt, lang)}</p>`;
      res.type('html').send(page(lang, `${t.title} ${ticket.number}`, body));
    } catch (err) {
      next(err);
    }
  });

  return router;
}

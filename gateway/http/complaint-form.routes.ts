import { randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { z } from 'zod';
import type { InboundSink } from '../../adapters/types.js';
import type { Db } from '../../storage/db.js';
import type { JournalStore } from '../../storage/journal.store.js';
import type { TicketStore } from '../../storage/ticket.store.js';
import { isEmail, normalizePhone } from '../identity.js';
import { html, type SafeHtml } from './html.js';
import { setPagePolicy } from './security-headers.js';

type Lang = 'zh' | 'en';

const TEXT = {
  en: {
    title: 'Tell us what went wrong',
    intro: 'We read every complaint. You will see your ticket number as soon as you send it.',
    name: 'Your name',
    contact: 'E-mail or mobile number',
    order: 'Order number (optional)',
    complaint: 'What happened?',
    submit: 'Send complaint',
    thanks: 'Thank you — we have your complaint',
    thanksBody: 'A confirmation with your ticket number is on its way to',
    ticketIs: 'Your ticket number is',
    follow: 'Follow your complaint and write to us here:',
    keepLink: 'Keep this link: it is the way to follow your complaint.',
    filing: 'We are filing your complaint; this page shows the ticket number in a moment.',
    reference: 'Reference',
    errors: 'Please correct the following:',
    switchTo: '中文',
    tooMany: 'Too many submissions from your network. Please wait a minute and try again.',
  },
  zh: {
    title: '告诉我们发生了什么',
    intro: '我们会认真处理每一条投诉。提交后即可看到您的工单号。',
    name: '您的姓名',
    contact: '邮箱或手机号',
    order: '订单号（选填）',
    complaint: '请描述问题',
    submit: '提交投诉',
    thanks: '谢谢，我们已收到您的投诉',
    thanksBody: '含工单号的确认信息将发送至',
    ticketIs: '您的工单号是',
    follow: '在这里查看进度、补充留言：',
    keepLink: '请保存此链接，用于查看投诉进度。',
    filing: '正在登记您的投诉，工单号稍后会显示在此页面。',
    reference: '受理编号',
    errors: '请修改以下内容：',
    switchTo: 'English',
    tooMany: '提交过于频繁，请稍后再试。',
  },
} as const;

const formBody = z.object({
  name: z.string().trim().min(1, 'name').max(128, 'name'),
  contact: z
    .string()
    .trim()
    .min(1, 'contact')
    .max(320, 'contact')
    .refine((c) => isEmail(c) || normalizePhone(c) !== undefined, 'contact'),
  order: z
    .string()
    .trim()
    .max(64, 'order')
    .regex(/^[A-Za-z0-9-]*$/, 'order')
    .optional(),
  text: z.string().trim().min(5, 'text').max(10_000, 'text'),
  nonce: z
    .string()
    .regex(/^[0-9a-f-]{36}$/)
    .optional(),
  lang: z.enum(['zh', 'en']).optional(),
});

const FIELD_ERRORS: Record<Lang, Record<string, string>> = {
  en: {
    name: 'Enter your name.',
    contact: 'Enter a valid e-mail address or mobile number.',
    order: 'Order numbers contain only letters, digits and dashes.',
    text: 'Describe the problem in at least 5 characters.',
  },
  zh: { name: '请填写姓名。', contact: '请填写有效的邮箱或手机号。', order: '订单号只能包含字母、数字和短横线。', text: '请至少用 5 个字描述问题。' },
};

function langOf(req: express.Request): Lang {
  const q = (req.query.lang ?? req.body?.lang) as string | undefined;
  if (q === 'zh' || q === 'en') return q;
  return /^zh/i.test(req.get('accept-language') ?? '') ? 'zh' : 'en';
}

/** `refreshSeconds` (and `refreshTo`): the page looks again by itself (no script), e.g. until the ticket number is there. */
function page(lang: Lang, body: SafeHtml, refreshSeconds?: number, refreshTo?: string): string {
  return html`<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${refreshSeconds ? html`\n<meta http-equiv="refresh" content="${`${refreshSeconds}${refreshTo ? `; url=${refreshTo}` : ''}`}">` : ''}
<title>${TEXT[lang].title}</title>
<link rel="stylesheet" href="/assets/gateway.css">
</head>
<body><main class="gw-page">${body}</main></body>
</html>`.value;
}

function form(lang: Lang, values: Record<string, string>, errors: string[]): SafeHtml {
  const t = TEXT[lang];
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  return html`<h1>${t.title}</h1>
<p>${t.intro} <a href="/complaint?lang=${other}" lang="${other}">${t.switchTo}</a></p>
${errors.length ? html`<div class="gw-errors" role="alert"><p>${t.errors}</p><ul>${errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
<form method="post" action="/complaint" class="gw-form" novalidate>
  <input type="hidden" name="nonce" value="${values.nonce ?? randomUUID()}">
  <input type="hidden" name="lang" value="${lang}">
  <label for="gw-name">${t.name}</label>
  <input id="gw-name" name="name" autocomplete="name" required maxlength="128" value="${values.name ?? ''}">
  <label for="gw-contact">${t.contact}</label>
  <input id="gw-contact" name="contact" autocomplete="email" required maxlength="320" value="${values.contact ?? ''}">
  <label for="gw-order">${t.order}</label>
  <input id="gw-order" name="order" maxlength="64" value="${values.order ?? ''}">
  <label for="gw-text">${t.complaint}</label>
  <textarea id="gw-text" name="text" rows="6" required maxlength="10000">${values.text ?? ''}</textarea>
  <button type="submit">${t.submit}</button>
</form>`;
}

/**
 * The public complaint form. A hidden nonce makes a double-submitted form one
 * journal entry; submissions are rate-limited per IP.
 */
export interface ComplaintFormDeps {
  sink: InboundSink;
  rateLimit: { windowSeconds: number; max: number };
  /** Where the submission's ticket is found once the pipeline filed it. */
  journal: JournalStore;
  tickets: TicketStore;
  db: Db;
  /** Whether a channel can deliver now (the confirmation goes by e-mail or SMS to the contact given). */
  canDeliver: (channel: 'email' | 'sms') => boolean;
  publicBaseUrl?: string;
  /** How long the thank-you page waits for the ticket number (the pipeline takes milliseconds). */
  waitMs?: number;
  /** Origins that may show the form in a frame (`server.formFrameAncestors`); none by default. */
  frameAncestors?: () => readonly string[];
  /** Where the per-address counts are kept (the database: one limit for every gateway process); in memory when absent. */
  rateLimitStore?: Store;
}

export function complaintFormRoutes(deps: ComplaintFormDeps): Router {
  const router = Router();
  const waitMs = deps.waitMs ?? 2_000;
  // Every answer of the form is a page without script; framed only where the config allows it.
  const pagePolicy: express.RequestHandler = (_req, res, next) => {
    setPagePolicy(res, { script: false, frameAncestors: deps.frameAncestors?.() ?? [] });
    next();
  };

  /**
   * The thank-you page: the ticket number and the status link as soon as the pipeline filed the
   * complaint (the page refreshes itself until then); a confirmation is promised only when a
   * channel can deliver it to the contact given.
   */
  const thanks = async (lang: Lang, address: string, nonce: string, wait: number): Promise<{ body: SafeHtml; filed: boolean }> => {
    const t = TEXT[lang];
    const deadline = Date.now() + wait;
    let entry = await deps.journal.findByExternalId('webform', nonce);
    while (entry && entry.ticketId === null && (entry.status === 'pending' || entry.status === 'processing') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      entry = await deps.journal.findByExternalId('webform', nonce);
    }
    const ticket = entry?.ticketId != null ? await deps.tickets.get(deps.db, entry.ticketId) : undefined;
    const channel = isEmail(address) ? 'email' : 'sms';
    const promise = address && deps.canDeliver(channel) ? html`<p>${t.thanksBody} <strong>${address}</strong>.</p>` : '';
    if (!ticket) {
      return {
        filed: false,
        body: html`<h1>${t.thanks}</h1><p role="status">${t.filing}</p>${entry ? html`<p class="gw-muted">${t.reference}: ${String(entry.id)}</p>` : ''}${promise}`,
      };
    }
    const path = `/t/${ticket.statusToken}`;
    const link = deps.publicBaseUrl ? new URL(path, deps.publicBaseUrl).href : path;
    return {
      filed: true,
      body: html`<h1>${t.thanks}</h1><p role="status">${t.ticketIs} <strong class="gw-ticket-number">${ticket.number}</strong>.</p><p>${t.follow} <a href="${path}">${link}</a></p>${promise || html`<p class="gw-note">${t.keepLink}</p>`}`,
    };
  };

  // A thank-you page that was still waiting: the same page, now with the ticket (it refreshes itself until then).
  router.get('/complaint/received/:nonce', pagePolicy, async (req, res, next) => {
    try {
      const lang = langOf(req);
      const nonce = String(req.params.nonce);
      if (!/^[0-9a-f-]{36}$/.test(nonce)) {
        res
          .status(404)
          .type('html')
          .send(page(lang, html`<h1>${TEXT[lang].title}</h1>`));
        return;
      }
      const r = await thanks(lang, '', nonce, waitMs);
      res
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(page(lang, r.body, r.filed ? undefined : 2));
    } catch (err) {
      next(err);
    }
  });
  const limiter = rateLimit({
    store: deps.rateLimitStore,
    windowMs: deps.rateLimit.windowSeconds * 1000,
    limit: deps.rateLimit.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      const lang = langOf(req);
      res
        .status(429)
        .type('html')
        .send(page(lang, html`<h1>${TEXT[lang].title}</h1><p role="alert">${TEXT[lang].tooMany}</p>`));
    },
  });

  router.get('/complaint', pagePolicy, (req, res) => {
    const lang = langOf(req);
    res.type('html').send(page(lang, form(lang, {}, [])));
  });

  router.post('/complaint', pagePolicy, express.urlencoded({ extended: false, limit: '64kb' }), limiter, async (req, res, next) => {
    try {
      const lang = langOf(req);
      const parsed = formBody.safeParse(req.body ?? {});
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
        const errors = fields.map((f) => FIELD_ERRORS[lang][f] ?? f);
        res
          .status(400)
          .type('html')
          .send(page(lang, form(lang, stringValues(req.body), errors)));
        return;
      }
      const v = parsed.data;
      const address = isEmail(v.contact) ? v.contact.toLowerCase() : normalizePhone(v.contact)!;
      const nonce = v.nonce ?? randomUUID();
      await deps.sink({
        channel: 'webform',
        externalId: nonce,
        receivedAt: new Date().toISOString(),
        from: { address, name: v.name },
        text: v.text,
        language: lang === 'zh' ? 'zh-Hans' : undefined,
        attachments: [],
        meta: { ...(v.order ? { orderNumber: v.order } : {}), formLanguage: lang },
      });
      const r = await thanks(lang, address, nonce, waitMs);
      // Not filed yet (a busy pipeline): the page moves on to where the number will appear.
      res
        .status(202)
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(page(lang, r.body, r.filed ? undefined : 2, r.filed ? undefined : `/complaint/received/${nonce}?lang=${lang}`));
    } catch (err) {
      next(err);
    }
  });

  return router;
}

function stringValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

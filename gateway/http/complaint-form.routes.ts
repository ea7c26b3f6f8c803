import { randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { InboundSink } from '../../adapters/types.js';
import { isEmail, normalizePhone } from '../identity.js';
import { html, type SafeHtml } from './html.js';

type Lang = 'zh' | 'en';

const TEXT = {
  en: {
    title: 'Tell us what went wrong',
    intro: 'We read every complaint. You will get a confirmation with your ticket number by e-mail or SMS.',
    name: 'Your name',
    contact: 'E-mail or mobile number',
    order: 'Order number (optional)',
    complaint: 'What happened?',
    submit: 'Send complaint',
    thanks: 'Thank you — we have your complaint',
    thanksBody: 'A confirmation with your ticket number is on its way to',
    errors: 'Please correct the following:',
    switchTo: '中文',
    tooMany: 'Too many submissions from your network. Please wait a minute and try again.',
  },
  zh: {
    title: '告诉我们发生了什么',
    intro: '我们会认真处理每一条投诉。工单号将通过邮件或短信发送给您。',
    name: '您的姓名',
    contact: '邮箱或手机号',
    order: '订单号（选填）',
    complaint: '请描述问题',
    submit: '提交投诉',
    thanks: '谢谢，我们已收到您的投诉',
    thanksBody: '含工单号的确认信息将发送至',
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
  order: z.string().trim().max(64, 'order').regex(/^[A-Za-z0-9-]*$/, 'order').optional(),
  text: z.string().trim().min(5, 'text').max(10_000, 'text'),
  nonce: z.string().regex(/^[0-9a-f-]{36}$/).optional(),
  lang: z.enum(['zh', 'en']).optional(),
});

const FIELD_ERRORS: Record<Lang, Record<string, string>> = {
  en: { name: 'Enter your name.', contact: 'Enter a valid e-mail address or mobile number.', order: 'Order numbers contain only letters, digits and dashes.', text: 'Describe the problem in at least 5 characters.' },
  zh: { name: '请填写姓名。', contact: '请填写有效的邮箱或手机号。', order: '订单号只能包含字母、数字和短横线。', text: '请至少用 5 个字描述问题。' },
};

function langOf(req: express.Request): Lang {
  const q = (req.query.lang ?? req.body?.lang) as string | undefined;
  if (q === 'zh' || q === 'en') return q;
  return /^zh/i.test(req.get('accept-language') ?? '') ? 'zh' : 'en';
}

function page(lang: Lang, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
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
export function complaintFormRoutes(deps: { sink: InboundSink; rateLimit: { windowSeconds: number; max: number } }): Router {
  const router = Router();
  const limiter = rateLimit({
    windowMs: deps.rateLimit.windowSeconds * 1000,
    limit: deps.rateLimit.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      const lang = langOf(req);
      res.status(429).type('html').send(page(lang, html`<h1>${TEXT[lang].title}</h1><p role="alert">${TEXT[lang].tooMany}</p>`));
    },
  });

  router.get('/complaint', (req, res) => {
    const lang = langOf(req);
    res.type('html').send(page(lang, form(lang, {}, [])));
  });

  router.post('/complaint', express.urlencoded({ extended: false, limit: '64kb' }), limiter, async (req, res, next) => {
    try {
      const lang = langOf(req);
      const parsed = formBody.safeParse(req.body ?? {});
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
        const errors = fields.map((f) => FIELD_ERRORS[lang][f] ?? f);
        res.status(400).type('html').send(page(lang, form(lang, stringValues(req.body), errors)));
        return;
      }
      const v = parsed.data;
      const address = isEmail(v.contact) ? v.contact.toLowerCase() : normalizePhone(v.contact)!;
      await deps.sink({
        channel: 'webform',
        externalId: v.nonce ?? randomUUID(),
        receivedAt: new Date().toISOString(),
        from: { address, name: v.name },
        text: v.text,
        language: lang === 'zh' ? 'zh-Hans' : undefined,
        attachments: [],
        meta: { ...(v.order ? { orderNumber: v.order } : {}), formLanguage: lang },
      });
      res.status(202).type('html').send(page(lang, html`<h1>${TEXT[lang].thanks}</h1><p role="status">${TEXT[lang].thanksBody} <strong>${address}</strong>.</p>`));
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

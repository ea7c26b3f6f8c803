/**
 * Screenshots of the agent console for the README: inbox and ticket page, English and Chinese,
 * 1280×800, written to docs/screenshots/console-{inbox,ticket}-{en,zh}.png.
 *
 *   node --import tsx scripts/console-screenshots.ts [--out DIR] [--keep-open]
 *
 * Starts a whole gateway on a throwaway SQLite database with sample complaints on several
 * channels (in-memory fake channel adapters stand in for the providers, so replies are "sent"),
 * signs in through the console's form in Debian's chromium (CHROMIUM_PATH to use another), and
 * shoots. --keep-open leaves the gateway running and prints its URL and the sign-in.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { FakeAdapter } from '../adapters/fake/fake.adapter.js';
import { loadConfig } from '../config/loader.js';
import { Gateway } from '../gateway/compose.js';
import { createLogger } from '../gateway/logger.js';
import { UserAccounts } from '../gateway/user-accounts.js';
import type { StoredSla } from '../gateway/sla/ticket-sla.js';

const { values: args } = parseArgs({ options: { out: { type: 'string', default: 'docs/screenshots' }, 'keep-open': { type: 'boolean', default: false } } });
const OUT = path.resolve(args.out!);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN_TOKEN = `screenshots-${Date.now()}-admin-token`;
const AGENT = { username: 'li.lei', displayName: 'Li Lei', password: 'sample-password-1' };
const HOUR = 3_600_000;

/** Complaints as customers write them, on the channels they use. */
const SAMPLES: Array<{ channel: string; from: { address: string; name?: string }; subject?: string; text: string }> = [
  {
    channel: 'email',
    from: { address: 'wang.fang@example.com', name: 'Wang Fang' },
    subject: 'Kettle leaks after two days',
    text: 'The kettle I bought (order SO-20261124-77) leaks from the bottom and the handle gets hot. Please call me on +86 138 0013 8000. Very disappointed!',
  },
  { channel: 'sms', from: { address: '+8613900139000' }, text: '快递三天了还没到，订单 DD20261124001，电话也打不通' },
  { channel: 'wechat', from: { address: 'wx-openid-7781', name: '陈先生' }, text: '收到的手机屏幕碎了，包装也破损了，要求换货' },
  {
    channel: 'webform',
    from: { address: 'maria.lopez@example.com', name: 'Maria Lopez' },
    text: 'I was charged twice for the same order SO-20261120-12. Please refund the second payment.',
  },
  { channel: 'email', from: { address: 'zhao.lei@example.cn', name: '赵磊' }, subject: '客服态度', text: '客服态度太差了，打了三次电话都没人解决，非常失望' },
  {
    channel: 'webchat',
    from: { address: 'chat-visitor-42', name: 'Tom Baker' },
    text: 'The courier left my parcel in the rain and the box was soaked through.',
  },
  { channel: 'sms', from: { address: '+8613700137000' }, text: '充电器冒烟着火了，差点烧到孩子！' },
  {
    channel: 'email',
    from: { address: 'priya.n@example.com', name: 'Priya N.' },
    subject: 'My data was leaked',
    text: 'After I registered, I started getting spam calls that mention my order. I think my personal data was leaked.',
  },
  { channel: 'wechat', from: { address: 'wx-openid-1203', name: '林女士' }, text: '外卖送到时已经凉了，还洒了一半，商家不理人' },
  {
    channel: 'webform',
    from: { address: 'k.schmidt@example.de', name: 'Karl Schmidt' },
    text: 'The hotel room was dirty and smelled of smoke. Reception did not offer another room.',
  },
];

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-console-shots-'));
  const config = loadConfig({
    dir: path.resolve('config'),
    env: {
      DATABASE_URL: `sqlite:${path.join(dir, 'gateway.sqlite')}`,
      GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      PORT: '0',
      HOST: '127.0.0.1',
    },
  });
  config.gateway.pipeline.pollIntervalMs = 20;
  config.gateway.outbox.pollIntervalMs = 20;
  const adapters = (['email', 'sms', 'wechat', 'webform'] as const).map((id) => new FakeAdapter(id));
  const gateway = await Gateway.create({ config, adapters, workers: true, watchConfig: false, logger: createLogger(config.env.LOG_LEVEL) });
  await gateway.start(0, '127.0.0.1');
  const url = gateway.url;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    await new UserAccounts(gateway.users, gateway.sessions).create({
      username: AGENT.username,
      role: 'agent',
      displayName: AGENT.displayName,
      password: AGENT.password,
    });
    await new UserAccounts(gateway.users, gateway.sessions).create({ username: 'han.mei', role: 'lead', displayName: 'Han Mei', password: AGENT.password });
    const ticketId = await seed(gateway, url, await leakPhoto(browser));
    if (args['keep-open']) {
      process.stdout.write(`console: ${url}/console  (sign in as ${AGENT.username} / ${AGENT.password}); Ctrl+C stops\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    } else {
      await shoot(browser, url, ticketId, (await gateway.tickets.get(gateway.db, ticketId))!.statusToken);
    }
  } finally {
    await browser.close();
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The samples through the real intake and pipeline, then an agent's work on the first one. Returns that ticket's id. */
async function seed(gateway: Gateway, url: string, photo: Buffer): Promise<number> {
  const asAdmin = (method: string, p: string, body?: unknown) => call(url, method, p, body, { authorization: `Bearer ${ADMIN_TOKEN}` });
  let n = 0;
  for (const s of SAMPLES) await asAdmin('POST', '/api/v1/messages', { ...s, externalId: `sample-${++n}` });
  await until(async () => (await gateway.journal.lag()).pending === 0, 'the pipeline to take the samples');

  // The customer of the first complaint writes again by SMS (the phone number in the e-mail links them).
  await asAdmin('POST', '/api/v1/messages', {
    channel: 'sms',
    externalId: `sample-${n + 1}`,
    from: { address: '+8613800138000' },
    text: 'Any news about order SO-20261124-77? The kettle still leaks.',
  });
  await until(async () => (await gateway.journal.lag()).pending === 0, 'the follow-up');
  // …and mails a photo of the leak, kept by the gateway's attachment store as the e-mail channel would.
  const stored = await gateway.attachments.put('kettle-leak.png', 'image/png', photo);
  await gateway.sink({
    channel: 'email',
    externalId: '<sample-photo@example.com>',
    receivedAt: new Date().toISOString(),
    from: { address: 'wang.fang@example.com', name: 'Wang Fang' },
    subject: 'Re: Kettle leaks after two days',
    text: 'Here is a photo of the water under the kettle.',
    attachments: [{ name: 'kettle-leak.png', ...stored }],
    meta: {},
  });
  await until(async () => (await gateway.journal.lag()).pending === 0, 'the photo');

  // The samples arrived over the last ten days (for the insights' charts), at office and evening hours.
  const all = await gateway.db('tickets').orderBy('id').select('id', 'created_at');
  for (const [k, r] of all.entries()) {
    const at = Number(r.created_at) - ((k * 7) % 10) * 24 * HOUR - ((k * 5) % 11) * HOUR;
    await gateway.db('tickets').where({ id: r.id }).update({ created_at: at });
  }

  // Some tickets came in hours ago: their clocks are nearer (or past) their due times.
  const tickets = await gateway.tickets.list(gateway.db, { limit: 100 });
  for (const [i, hoursAgo] of [
    [1, 30],
    [4, 26],
    [6, 3],
  ] as const) {
    const t = tickets.find((x) => x.number.endsWith(`-000${i + 1}`));
    if (t?.sla) await ageClock(gateway, t.id, t.sla as unknown as StoredSla, hoursAgo * HOUR);
  }

  // An agent's session, as the console has it: cookie + CSRF token.
  const signIn = await fetch(`${url}/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: AGENT.username, password: AGENT.password }),
  });
  const cookie = /gw_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0];
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  if (!cookie) throw new Error(`could not sign in as ${AGENT.username} (${signIn.status})`);
  const asAgent = (method: string, p: string, body?: unknown) => call(url, method, p, body, { cookie, 'x-csrf-token': csrfToken });

  const first = (await asAdmin('GET', '/api/v1/tickets?q=SO-20261124-77&status=new,open,pending_customer,reopened')).items[0] as { id: number };
  await asAgent('PATCH', `/api/v1/tickets/${first.id}`, { assignee: AGENT.username, priority: 'high' });
  await asAgent('POST', `/api/v1/tickets/${first.id}/notes`, { text: 'Second leak report for this kettle batch this week — asked QA for the batch number.' });
  await asAgent('POST', `/api/v1/tickets/${first.id}/replies`, {
    text: 'Hello Wang Fang, sorry about the kettle. A replacement ships today; the courier will collect the leaking one.',
  });
  const second = tickets.find((x) => x.number.endsWith('-0002'));
  if (second) await asAgent('PATCH', `/api/v1/tickets/${second.id}`, { assignee: AGENT.username });
  await until(async () => Number((await gateway.db('outbox').where('status', 'pending').count({ n: '*' }).first())?.n ?? 0) === 0, 'the outbox');
  return first.id;
}

/** Moves a ticket's SLA due times `ms` earlier, as if it had arrived that long ago. */
async function ageClock(gateway: Gateway, id: number, sla: StoredSla, ms: number): Promise<void> {
  const shift = (v: unknown) => (typeof v === 'number' ? v - ms : v);
  const aged = Object.fromEntries(Object.entries(sla).map(([k, v]) => [k, /DueAt$|At$/.test(k) ? shift(v) : v])) as unknown as StoredSla;
  await gateway.tickets.setSla(gateway.db, id, aged as unknown as Record<string, unknown>, Date.now() + HOUR, {
    firstResponseDueAt: (aged as { firstResponseDueAt?: number }).firstResponseDueAt ?? null,
    resolutionDueAt: (aged as { resolutionDueAt?: number }).resolutionDueAt ?? null,
  });
}

/** A small drawing of a leaking kettle, rendered by the browser: the customer's "photo". */
async function leakPhoto(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 240, height: 150 } });
  await page.setContent(`<body style="margin:0"><svg width="240" height="150" xmlns="http://www.w3.org/2000/svg">
    <rect width="240" height="150" fill="#e9eef2"/><rect y="118" width="240" height="32" fill="#c9b79c"/>
    <ellipse cx="120" cy="128" rx="70" ry="9" fill="#7fb2e5" opacity=".8"/>
    <path d="M80 118 L88 50 Q120 36 152 50 L160 118 Z" fill="#b9c2cc" stroke="#59636e" stroke-width="3"/>
    <path d="M152 62 Q186 70 170 104" fill="none" stroke="#59636e" stroke-width="7"/>
    <path d="M86 62 L60 48" stroke="#59636e" stroke-width="6"/><rect x="108" y="38" width="24" height="8" rx="3" fill="#59636e"/>
    <circle cx="100" cy="121" r="3" fill="#4f8fd0"/><circle cx="132" cy="123" r="2.5" fill="#4f8fd0"/></svg></body>`);
  const png = await page.screenshot({ type: 'png' });
  await page.close();
  return png;
}

async function shoot(browser: Browser, url: string, ticketId: number, statusToken: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  // A lead has the same ticket open: the page shows who else is on it.
  const lead = await fetch(`${url}/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'han.mei', password: AGENT.password }),
  });
  const leadSession = {
    cookie: /gw_session=[^;]+/.exec(lead.headers.get('set-cookie') ?? '')?.[0] ?? '',
    'x-csrf-token': ((await lead.json()) as { csrfToken: string }).csrfToken,
  };
  {
    for (const lang of ['en', 'zh'] as const) {
      // The console picks its language from the browser's: no switch pressed for these.
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: lang === 'zh' ? 'zh-CN' : 'en-GB',
        timezoneId: 'Asia/Shanghai',
      });
      const page = await context.newPage();
      await page.goto(`${url}/console`);
      await signInThroughForm(page, lang);
      await page.locator('table.tickets tbody tr').first().waitFor();
      await settleFonts(page);
      await page.screenshot({ path: path.join(OUT, `console-inbox-${lang}.png`) });
      await call(url, 'POST', `/api/v1/tickets/${ticketId}/presence`, { state: 'viewing' }, leadSession);
      await page.goto(`${url}/console#/tickets/${ticketId}`);
      await page.locator('.timeline .note').first().waitFor();
      await page.locator('.presence-viewing').waitFor();
      await page.locator('.attachment-preview').evaluate((img) => (img as HTMLImageElement).decode());
      await page.locator('.classification').waitFor();
      // The timeline opens at its newest entry; start it at the customer's SMS follow-up so both channels show.
      await page.evaluate(() => {
        const scroller = document.querySelector<HTMLElement>('.timeline-scroll');
        const follow = [...document.querySelectorAll<HTMLElement>('.timeline .message-in')].pop();
        if (scroller && follow) scroller.scrollTop = follow.offsetTop - scroller.offsetTop - 8;
      });
      await settleFonts(page);
      await page.screenshot({ path: path.join(OUT, `console-ticket-${lang}.png`) });
      // The customer panel as the agent sees it (contact details masked), then revealed (an audited request).
      const panel = page.locator('.customer');
      await panel.scrollIntoViewIfNeeded();
      await panel.screenshot({ path: path.join(OUT, `console-customer-masked-${lang}.png`) });
      await panel.getByRole('button', { name: lang === 'zh' ? '显示联系方式' : 'Show contact details' }).click();
      await panel.locator('.revealed-note').waitFor();
      await panel.screenshot({ path: path.join(OUT, `console-customer-revealed-${lang}.png`) });
      await shootRules(browser, url, lang);
      await shootInsights(browser, url, lang);
      await shootPhone(browser, url, lang, ticketId, statusToken);
      await context.close();
      process.stdout.write(`wrote ${path.join(OUT, `console-inbox-${lang}.png`)} and console-ticket-${lang}.png\n`);
    }
  }
}

/** On a phone (390×844): the agent's ticket page, and the customer's status page with what they can do there. */
async function shootPhone(browser: Browser, url: string, lang: 'en' | 'zh', ticketId: number, statusToken: string): Promise<void> {
  const phone = { width: 390, height: 844 };
  const page = await consoleAs(browser, url, lang, AGENT.username, phone);
  await page.goto(`${url}/console#/tickets/${ticketId}`);
  await page.locator('.classification').waitFor();
  await settleFonts(page);
  await page.screenshot({ path: path.join(OUT, `console-ticket-phone-${lang}.png`) });
  await page.goto(`${url}/t/${statusToken}?lang=${lang}`);
  await settleFonts(page);
  await page.screenshot({ path: path.join(OUT, `status-page-phone-${lang}.png`), fullPage: true });
  await page.context().close();
}

/** The rules workbench as a lead sees it: a routing edit checked and previewed (nothing applied: the shipped config is not touched). */
async function shootRules(browser: Browser, url: string, lang: 'en' | 'zh'): Promise<void> {
  const page = await consoleAs(browser, url, lang, 'han.mei', { width: 1280, height: 1000 });
  await page.goto(`${url}/console#/rules?file=routing.yaml`);
  const editor = page.locator('#rules-text');
  await page.waitForFunction(() => (document.querySelector('#rules-text') as HTMLTextAreaElement | null)?.value.includes('rules:'));
  const text = await editor.inputValue();
  const rule = '  - id: late-to-trade\n    description: Trial - late parcels to the trade desk\n    when: { category: LG }\n    then: { queue: trade }\n';
  await editor.fill(text.replace('rules:\n', `rules:\n${rule}`));
  await page.locator('.rules-check .ok').waitFor();
  await page.locator('.rules-actions button.secondary').click();
  await page.locator('.rules-preview .preview-counts').waitFor();
  await page.locator('#rules-reason').fill(lang === 'zh' ? '试行：本周物流延误交由交易组处理' : 'Trial: trade desk takes late parcels this week');
  await editor.evaluate((box: HTMLTextAreaElement) => (box.scrollTop = 0));
  await settleFonts(page);
  await page.screenshot({ path: path.join(OUT, `console-rules-${lang}.png`), fullPage: true });
  await page.context().close();
}

/** The lead's insights over the sample tickets (spread over the last days by seed). */
async function shootInsights(browser: Browser, url: string, lang: 'en' | 'zh'): Promise<void> {
  const page = await consoleAs(browser, url, lang, 'han.mei', { width: 1280, height: 900 });
  await page.goto(`${url}/console#/insights`);
  await page.waitForFunction(() => document.querySelectorAll('.chart canvas').length >= 4);
  await page.locator('.insight-table').first().waitFor();
  await settleFonts(page);
  await page.screenshot({ path: path.join(OUT, `console-insights-${lang}.png`), fullPage: true });
  await page.context().close();
}

async function signInThroughForm(page: Page, lang: 'en' | 'zh', username = AGENT.username): Promise<void> {
  await page.getByLabel(lang === 'zh' ? '用户名' : 'User name').fill(username);
  await page.getByLabel(lang === 'zh' ? '密码' : 'Password').fill(AGENT.password);
  await page.getByRole('button', { name: lang === 'zh' ? '登录' : 'Sign in' }).click();
}

/** A new browser profile in `lang` at `viewport`, signed in to the console as `username`. */
async function consoleAs(browser: Browser, url: string, lang: 'en' | 'zh', username: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: lang === 'zh' ? 'zh-CN' : 'en-GB', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.goto(`${url}/console`);
  await signInThroughForm(page, lang, username);
  // Attached, not visible: a phone-wide header hides who is signed in.
  await page.locator('.console-header .who').waitFor({ state: 'attached' });
  return page;
}

async function settleFonts(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  // The "live" highlight fades in 6 s; the shots show the steady page.
  await page.waitForTimeout(300);
}

async function call(url: string, method: string, p: string, body: unknown, headers: Record<string, string>): Promise<any> {
  const res = await fetch(url + p, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function until(done: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { UserAccounts } from '../../gateway/user-accounts.js';
import { launchChromium } from '../support/chromium.js';
import { createUserWithCli, PASSWORD, seriousViolations, waitUntil } from '../support/console-helpers.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * The agent console (/console) in a real browser (Debian's chromium, headless) against the whole
 * gateway on SQLite: people made with `gateway user create` sign in through the form, tickets arrive
 * live from the stream, and an agent answers a web-chat visitor whose widget, open in another
 * browser profile, shows the reply. axe-core checks sign-in, inbox and ticket pages.
 */
const DESKTOP = { width: 1280, height: 800 };
const TABLET = { width: 768, height: 1024 };
const SHOP_PAGE = readFileSync(path.resolve('test/fixtures/webchat/shop-page.html'), 'utf8');

describe('agent console in chromium', function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let browser: Browser;
  let shop: Server;
  let shopUrl: string;
  /** The agent's console, signed in by the first test and used by the ones after it. */
  let agent: Page;
  let agentContext: BrowserContext;
  const pageErrors: string[] = [];

  before(async function () {
    gw = await startTestGateway({ db: 'sqlite' });
    await Promise.all([createUserWithCli(gw.database.url, 'li.lei', 'agent', 'Li Lei'), createUserWithCli(gw.database.url, 'han.mei', 'lead', 'Han Mei')]);
    // A shop on another origin with the chat widget: the visitor side of a web-chat reply.
    shop = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(SHOP_PAGE.replace('{{GATEWAY}}', gw.url).replace('{{LANG}}', 'en'));
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://localhost:${(shop.address() as AddressInfo).port}/orders`;
    browser = await launchChromium();
  });

  after(async function () {
    await browser?.close();
    await new Promise((resolve) => shop?.close(resolve));
    await gw?.stop();
  });

  /** A fresh browser profile on the console; page errors and CSP refusals are collected for the last test. */
  async function openConsole(
    options: { viewport?: { width: number; height: number }; locale?: string } = {},
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, locale: options.locale ?? 'en-GB' });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) pageErrors.push(`csp: ${msg.text()}`);
    });
    await page.goto(`${gw.url}/console`);
    return { context, page };
  }

  async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const ticketOf = async (id: number) => (await gw.api('GET', `/api/v1/tickets/${id}`)).body;

  it('serves the console under a strict CSP; a user made with `gateway user create` signs in through the form, and a wrong password shows the server message', async function () {
    const { context, page } = await openConsole();
    const response = await page.request.get(`${gw.url}/console`);
    expect(response.headers()['content-security-policy']).to.include("script-src 'self'").and.include("frame-ancestors 'none'");
    const shell = await response.text();
    expect(shell).to.match(/<script src="\/console\/app\.[0-9a-f]{12}\.js" defer><\/script>/);
    expect(shell).to.match(/<link rel="stylesheet" href="\/console\/app\.[0-9a-f]{12}\.css">/);
    expect(shell.match(/<script/g)).to.have.length(1);
    const script = /src="(\/console\/app\.[0-9a-f]{12}\.js)"/.exec(shell)![1]!;
    const asset = await page.request.get(gw.url + script);
    expect(asset.status()).to.equal(200);
    expect(asset.headers()['cache-control']).to.include('immutable');

    await page.getByRole('heading', { name: 'Sign in to the agent console' }).waitFor();
    expect(await seriousViolations(page), 'sign-in page').to.deep.equal([]);

    await signIn(page, 'li.lei', 'not the password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('wrong username or password');
    expect(await page.getByRole('heading', { name: 'Inbox' }).count()).to.equal(0);

    await signIn(page, 'li.lei');
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(await page.getByText('Signed in as Li Lei (agent)').count()).to.equal(1);
    expect(page.url()).to.match(/#\/inbox$/);
    // The session is an HttpOnly cookie: the page's script cannot read it.
    expect(await page.evaluate(() => document.cookie)).to.not.include('gw_session');
    agent = page;
    agentContext = context;
  });

  it("shows the lockout (429) in the server's words after too many wrong passwords", async function () {
    await new UserAccounts(gw.gateway.users, gw.gateway.sessions).create({ username: 'lock.me', role: 'agent', password: PASSWORD });
    const { context, page } = await openConsole();
    for (let i = 0; i < 5; i++) {
      await signIn(page, 'lock.me', `wrong password ${i}`);
      await page
        .getByRole('alert')
        .filter({ hasText: /wrong username or password|locked/ })
        .waitFor();
    }
    await signIn(page, 'lock.me');
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: /locked/i }).waitFor();
    expect(await page.getByRole('heading', { name: 'Inbox' }).count()).to.equal(0);
    await context.close();
  });

  it('shows a message posted to /api/v1/messages in the open inbox within seconds, without a reload, highlighted', async function () {
    await agent.locator('.live-on').waitFor();
    await agent.evaluate(() => ((window as any).__sameDocument = true));
    const posted = await gw.api('POST', '/api/v1/messages', {
      channel: 'email',
      externalId: 'console-live-1',
      from: { address: 'zhou.xun@example.com', name: 'Zhou Xun' },
      subject: 'Blender arrived broken',
      text: 'The blender I ordered arrived with a cracked jar. Order SO-20261201-05.',
    });
    expect(posted.status).to.equal(202);
    const started = Date.now();
    const row = agent.locator('tr.ticket-row', { hasText: 'Blender arrived broken' });
    await row.waitFor({ timeout: 5_000 });
    const ms = Date.now() - started;
    expect(ms, 'time from 202 to the row on screen').to.be.below(5_000);
    expect(await agent.evaluate(() => (window as any).__sameDocument)).to.equal(true);
    expect(await row.getAttribute('class')).to.include('fresh');
    expect(await row.textContent())
      .to.include('Zhou Xun')
      .and.include('E-mail');
    // A change to a row on screen (here by someone else, through the API) shows in place.
    const blenderId = Number(await row.getAttribute('data-ticket-id'));
    expect((await gw.api('PATCH', `/api/v1/tickets/${blenderId}`, { assignee: 'han.mei' })).status).to.equal(200);
    await waitUntil(async () => ((await row.textContent()) ?? '').includes('han.mei'), 'the new assignee on the row');
    // The queue list follows: one open ticket in the blender's queue.
    const queue = (await gw.api('GET', '/api/v1/tickets?q=SO-20261201-05')).body.items[0].queue as string;
    const queueLink = agent.locator(`.queue-list a[href$="queue=${queue}"]`);
    await waitUntil(async () => (await queueLink.locator('.count').first().getAttribute('title')) === '1 open', `the count of queue ${queue}`);
    expect(await seriousViolations(agent), 'inbox').to.deep.equal([]);
  });

  it('answers a web-chat visitor from the ticket page: canned reply, reply seen in the widget, internal note kept internal, assign, status and category', async function () {
    // The visitor complains in the widget on the shop's page.
    const visitorContext = await browser.newContext({ viewport: DESKTOP });
    const visitor = await visitorContext.newPage();
    await visitor.goto(shopUrl);
    await visitor.getByRole('button', { name: 'Open chat with customer service' }).click();
    await visitor.getByLabel('Name').fill('Li Na');
    await visitor.getByLabel('E-mail or mobile number').fill('li.na@example.com');
    await visitor.getByLabel('Your message').fill('The kettle I bought leaks from the bottom after two days. I would like a replacement.');
    await visitor.getByLabel('Your message').press('Enter');
    const ticketNumber = (await visitor.locator('.gwc-ticket-number').textContent({ timeout: 10_000 }))!;
    expect(ticketNumber).to.match(/^C-\d{8}-\d{4}$/);

    // It arrives in the agent's inbox live; open it.
    const row = agent.locator('tr.ticket-row', { hasText: ticketNumber });
    await row.waitFor({ timeout: 5_000 });
    await row.getByRole('link', { name: ticketNumber }).click();
    await agent.getByRole('heading', { name: new RegExp(ticketNumber) }).waitFor();
    const id = Number(/#\/tickets\/(\d+)/.exec(agent.url())![1]);
    const timeline = agent.locator('.timeline');
    const first = timeline.locator('.message-in').first();
    expect(await first.textContent())
      .to.include('The kettle I bought leaks')
      .and.include('Web chat')
      .and.include('Customer')
      .and.include('received');
    // The classification and its evidence, as the API gives them.
    expect(await agent.locator('.classification').textContent())
      .to.include('Evidence')
      .and.include('PQ');
    // The customer panel: the identities the widget gave, masked for an agent (issue 23)…
    const panel = agent.locator('.customer');
    expect(await panel.textContent())
      .to.include('l***@example.com')
      .and.not.include('li.na@example.com');
    // …until the agent asks to see them: the full address, a note that it was recorded, and an audit entry.
    await panel.getByRole('button', { name: 'Show contact details' }).click();
    await panel.getByText('li.na@example.com').waitFor();
    expect(await panel.getByRole('status').textContent()).to.include('recorded in the audit trail');
    const reveals = (await gw.api('GET', `/api/v1/audit?action=contact.revealed&ticket=${id}`)).body.items;
    expect(reveals.map((e: { actor: string; role: string }) => [e.actor, e.role])).to.deep.equal([['user:li.lei', 'agent']]);

    // A canned reply, rendered for this ticket, goes into the reply box.
    await agent.getByLabel('Canned reply').selectOption({ label: 'Apology: looking into it' });
    const box = agent.getByLabel(/Reply to the customer/);
    const drafted = await box.inputValue();
    expect(drafted).to.include(ticketNumber).and.include('Li Na').and.include('very sorry');
    await box.press('End');
    await box.pressSequentially(' A replacement kettle ships today.');
    await agent.getByRole('button', { name: 'Send reply' }).click();
    await agent.getByRole('status').filter({ hasText: 'Reply queued on Web chat' }).waitFor();

    // The reply leaves through the web-chat adapter: the visitor's widget shows it.
    await visitor.getByRole('log').getByText('A replacement kettle ships today.').waitFor({ timeout: 10_000 });
    const sent = timeline.locator('.message-out.author-agent', { hasText: 'A replacement kettle ships today.' });
    await sent.waitFor();
    await waitUntil(async () => /Delivery: sent/.test((await sent.textContent()) ?? ''), 'the delivery status "sent" on the timeline');
    expect(await sent.textContent())
      .to.include('Agent li.lei')
      .and.include('Web chat');

    // An internal note: marked internal on the timeline, never sent to the customer.
    await agent.getByRole('button', { name: 'Internal note' }).click();
    await agent.getByLabel('Internal note (never sent to the customer)').fill('Customer sounded upset; second kettle from this batch.');
    await agent.getByRole('button', { name: 'Add note' }).click();
    const note = timeline.locator('.note', { hasText: 'second kettle from this batch' });
    await note.waitFor();
    expect(await note.locator('.badge-internal').textContent()).to.equal('internal');
    await gw.settle();
    const afterNote = await ticketOf(id);
    expect(afterNote.messages.map((m: { text: string }) => m.text).join('\n')).to.not.include('second kettle from this batch');
    expect(afterNote.notes.map((n: { text: string }) => n.text)).to.deep.equal(['Customer sounded upset; second kettle from this batch.']);
    expect(await visitor.getByRole('log').textContent()).to.not.include('second kettle');

    // Assign to me, then a status change, through the properties.
    await agent.getByRole('button', { name: 'Assign to me' }).click();
    await waitUntil(async () => (await agent.locator('.ticket-header').textContent())!.includes('li.lei'), 'the assignee in the header');
    expect((await ticketOf(id)).assignee).to.equal('li.lei');
    await agent.getByLabel('Status', { exact: true }).selectOption({ label: 'Waiting for customer' });
    await agent.getByRole('button', { name: 'Save' }).click();
    await waitUntil(async () => (await agent.locator('.ticket-header').textContent())!.includes('Waiting for customer'), 'the new status in the header');
    expect((await ticketOf(id)).status).to.equal('pending_customer');

    // A category change: a wrong sub-code is refused with the server's words, a right one is kept.
    await agent.getByLabel('Category', { exact: true }).fill('LG');
    await agent.getByLabel('Sub-code').fill('LG-99');
    await agent.getByRole('button', { name: 'Save' }).click();
    const refusal = agent.locator('.properties').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent())
      .to.include('"LG-99" is not a sub-code of LG')
      .and.include('LG-01');
    await agent.getByLabel('Sub-code').fill('LG-01');
    await agent.getByRole('button', { name: 'Save' }).click();
    await waitUntil(async () => (await agent.locator('.ticket-header').textContent())!.includes('LG · LG-01'), 'the new category in the header');
    const relabelled = await ticketOf(id);
    expect([relabelled.category, relabelled.subcategory]).to.deep.equal(['LG', 'LG-01']);
    expect(await agent.locator('.properties').getByRole('alert').count()).to.equal(0);
    // Every change is on the timeline (the audit trail).
    const trail = (await timeline.textContent())!;
    expect(trail).to.include('Assignee changed').and.include('Status changed').and.include('Category changed');

    expect(await seriousViolations(agent), 'ticket page').to.deep.equal([]);
    await visitorContext.close();
  });

  it('moves with the keyboard: j/k through the inbox, Enter opens, r reply, n note, a assign to me, ? lists the shortcuts', async function () {
    await agent.goto(`${gw.url}/console#/inbox`);
    const rows = agent.locator('tr.ticket-row');
    await rows.nth(1).waitFor();
    await blur(agent);
    await agent.keyboard.press('j');
    await agent.keyboard.press('j');
    await agent.keyboard.press('k');
    const firstId = await rows.nth(0).getAttribute('data-ticket-id');
    expect(await rows.nth(0).getAttribute('class')).to.include('selected');
    expect(await agent.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-ticket-id'))).to.equal(firstId);
    await agent.keyboard.press('Enter');
    await agent.waitForURL(new RegExp(`#/tickets/${firstId}$`));
    await agent.locator('.timeline').waitFor();

    await blur(agent);
    await agent.keyboard.press('r');
    await waitUntil(async () => (await agent.evaluate(() => document.activeElement?.id)) === 'composer-text', 'the reply box to take the focus');
    expect(await agent.evaluate(() => document.querySelector('label[for="composer-text"]')?.textContent)).to.match(/^Reply to the customer/);
    await blur(agent);
    await agent.keyboard.press('n');
    await waitUntil(
      async () =>
        (await agent.evaluate(() => document.querySelector('label[for="composer-text"]')?.textContent)) === 'Internal note (never sent to the customer)',
      'the note box',
    );
    // The label changes on the render, the focus moves just after it.
    await waitUntil(async () => (await agent.evaluate(() => document.activeElement?.id)) === 'composer-text', 'the note box to take the focus');

    await blur(agent);
    await agent.keyboard.press('a');
    await waitUntil(async () => (await ticketOf(Number(firstId))).assignee === 'li.lei', 'the assignment by shortcut');

    await agent.keyboard.press('?');
    const dialog = agent.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.textContent())
      .to.include('Next ticket')
      .and.include('Assign the ticket to me');
    await agent.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // j on a ticket page opens the next ticket of the inbox.
    await blur(agent);
    await agent.keyboard.press('j');
    await agent.waitForURL((url) => !url.hash.endsWith(`/tickets/${firstId}`) && /#\/tickets\/\d+$/.test(url.hash));
  });

  it('links another customer from the customer panel and undoes the merge', async function () {
    const blender = (await gw.api('GET', '/api/v1/tickets?q=SO-20261201-05')).body.items[0];
    const kettle = (await gw.api('GET', '/api/v1/tickets?q=li.na@example.com')).body.items[0];
    expect(blender.customerId).to.not.equal(kettle.customerId);
    await agent.goto(`${gw.url}/console#/tickets/${blender.id}`);
    const panel = agent.locator('.customer');
    await panel.getByText('z***@example.com').waitFor();
    await panel.getByText('Link another customer').click();
    await panel.getByLabel('Customer number to link').fill(String(kettle.customerId));
    await panel.getByLabel('Why they are the same person').fill('Same household, confirmed on the phone');
    await panel.getByRole('button', { name: 'Link customers' }).click();
    await panel.getByRole('status').filter({ hasText: 'Customers linked.' }).waitFor();
    // One customer now: both addresses (masked for an agent), and the other ticket listed.
    await panel.getByText('l***@example.com').waitFor();
    expect(await panel.locator('.other-tickets').textContent()).to.include(kettle.number);
    await panel.getByRole('button', { name: 'Undo merge' }).click();
    await panel.getByRole('status').filter({ hasText: 'Merge undone' }).waitFor();
    await waitUntil(
      async () => (await ticketOf(kettle.id)).customerId === kettle.customerId && (await ticketOf(blender.id)).customerId === blender.customerId,
      'the customers to be apart again',
    );
  });

  it('shows a photo the customer mailed in the timeline and downloads it; an attachment the gateway did not keep says why', async function () {
    // What the e-mail channel hands the journal once it stored the photo (storage/attachment-files.ts).
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const stored = await gw.gateway.attachments.put('kettle.png', 'image/png', png);
    await gw.gateway.sink({
      channel: 'email',
      externalId: '<photo-1@example.com>',
      receivedAt: new Date().toISOString(),
      from: { address: 'photo.sender@example.com', name: 'Qian Li' },
      subject: 'Kettle leaks — photo',
      text: 'The kettle leaks at the base, see the photo.',
      attachments: [{ name: 'kettle.png', ...stored }],
      meta: { droppedAttachments: [{ name: 'video.mov', contentType: 'video/quicktime', size: 80_000_000, reason: 'too-large' }] },
    });
    await gw.settle();
    const ticket = (await gw.api('GET', '/api/v1/tickets?q=photo.sender@example.com')).body.items[0];
    await agent.goto(`${gw.url}/console#/tickets/${ticket.id}`);
    const list = agent.locator('.attachments');
    const preview = list.getByRole('img', { name: 'kettle.png' });
    await preview.waitFor();
    await waitUntil(async () => (await preview.evaluate((img) => (img as HTMLImageElement).naturalWidth)) === 1, 'the preview image to load');
    await list.getByText('video.mov').waitFor();
    expect(await list.textContent()).to.include('not kept: over the size limit');
    const [download] = await Promise.all([agent.waitForEvent('download'), list.getByRole('link', { name: 'kettle.png', exact: true }).click()]);
    expect(download.suggestedFilename()).to.equal('kettle.png');
    const chunks: Buffer[] = [];
    for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(png)).to.equal(true);
  });

  it('shows two agents on one ticket each other: who is viewing, who is typing, and a reply the other sent while one was writing', async function () {
    expect(
      (
        await gw.api('POST', '/api/v1/messages', {
          channel: 'api',
          externalId: 'two-agents-1',
          from: { address: 'two.agents@example.com', name: 'Sun Yue' },
          text: 'My order SO-20261204-77 arrived with a cracked screen.',
        })
      ).status,
    ).to.equal(202);
    await gw.settle();
    const ticket = (await gw.api('GET', '/api/v1/tickets?q=two.agents@example.com')).body.items[0];
    await agent.goto(`${gw.url}/console#/tickets/${ticket.id}`);
    await agent.getByText('cracked screen').first().waitFor();

    const { context, page: lead } = await openConsole();
    await signIn(lead, 'han.mei');
    await lead.goto(`${gw.url}/console#/tickets/${ticket.id}`);
    await lead.getByText('Also on this ticket: Li Lei').waitFor();
    await agent.getByText('Also on this ticket: Han Mei').waitFor();

    // Han Mei writes: Li Lei sees it while it happens.
    await lead.getByLabel(/Reply to the customer/).pressSequentially('Dear Ms Sun, ', { delay: 20 });
    await agent.getByText('Han Mei typing…').waitFor();

    // Li Lei has a draft too; Han Mei sends first: Li Lei is told, and sees the reply, before sending.
    await agent.getByLabel(/Reply to the customer/).fill('Hello, we are sorry about the screen.');
    await lead.getByLabel(/Reply to the customer/).fill('Dear Ms Sun, a replacement ships today.');
    await lead.getByRole('button', { name: 'Send reply' }).click();
    const alert = agent.locator('.reply-by-other');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('Han Mei sent a reply to the customer');
    await agent.locator('.timeline').getByText('a replacement ships today').waitFor();
    expect(await agent.getByLabel(/Reply to the customer/).inputValue(), 'the draft is kept').to.equal('Hello, we are sorry about the screen.');
    await alert.getByRole('button', { name: 'Dismiss' }).click();

    // Han Mei leaves: gone from Li Lei's page at once, not after the timeout.
    await lead.goto(`${gw.url}/console#/inbox`);
    await agent.getByText('Also on this ticket: Han Mei').waitFor({ state: 'detached', timeout: 5_000 });
    await agent.getByLabel(/Reply to the customer/).fill('');
    await context.close();
  });

  it('switches to Chinese with the visible switch and remembers it; a Chinese browser starts in Chinese', async function () {
    await agent.goto(`${gw.url}/console#/inbox`);
    await agent.getByRole('button', { name: /中文/ }).click();
    await agent.getByRole('heading', { name: '收件箱' }).waitFor();
    // The heading is translated first; the table's header row follows it (on a loaded machine, a moment later).
    await agent.getByRole('columnheader', { name: '工单号' }).waitFor();
    expect(await agent.getByRole('columnheader', { name: '工单号' }).count()).to.equal(1);
    expect(await agent.evaluate(() => document.documentElement.lang)).to.equal('zh-CN');
    await agent.reload();
    await agent.getByRole('heading', { name: '收件箱' }).waitFor();
    await agent.getByRole('button', { name: /English/ }).click();
    await agent.getByRole('heading', { name: 'Inbox' }).waitFor();

    const { context, page } = await openConsole({ locale: 'zh-CN' });
    await page.getByRole('heading', { name: '登录客服工作台' }).waitFor();
    await page.getByLabel('用户名').fill('li.lei');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '收件箱' }).waitFor();
    await context.close();
  });

  it('shows finance the ticket without its words: no message text, masked contacts, nothing to reveal', async function () {
    await createUserWithCli(gw.database.url, 'qian.fin', 'finance', 'Qian Fin');
    const ticket = (await gw.api('GET', '/api/v1/tickets?q=li.na@example.com')).body.items[0];
    const { context, page } = await openConsole();
    await signIn(page, 'qian.fin');
    await page.locator('tr.ticket-row').first().waitFor();
    await page.goto(`${gw.url}/console#/tickets/${ticket.id}`);
    await page.getByRole('heading', { name: new RegExp(ticket.number) }).waitFor();
    const timeline = page.locator('.timeline');
    await timeline.getByText('Message text is not shown to your role.').first().waitFor();
    expect(await timeline.textContent()).to.not.include('The kettle I bought leaks');
    const panel = page.locator('.customer');
    await panel.getByText('l***@example.com').waitFor();
    expect(await panel.getByRole('button', { name: 'Show contact details' }).count()).to.equal(0);
    await context.close();
  });

  it('gives an agent who opens a lead-only page a readable refusal, and shows it to a lead', async function () {
    expect(await agent.getByRole('link', { name: 'FAQ bot statistics' }).count(), 'no link for an agent').to.equal(0);
    await agent.goto(`${gw.url}/console#/faq-stats`);
    const alert = agent.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent())
      .to.include('This page is for team leads and admins')
      .and.include('role "agent" may not do this');

    const { context, page } = await openConsole();
    await signIn(page, 'han.mei');
    await page.getByRole('link', { name: 'FAQ bot statistics' }).click();
    await page.getByRole('heading', { name: /FAQ bot statistics \(last 30 days\)/ }).waitFor();
    expect(await page.getByRole('alert').count()).to.equal(0);
    await context.close();
  });

  it('is usable on a tablet: nothing wider than the screen, every action reachable', async function () {
    const { context, page } = await openConsole({ viewport: TABLET });
    await signIn(page, 'li.lei');
    await page.locator('tr.ticket-row').first().waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow(), 'inbox wider than the tablet').to.be.at.most(0);
    await page.locator('tr.ticket-row a').first().click();
    await page.locator('.timeline').waitFor();
    expect(await overflow(), 'ticket page wider than the tablet').to.be.at.most(0);
    for (const name of ['Send reply', 'Assign to me', 'Save']) expect(await page.getByRole('button', { name }).isVisible(), name).to.equal(true);
    expect(await seriousViolations(page), 'ticket page on a tablet').to.deep.equal([]);
    await context.close();
  });

  it('pages the inbox with "Load more" by cursor', async function () {
    const posts = [];
    for (let i = 0; i < 50; i++) {
      posts.push(
        gw.api('POST', '/api/v1/messages', {
          channel: 'sms',
          externalId: `console-page-${i}`,
          from: { address: `+86139${String(10_000_000 + i)}` },
          text: `Parcel ${i} for order DD2026113${String(1000 + i)} has not arrived after a week.`,
        }),
      );
    }
    expect((await Promise.all(posts)).every((r) => r.status === 202)).to.equal(true);
    await gw.settle();
    await agent.goto(`${gw.url}/console#/inbox`);
    await agent.reload();
    const rows = agent.locator('tr.ticket-row');
    await rows.nth(49).waitFor();
    expect(await rows.count()).to.equal(50);
    await agent.getByRole('button', { name: 'Load more' }).click();
    await rows.nth(50).waitFor();
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket-id')));
    expect(new Set(ids).size, 'no ticket twice').to.equal(ids.length);
    const open = (await gw.api('GET', '/api/v1/tickets?status=new,open,pending_customer,reopened&limit=200')).body.items.length;
    expect(ids.length).to.equal(Math.min(open, 100));
  });

  it('returns to the sign-in form with the server message when the session expires, and back to the same page after signing in', async function () {
    await agent.goto(`${gw.url}/console#/inbox`);
    await agent.locator('tr.ticket-row').first().waitFor();
    await gw.gateway.db('sessions').update({ expires_at: Date.now() - 1_000 });
    gw.gateway.auth.forget();
    await agent.getByLabel('SLA').selectOption({ label: 'Breached' });
    await agent.getByRole('heading', { name: 'Sign in to the agent console' }).waitFor();
    expect(await agent.getByRole('status').first().textContent())
      .to.include('Please sign in again.')
      .and.include('your session has expired');
    await signIn(agent, 'li.lei');
    await agent.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(agent.url()).to.include('sla=breached');
    expect(await agent.getByLabel('SLA').inputValue()).to.equal('breached');
  });

  it('signs out: the sign-in form comes back and the session no longer works', async function () {
    await agent.getByRole('button', { name: 'Sign out' }).click();
    await agent.getByRole('heading', { name: 'Sign in to the agent console' }).waitFor();
    expect(await agent.getByRole('status').first().textContent()).to.include('You are signed out.');
    const me = await agent.request.get(`${gw.url}/api/v1/me`);
    expect(me.status()).to.equal(401);
    await agentContext.close();
    expect(pageErrors, 'page errors and CSP refusals').to.deep.equal([]);
  });
});

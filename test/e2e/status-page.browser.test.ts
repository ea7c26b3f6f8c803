/**
 * The customer's status page (/t/<token>) in Chromium, as a place to act: the customer adds a
 * message, confirms the problem solved, rates it (a low rating reopens the ticket for a
 * supervisor), and reopens — with plain forms, in Chinese and English, accessible.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { launchChromium } from '../support/chromium.js';
import { seriousViolations } from '../support/console-helpers.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

describe('status page actions in chromium', function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let browser: Browser;
  const sms = new FakeAdapter('sms');
  let phone = 0;

  before(async function () {
    gw = await startTestGateway({ db: 'sqlite', adapters: [sms] });
    browser = await launchChromium();
  });
  after(async function () {
    await browser?.close();
    await gw?.stop();
  });

  async function complaint(text: string): Promise<{ id: number; token: string }> {
    const { id } = await sms.receive({ from: { address: `+86139001${String(++phone).padStart(5, '0')}` }, text });
    await gw.settle();
    const ticketId = (await gw.api('GET', `/api/v1/messages/${id}`)).body.ticket.id;
    return { id: ticketId, token: (await gw.gateway.tickets.get(gw.gateway.db, ticketId))!.statusToken };
  }
  const ticket = async (id: number) => (await gw.api('GET', `/api/v1/tickets/${id}`)).body;
  async function open(token: string, locale = 'zh-CN', timezoneId = 'Asia/Shanghai'): Promise<Page> {
    const page = await (await browser.newContext({ locale, timezoneId })).newPage();
    await page.goto(`${gw.url}/t/${token}`);
    return page;
  }

  it('lets the customer add a message, confirm it solved, and rate it; a low rating reopens it for a supervisor', async function () {
    const t = await complaint('我买的电水壶用了两天就漏水了，要求换货。');
    const sentBefore = sms.sent.length;
    const page = await open(t.token);
    await page.getByRole('heading', { name: '补充留言' }).waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);

    await page.getByRole('textbox', { name: '补充留言' }).fill('补充：订单号 DD20261204001，照片已发邮件。');
    await page.getByRole('button', { name: '发送' }).click();
    await page.getByRole('status').filter({ hasText: '您的留言已加入投诉' }).waitFor();
    const withMessage = await ticket(t.id);
    expect(withMessage.messages.map((m: { text: string }) => m.text)).to.include('补充：订单号 DD20261204001，照片已发邮件。');

    await page.getByRole('button', { name: '是的，问题已解决' }).click();
    await page.getByRole('status').filter({ hasText: '很高兴问题已解决' }).waitFor();
    expect((await ticket(t.id)).status).to.equal('resolved');

    await page.getByRole('radio', { name: '2 – 不满意' }).check();
    await page.getByLabel('意见（选填）').fill('换货太慢了');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByRole('status').filter({ hasText: '主管会尽快联系您' }).waitFor();
    expect(await ticket(t.id)).to.include({ status: 'reopened', queue: 'supervisors', csat: 2, csatComment: '换货太慢了' });
    // The customer acted themselves: nothing was sent to tell them what they just did.
    expect(sms.sent.length).to.equal(sentBefore);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.context().close();
  });

  it('reopens a resolved complaint in English, and explains a refused action', async function () {
    const t = await complaint('The kettle I bought leaks from the bottom.');
    await gw.api('PATCH', `/api/v1/tickets/${t.id}`, { status: 'resolved' });
    await gw.settle();
    const page = await open(t.token, 'en-GB');
    await page.getByRole('heading', { name: 'How satisfied are you with how we handled it?' }).waitFor();
    await page.getByRole('button', { name: 'Send my rating' }).click();
    // The browser itself asks for a choice first (required radio): nothing was sent.
    expect((await ticket(t.id)).csat).to.equal(null);
    await page.getByRole('button', { name: 'Reopen my complaint' }).click();
    await page.getByRole('status').filter({ hasText: 'Your complaint is open again' }).waitFor();
    expect((await ticket(t.id)).status).to.equal('reopened');

    // A customer in Berlin reads the times in Berlin time.
    const berlin = await open(t.token, 'en-GB', 'Europe/Berlin');
    const updatedAt = Date.parse((await ticket(t.id)).updatedAt);
    const shown = await berlin.locator('time[data-local]').last().textContent();
    expect(shown).to.equal(new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(new Date(updatedAt)));
    await berlin.context().close();

    // A second tab still showing "resolved" tries to reopen again: told why not.
    const res = await fetch(`${gw.url}/t/${t.token}/reopen?lang=en`, { method: 'POST', redirect: 'manual' });
    expect(res.status).to.equal(303);
    await page.goto(`${gw.url}${res.headers.get('location')}`);
    expect(await page.getByRole('alert').textContent()).to.equal('Only a resolved complaint can be reopened.');
    await page.context().close();
  });
});

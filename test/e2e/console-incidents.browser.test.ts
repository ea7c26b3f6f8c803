/**
 * The incident board in Chromium: a surge of similar complaints on several channels appears on
 * the open board without a reload; a lead opens it (member tickets, channels, customers) and
 * resolves it with a message that each customer receives on their own channel. An agent sees the
 * board but cannot resolve.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { launchChromium } from '../support/chromium.js';
import { createUserWithCli, seriousViolations, signedInPage, waitUntil } from '../support/console-helpers.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const SURGE = [
  { channel: 'sms', address: '+8613800000001', text: '你们的APP登录不了，一直提示服务器错误' },
  { channel: 'email', address: 'wu@example.com', text: 'APP登录不了，提示服务器错误，怎么回事' },
  { channel: 'wechat', address: 'wx-openid-surge-3', text: '今天APP一直登录不了，提示服务器错误' },
];

describe('incident board in chromium', function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let browser: Browser;
  const channels = { sms: new FakeAdapter('sms'), email: new FakeAdapter('email'), wechat: new FakeAdapter('wechat') };

  before(async function () {
    gw = await startTestGateway({
      db: 'sqlite',
      adapters: Object.values(channels),
      tweak: (c) => {
        c.gateway.incidents.minTickets = 3;
      },
    });
    await Promise.all([createUserWithCli(gw.database.url, 'han.mei', 'lead', 'Han Mei'), createUserWithCli(gw.database.url, 'li.lei', 'agent', 'Li Lei')]);
    browser = await launchChromium();
  });

  after(async function () {
    await browser?.close();
    await gw?.stop();
  });

  const signedIn = (name: string) => signedInPage(browser, gw.url, name);

  it('shows a surge as it happens and lets a lead resolve it with a message each customer gets on their channel', async function () {
    const page = await signedIn('han.mei');
    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.getByText('No open incident').waitFor();

    let n = 0;
    // One after another, as a surge arrives (each filed before the next comes in).
    for (const s of SURGE) {
      await gw.api('POST', '/api/v1/messages', {
        channel: s.channel,
        externalId: `surge-${++n}`,
        from: { address: s.address, name: `Customer ${n}` },
        text: s.text,
      });
      await gw.settle();
    }
    const incident = (await gw.api('GET', '/api/v1/incidents?status=open')).body.items[0];
    expect(incident, 'the pipeline found the surge').to.not.equal(undefined);

    // Live: the board shows it without a reload.
    const row = page.locator('table.incidents tbody tr');
    await row.first().waitFor({ timeout: 10_000 });
    expect(await row.first().textContent()).to.include(String(incident.ticketCount));
    await row.first().getByRole('link').click();
    const detail = page.locator('section', { has: page.getByRole('heading', { name: new RegExp(`^Incident ${incident.id} ·`) }) });
    await detail.getByText(`${incident.ticketCount} tickets from 3 customers.`).waitFor();
    for (const label of ['SMS 1', 'E-mail 1', 'WeChat 1']) expect(await detail.textContent()).to.include(label);
    for (const name of ['Customer 1', 'Customer 2', 'Customer 3']) await detail.getByRole('cell', { name }).waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);

    const sentBefore = Object.values(channels).reduce((k, a) => k + a.sent.length, 0);
    await detail.getByLabel(/Message in Chinese/).fill('APP 登录故障已修复（工单 {ticketNumber}），给您带来不便深表歉意。');
    await detail.getByRole('button', { name: 'Resolve incident' }).click();
    await detail.getByText('Incident resolved; 3 customers told.').waitFor();

    // Each customer hears it on the channel they used, with their own ticket number.
    await waitUntil(async () => Object.values(channels).reduce((k, a) => k + a.sent.length, 0) >= sentBefore + 3, 'the three messages to leave');
    const tickets = (await gw.api('GET', `/api/v1/incidents/${incident.id}`)).body.tickets as Array<{ number: string; status: string; channels: string[] }>;
    for (const t of tickets) {
      const adapter = channels[t.channels[0] as keyof typeof channels];
      expect(
        adapter.sent.map((m) => m.text),
        t.number,
      ).to.include(`APP 登录故障已修复（工单 ${t.number}），给您带来不便深表歉意。`);
      expect(t.status).to.equal('resolved');
      expect(
        adapter.sent.filter((m) => m.text.includes(t.number)).map((m) => m.text),
        'one message about the resolution, not two',
      ).to.have.length(2); // the acknowledgement and the incident message
    }
    await page.getByRole('button', { name: 'Resolved' }).click();
    await page.locator('table.incidents').getByRole('link', { name: incident.title }).waitFor();
    await page.context().close();
  });

  it('shows the board to an agent without the resolve form', async function () {
    const page = await signedIn('li.lei');
    const incident = (await gw.api('GET', '/api/v1/incidents?status=resolved')).body.items[0];
    await page.goto(`${gw.url}/console#/incidents?status=resolved&id=${incident.id}`);
    await page.getByRole('heading', { name: new RegExp(`^Incident ${incident.id} ·`) }).waitFor();
    expect(await page.getByRole('button', { name: 'Resolve incident' }).count()).to.equal(0);
    await page.context().close();
  });
});

/**
 * The lead's insights page in Chromium: with seeded tickets every chart renders (ECharts from
 * node_modules, under the console's strict CSP), each chart draws exactly the numbers the API
 * returns for the same filters, a filter changes both, the CSV link downloads the same rows, and
 * an agent gets the refusal.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { createUserWithCli, seriousViolations, signedInPage, waitUntil } from '../support/console-helpers.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const HOUR = 3_600_000;

describe('insights page in chromium', function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let browser: Browser;
  let lead: string;
  const pageErrors: string[] = [];

  before(async function () {
    gw = await startTestGateway({ db: 'sqlite' });
    await Promise.all([createUserWithCli(gw.database.url, 'han.mei', 'lead', 'Han Mei'), createUserWithCli(gw.database.url, 'li.lei', 'agent', 'Li Lei')]);
    lead = (await gw.gateway.tokens.create('reports', 'lead')).token;
    const samples = [
      { channel: 'email', text: 'The kettle I bought leaks from the bottom.' },
      { channel: 'sms', text: '快递三天了还没到，订单 DD20261102001' },
      { channel: 'wechat', text: '包裹一直没送到，电话也打不通' },
      { channel: 'email', text: 'I was charged twice for order SO-20261120-12.' },
      { channel: 'webform', text: '客服态度太差了，打了三次电话都没人解决' },
    ];
    let i = 0;
    for (const s of samples)
      await gw.api('POST', '/api/v1/messages', { channel: s.channel, externalId: `ins-${++i}`, from: { address: `ins${i}@example.com` }, text: s.text });
    await gw.settle();
    // Spread over the last days so the charts have a shape; two of them overdue.
    const ids = (await gw.gateway.db('tickets').orderBy('id').select('id')).map((r) => Number(r.id));
    for (const [k, id] of ids.entries()) {
      const at = Date.now() - (k * 26 + 3) * HOUR;
      await gw.gateway
        .db('tickets')
        .where({ id })
        .update({
          created_at: at,
          first_response_due_at: at + 2 * HOUR,
          resolution_due_at: at + 24 * HOUR,
          sla_due_at: k % 2 === 1 ? at + 2 * HOUR : null,
          assignee: k % 2 === 1 ? 'li.lei' : null,
        });
      // Two customers answered the satisfaction question: 5 and 2.
      if (k < 2)
        await gw.gateway
          .db('tickets')
          .where({ id })
          .update({ status: 'resolved', csat: k === 0 ? 5 : 2, csat_at: Date.now() - HOUR });
    }
    browser = await launchChromium();
  });

  after(async function () {
    await browser?.close();
    await gw?.stop();
  });

  const signedIn = (name: string) =>
    signedInPage(browser, gw.url, name, (page) => {
      page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) pageErrors.push(`csp: ${msg.text()}`);
      });
    });

  const chartValues = async (page: Page, name: string) => JSON.parse((await page.getByRole('figure', { name, exact: true }).getAttribute('data-values'))!);
  const api = async (path: string) => (await gw.api('GET', path, undefined, lead)).body;

  it('renders every chart with the numbers the API gives for the same filters, and follows a filter', async function () {
    const page = await signedIn('han.mei');
    await page.getByRole('link', { name: 'Insights' }).click();
    for (const name of ['New tickets per day by channel', 'Category × hour of day', 'SLA compliance', 'Open tickets by age']) {
      const chart = page.getByRole('figure', { name, exact: true });
      await chart.waitFor();
      await waitUntil(async () => (await chart.locator('canvas').count()) > 0, `${name} drawn`);
    }

    // Volume: per channel, one number per day of the range, zeros included; their sum is the API's.
    const volume = await api('/api/v1/insights/volume');
    const drawn = await chartValues(page, 'New tickets per day by channel');
    expect(Object.keys(drawn).sort()).to.deep.equal([...new Set(volume.items.map((r: { key: string }) => r.key))].sort());
    for (const key of Object.keys(drawn)) {
      const fromApi = volume.items.filter((r: { key: string }) => r.key === key).reduce((n: number, r: { count: number }) => n + r.count, 0);
      expect(
        drawn[key].reduce((a: number, b: number) => a + b, 0),
        key,
      ).to.equal(fromApi);
    }
    expect(drawn.email.length).to.equal(30);

    const heat = await api('/api/v1/insights/heatmap');
    expect((await chartValues(page, 'Category × hour of day')).map((v: number[]) => v[2]).sort()).to.deep.equal(
      heat.items.map((r: { count: number }) => r.count).sort(),
    );
    const sla = await api('/api/v1/insights/sla');
    expect((await chartValues(page, 'SLA compliance')).firstResponse).to.deep.equal(
      sla.items.map((r: { firstResponse: { rate: number | null } }) => (r.firstResponse.rate === null ? null : Math.round(r.firstResponse.rate * 1000) / 10)),
    );
    const backlog = await api('/api/v1/insights/backlog');
    const backlogDrawn = await chartValues(page, 'Open tickets by age');
    expect(
      Object.values(backlogDrawn)
        .flat()
        .reduce((a: number, b) => a + (b as number), 0),
    ).to.equal(backlog.items.reduce((n: number, r: { count: number }) => n + r.count, 0));

    // Satisfaction: the answers as the API counts them.
    const csat = await api('/api/v1/csat/stats');
    const all = csat.items.find((r: { key: string }) => r.key === 'all');
    expect(all).to.include({ answers: 2, average: 3.5, low: 1 });
    const csatTable = page.locator('section', { has: page.getByRole('heading', { name: /Customer satisfaction/ }) });
    expect(await csatTable.getByRole('row', { name: /^All/ }).textContent())
      .to.include('3.50')
      .and.include('0 · 1 · 0 · 0 · 1');

    // The breach list names who holds each overdue ticket, linking to it.
    const breaches = await api('/api/v1/insights/breaches');
    expect(breaches.items.length).to.be.greaterThan(0);
    const table = page.locator('section', { has: page.getByRole('heading', { name: 'SLA breaches now' }) });
    for (const b of breaches.items) await table.getByRole('link', { name: b.number }).waitFor();

    // A filter applies to the charts and to the API alike.
    await page.locator('#insight-channel').selectOption('email');
    await waitUntil(async () => Object.keys(await chartValues(page, 'New tickets per day by channel')).join() === 'email', 'the email-only chart');
    const emailOnly = await api('/api/v1/insights/volume?channel=email');
    expect((await chartValues(page, 'New tickets per day by channel')).email.reduce((a: number, b: number) => a + b, 0)).to.equal(
      emailOnly.items.reduce((n: number, r: { count: number }) => n + r.count, 0),
    );
    expect(new URL(page.url()).hash).to.equal('#/insights?channel=email');

    // The CSV link downloads the rows of the view as filtered.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .locator('section', { has: page.getByRole('heading', { name: 'New tickets per day by channel' }) })
        .getByRole('link', { name: 'Download CSV' })
        .click(),
    ]);
    expect(download.suggestedFilename()).to.equal('volume-by-channel.csv');
    const chunks: Buffer[] = [];
    for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
    const lines = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).to.equal('at,key,count');
    expect(lines.length - 1).to.equal(emailOnly.items.length);

    expect(await seriousViolations(page)).to.deep.equal([]);
    expect(pageErrors).to.deep.equal([]);
    await page.context().close();
  });

  it('gives an agent the refusal and no menu link', async function () {
    const page = await signedIn('li.lei');
    expect(await page.getByRole('link', { name: 'Insights' }).count()).to.equal(0);
    await page.goto(`${gw.url}/console#/insights`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).to.include('role "agent" may not do this');
    await page.context().close();
  });
});

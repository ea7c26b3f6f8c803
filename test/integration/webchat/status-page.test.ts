import { expect } from 'chai';
import { FakeAdapter } from '../../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../../support/databases.js';
import { startTestGateway, type TestGateway } from '../../support/test-gateway.js';

for (const db of TEST_DATABASES) {
  describe(`status page /t/<token> on ${db}`, function () {
    let gw: TestGateway;
    let sms: FakeAdapter;

    beforeEach(async function () {
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({ db, adapters: [sms] });
    });
    afterEach(async () => gw?.stop());

    async function complaint(text: string, externalId: string) {
      await gw.api('POST', '/api/v1/messages', { channel: 'sms', externalId, from: { address: '+8613800138000' }, text });
      await gw.settle();
      const row = await gw.gateway.db('tickets').orderBy('id', 'desc').first();
      return { id: Number(row.id), number: row.number as string, token: row.status_token as string };
    }

    const page = async (p: string, headers: Record<string, string> = {}) => {
      const res = await fetch(gw.url + p, { headers });
      return { status: res.status, headers: res.headers, html: await res.text() };
    };
    const currentStep = (html: string) => html.match(/aria-current="step"><span class="gw-step-dot" aria-hidden="true"><\/span><span>([^<]+)<\/span>/)?.[1];

    it('shows the stages as the ticket moves (received → investigating → solution → closed) and the latest agent reply', async function () {
      const t = await complaint('The washing machine leaks water from the bottom. Order 55120.', 'SM-status-1');
      let p = await page(`/t/${t.token}`);
      expect(p.status).to.equal(200);
      expect(p.html).to.include(t.number);
      expect(currentStep(p.html)).to.equal('Received');
      expect(p.html).to.include('No reply yet');

      await gw.api('POST', `/api/v1/tickets/${t.id}/replies`, { text: 'A technician will visit on Thursday between 9 and 12.' });
      p = await page(`/t/${t.token}`);
      expect(currentStep(p.html)).to.equal('Investigating');
      expect(p.html).to.include('A technician will visit on Thursday between 9 and 12.');

      await gw.api('PATCH', `/api/v1/tickets/${t.id}`, { status: 'resolved' });
      expect(currentStep((await page(`/t/${t.token}`)).html)).to.equal('Solution proposed');
      await gw.api('PATCH', `/api/v1/tickets/${t.id}`, { status: 'closed' });
      expect(currentStep((await page(`/t/${t.token}`)).html)).to.equal('Closed');
    });

    it('answers 404 for unknown, malformed and other tickets’ numbers used as tokens, and keeps the page out of caches and referrers', async function () {
      const t = await complaint('Charged twice for the same order.', 'SM-status-2');
      for (const bad of ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x', t.number, encodeURIComponent('<script>alert(1)</script>')]) {
        const p = await page(`/t/${bad}`);
        expect(p.status, bad).to.equal(404);
        expect(p.html).to.include('could not find this ticket');
        expect(p.html).to.not.include('<script>alert');
      }
      const ok = await page(`/t/${t.token}`);
      expect(ok.headers.get('cache-control')).to.equal('no-store');
      expect(ok.headers.get('referrer-policy')).to.equal('no-referrer');
      expect(ok.html).to.include('<meta name="robots" content="noindex">');
    });

    it('escapes the reply text and shows Chinese tickets in Chinese (switchable)', async function () {
      const t = await complaint('我收到的手机屏幕碎了，要求换货。', 'SM-status-3');
      await gw.api('POST', `/api/v1/tickets/${t.id}/replies`, { text: '<img src=x onerror=alert(1)> 已安排换货 & 退运费' });
      const zh = await page(`/t/${t.token}`);
      expect(zh.html).to.include('<html lang="zh-CN">');
      expect(zh.html).to.include('调查中');
      expect(zh.html).to.include('&#60;img src&#61;x onerror&#61;alert(1)&#62; 已安排换货 &#38; 退运费');
      expect(zh.html).to.not.include('<img src=x');
      const en = await page(`/t/${t.token}?lang=en`);
      expect(en.html).to.include('Investigating');
    });
  });
}

describe('status page link in acknowledgements', function () {
  let gw: TestGateway;
  afterEach(async () => gw?.stop());

  it('puts the customer’s status-page link in the acknowledgement when PUBLIC_BASE_URL is set', async function () {
    const sms = new FakeAdapter('sms');
    gw = await startTestGateway({ db: 'sqlite', adapters: [sms], env: { PUBLIC_BASE_URL: 'https://support.example.com/' } });
    await gw.api('POST', '/api/v1/messages', {
      channel: 'sms',
      externalId: 'SM-link-1',
      from: { address: '+8613800138000' },
      text: 'The fridge stopped cooling.',
    });
    const [ack] = await sms.waitForSent(1);
    const token = (await gw.gateway.db('tickets').first()).status_token;
    expect(ack!.text).to.include(`https://support.example.com/t/${token}`);
    const page = await fetch(`${gw.url}/t/${token}`);
    expect(page.status).to.equal(200);
  });
});

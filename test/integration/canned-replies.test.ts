import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

for (const db of TEST_DATABASES) {
  describe(`canned replies API on ${db}`, function () {
    let gw: TestGateway;
    let configDir: string;

    beforeEach(async function () {
      configDir = mkdtempSync(path.join(tmpdir(), 'gw-canned-api-'));
      cpSync('config', configDir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
      gw = await startTestGateway({ db, configDir, adapters: [new FakeAdapter('sms'), new FakeAdapter('email')] });
    });

    afterEach(async function () {
      await gw?.stop();
    });

    async function ticketFor(message: Record<string, unknown>): Promise<any> {
      await gw.api('POST', '/api/v1/messages', message);
      await gw.settle();
      const items = (await gw.api('GET', '/api/v1/tickets?sort=updated&limit=1')).body.items;
      return items[0];
    }

    it("fills the ticket's number, customer name, order number and the agent's name", async function () {
      const ticket = await ticketFor({
        channel: 'sms',
        externalId: 'cr-1',
        from: { address: '+8613800138000', name: '王芳' },
        text: '快递一直不到，订单号 DD20261124001，已经五天了，太慢了',
      });
      const agent = await gw.gateway.tokens.create('li.lei', 'agent');

      const zh = await gw.api('GET', `/api/v1/canned-replies?ticket=${ticket.id}&lang=zh`, undefined, agent.token);
      expect(zh.status).to.equal(200);
      const refund = zh.body.items.find((r: any) => r.id === 'refund-initiated');
      expect(refund).to.include({ language: 'zh', title: '退款已发起' });
      expect(refund.text).to.include(ticket.number).and.include('王芳').and.include('DD20261124001');
      const apology = zh.body.items.find((r: any) => r.id === 'apology-looking-into-it');
      expect(apology.text).to.include('li.lei');

      const en = await gw.api('GET', `/api/v1/canned-replies?ticket=${ticket.number}&lang=en`, undefined, agent.token);
      expect(en.body.items.find((r: any) => r.id === 'refund-initiated').text).to.match(/^Hello 王芳, we have initiated the refund for order DD20261124001\./);
      for (const item of [...zh.body.items, ...en.body.items]) expect(item.text).to.not.match(/\{\{|\}\}/);
    });

    it('renders a missing value as nothing, offers entries by category, and picks the ticket language by default', async function () {
      const ticket = await ticketFor({
        channel: 'email',
        externalId: 'cr-2',
        from: { address: 'anon@example.com' },
        subject: 'Broken screen',
        text: 'The screen of my new phone cracked by itself after one day.',
      });
      const { body } = await gw.api('GET', `/api/v1/canned-replies?ticket=${ticket.id}`);
      expect(body.items.every((r: any) => r.language === 'en')).to.equal(true);
      const ask = body.items.find((r: any) => r.id === 'ask-order-number');
      expect(ask.text).to.match(/^Hello, to check this quickly/);
      for (const item of body.items) expect(item.text).to.not.match(/\{\{|\}\}/);
      // Delivery replies are for logistics tickets only.
      const ids = body.items.map((r: any) => r.id);
      if (ticket.category === 'LG') expect(ids).to.include('delivery-checking-with-courier');
      else expect(ids).to.not.include('delivery-checking-with-courier');

      // Without a ticket: every entry, with the agent's name only.
      const all = await gw.api('GET', '/api/v1/canned-replies?lang=zh');
      expect(all.body.items.map((r: any) => r.id)).to.deep.equal(gw.gateway.activeConfig.cannedReplies.replies.map((r) => r.id));
    });

    it('applies an edit of canned-replies.yaml without a restart, and keeps the old entries after a bad one', async function () {
      const file = path.join(configDir, 'canned-replies.yaml');
      const original = readFileSync(file, 'utf8');
      writeFileSync(
        file,
        `${original}\n  - id: added-live\n    title: { zh: 新增, en: Added }\n    text: { zh: "工单 {{ticketNumber}}", en: "Ticket {{ticketNumber}}" }\n`,
      );
      expect(gw.gateway.reloadConfig().applied).to.equal(true);
      let ids = (await gw.api('GET', '/api/v1/canned-replies')).body.items.map((r: any) => r.id);
      expect(ids).to.include('added-live');

      writeFileSync(file, `${original}\n  - id: broken\n    title: { zh: 坏, en: Broken }\n    text: { zh: "{{ticket}}", en: "{{ticket}}" }\n`);
      const refused = gw.gateway.reloadConfig();
      expect(refused.applied).to.equal(false);
      expect(refused.problems!.join('\n')).to.match(/canned-replies\.yaml:\d+ replies\[6\]\.text\.zh: reply "broken": unknown variable \{\{ticket\}\}/);
      ids = (await gw.api('GET', '/api/v1/canned-replies')).body.items.map((r: any) => r.id);
      expect(ids).to.include('added-live').and.not.include('broken');
    });

    it('refuses an unknown ticket, language or parameter and the finance role with a plain message', async function () {
      const cases: Array<[string, number, RegExp]> = [
        ['/api/v1/canned-replies?ticket=999999', 404, /ticket 999999 does not exist/],
        ['/api/v1/canned-replies?lang=fr', 400, /lang/],
        ['/api/v1/canned-replies?tone=warm', 400, /tone/],
      ];
      for (const [p, status, message] of cases) {
        const res = await gw.api('GET', p);
        expect(res.status, p).to.equal(status);
        expect(res.body.error.message, p).to.match(message);
      }
      const finance = await gw.gateway.tokens.create('fin', 'finance');
      expect((await gw.api('GET', '/api/v1/canned-replies', undefined, finance.token)).status).to.equal(403);
    });
  });
}

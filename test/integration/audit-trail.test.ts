/**
 * The audit trail is readable by admins (issue 23 item 4): GET /api/v1/audit merges what people did outside
 * tickets (reveals, tokens) with every ticket change, newest first, filtered and paged by cursor without losing
 * or repeating an entry.
 */
import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { cliActor } from '../../gateway/commands/customer.command.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const DAY = 86_400_000;

for (const db of TEST_DATABASES) {
  describe(`the audit trail (GET /api/v1/audit) on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    const sms = new FakeAdapter('sms');
    let tickets: any[];
    let agent: string;

    before(async function () {
      gw = await startTestGateway({ db, adapters: [sms] });
      agent = (await gw.api('POST', '/api/v1/tokens', { name: 'li.lei', role: 'agent' })).body.token;
      for (const [i, text] of ['快递三天了还没到，订单 DD20261124001', '电水壶漏水，要求换货', 'The blender is missing its lid'].entries()) {
        await sms.receive({ from: { address: `+8613900139${String(i).padStart(3, '0')}` }, text });
      }
      await gw.settle();
      tickets = (await gw.api('GET', '/api/v1/tickets?sort=updated')).body.items;
      for (const t of tickets) {
        await gw.api('PATCH', `/api/v1/tickets/${t.id}`, { priority: 'high' }, agent);
        await gw.api('POST', `/api/v1/tickets/${t.id}/reveal`, { reason: 'call back' }, agent);
      }
      // A customer's data exported, another's erased (privacy_requests).
      expect(
        (await fetch(`${gw.url}/api/v1/customers/${tickets[0].customerId}/export`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).status,
      ).to.equal(200);
      expect((await gw.api('POST', `/api/v1/customers/${tickets[2].customerId}/erase`, { reason: 'request 2026-117, by post' })).status).to.equal(200);
      const spare = await gw.api('POST', '/api/v1/tokens', { name: 'spare', role: 'finance' });
      await gw.api('DELETE', `/api/v1/tokens/${spare.body.id}`);
    });
    after(async () => {
      await gw?.stop();
    });

    async function all(query: string, limit: number): Promise<{ items: any[]; pages: number }> {
      const items: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await gw.api('GET', `/api/v1/audit?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status, res.body?.error?.message).to.equal(200);
        items.push(...res.body.items);
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      return { items, pages };
    }
    const key = (e: any) => `${e.source}:${e.id}`;

    it('pages every source newest first by cursor: every entry once, none lost, whatever the page size', async function () {
      const everything = await all('', 200);
      const count = async (table: string) => Number((await gw.gateway.db(table).count({ n: '*' }).first())!.n);
      expect(everything.items).to.have.length((await count('audit_log')) + (await count('privacy_requests')) + (await count('ticket_events')));
      for (let i = 1; i < everything.items.length; i++) expect(Date.parse(everything.items[i - 1].at)).to.be.at.least(Date.parse(everything.items[i].at));
      for (const size of [1, 3, 7]) {
        const paged = await all('', size);
        expect(paged.items.map(key), `limit ${size}`).to.deep.equal(everything.items.map(key));
        expect(new Set(paged.items.map(key)).size).to.equal(paged.items.length);
      }
      expect(everything.items[0]).to.include({ source: 'access', action: 'token.revoked', actor: 'token:admin', role: 'admin' });
      expect(everything.items.map((e) => e.action)).to.include.members([
        'token.created',
        'contact.revealed',
        'customer.exported',
        'customer.erased',
        'priority_changed',
        'created',
      ]);
    });

    it('filters by actor (a name finds every form of it), action, ticket, customer, source and time range', async function () {
      const byName = await all('&actor=li.lei', 4);
      expect(new Set(byName.items.map((e) => e.actor))).to.deep.equal(new Set(['agent:li.lei', 'token:li.lei']));
      expect(byName.items.filter((e) => e.action === 'priority_changed')).to.have.length(3);
      expect(byName.items.filter((e) => e.action === 'contact.revealed')).to.have.length(3);
      const one = tickets[1];
      const ofTicket = await all(`&ticket=${one.id}`, 2);
      expect(ofTicket.items.length).to.be.greaterThan(2);
      expect(ofTicket.items.every((e) => e.ticketId === one.id)).to.equal(true);
      expect(ofTicket.items.map((e) => e.source)).to.include.members(['access', 'ticket']);
      const ofCustomer = await all(`&customer=${one.customerId}`, 50);
      expect(ofCustomer.items.map(key)).to.have.members(ofTicket.items.map(key));
      const revealed = await all('&action=contact.revealed&source=access', 50);
      expect(revealed.items).to.have.length(3);
      expect(revealed.items[0].detail).to.include({ of: 'ticket', reason: 'call back' });
      expect((await all('&source=ticket&action=contact.revealed', 50)).items).to.deep.equal([]);
      const future = new Date(Date.now() + DAY).toISOString();
      expect((await all(`&from=${encodeURIComponent(future)}`, 50)).items).to.deep.equal([]);
      const past = new Date(Date.now() - DAY).toISOString();
      expect((await all(`&to=${encodeURIComponent(past)}`, 50)).items).to.deep.equal([]);
    });

    it('a token made from the command line is in the trail, as made by the CLI', async function () {
      const { main } = await import('../../gateway/cli.js');
      const io = { stdout: { write: () => true } as never, stderr: { write: () => true } as never };
      const saved = process.env.DATABASE_URL;
      process.env.DATABASE_URL = gw.database.url;
      try {
        expect(await main(['token', 'create', '--name', 'nightly-export', '--role', 'integration', '--expires-days', '30'], io)).to.equal(0);
      } finally {
        if (saved === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = saved;
      }
      const trail = await gw.api('GET', `/api/v1/audit?actor=${encodeURIComponent(cliActor())}`);
      expect(trail.body.items.map((e: any) => [e.action, e.detail.name, e.detail.role])).to.deep.equal([['token.created', 'nightly-export', 'integration']]);
    });

    it("shows customers' data exported and erased, with who and why, never the data", async function () {
      const privacy = await all('&source=privacy', 1);
      expect(privacy.items.map((e) => [e.action, e.customerId, e.actor])).to.deep.equal([
        ['customer.erased', tickets[2].customerId, 'token:admin'],
        ['customer.exported', tickets[0].customerId, 'token:admin'],
      ]);
      expect(privacy.items[0].detail.reason).to.equal('request 2026-117, by post');
      const erased = await all(`&customer=${tickets[2].customerId}&action=customer.erased`, 10);
      expect(erased.items.map((e) => e.source)).to.deep.equal(['privacy']);
      expect(JSON.stringify(privacy.items)).to.not.include('+86139');
    });

    it('refuses a malformed cursor or filter with 400, and anyone but an admin with 403', async function () {
      for (const q of [
        'cursor=abc',
        'cursor=eyJhIjoxfQ',
        'limit=0',
        'source=mail',
        'from=yesterday',
        `from=${new Date().toISOString()}&to=2020-01-01T00:00:00Z`,
      ]) {
        const res = await gw.api('GET', `/api/v1/audit?${q}`);
        expect(res.status, q).to.equal(400);
      }
      expect((await gw.api('GET', '/api/v1/audit', undefined, agent)).status).to.equal(403);
    });
  });
}

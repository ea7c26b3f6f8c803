import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** Distinct complaints from distinct senders: one ticket each (no dedupe, no surge). */
const COMPLAINTS = [
  { channel: 'sms', from: { address: '+8613800138000', name: '王芳' }, text: '快递三天了还没到，订单 DD20261124001 一直没有物流更新' },
  {
    channel: 'email',
    from: { address: 'Someone@Example.com', name: 'Sam Lee' },
    subject: 'Leaking kettle',
    text: 'The kettle I bought leaks water all over the table.',
  },
  { channel: 'sms', from: { address: '+8613900000002' }, text: '客服态度很差，电话打了三次都没人解决问题' },
  { channel: 'api', from: { address: 'cust-3@example.com' }, text: 'I was charged twice for the same purchase and want my money back' },
  { channel: 'sms', from: { address: '+8613900000004' }, text: '收到的手机屏幕是碎的，包装也破了' },
  {
    channel: 'email',
    from: { address: 'pat@example.com' },
    subject: 'Parcel thrown',
    text: 'The courier threw my parcel over the fence and the vase inside broke',
  },
  { channel: 'sms', from: { address: '+8613900000006' }, text: '衣服洗了一次就掉色严重，质量太差了' },
  { channel: 'api', from: { address: 'cust-7@example.com' }, text: 'My refund has not arrived after three weeks and nobody answers my emails' },
  { channel: 'sms', from: { address: '+8613900000008' }, text: '外卖送到的时候全都凉了，汤还洒了一半' },
];

const MINUTE = 60_000;

for (const db of TEST_DATABASES) {
  describe(`console inbox API on ${db}`, function () {
    let gw: TestGateway;

    before(async function () {
      gw = await startTestGateway({ db, adapters: [new FakeAdapter('sms'), new FakeAdapter('email'), new FakeAdapter('api')] });
      for (const [i, c] of COMPLAINTS.entries()) {
        const res = await gw.api('POST', '/api/v1/messages', { ...c, externalId: `inbox-${i}` });
        expect(res.status).to.equal(202);
      }
      await gw.settle();
    });

    after(async function () {
      await gw?.stop();
    });

    /** Ticket ids in the order the complaints were posted. */
    async function ticketIds(): Promise<number[]> {
      const rows = await gw.gateway.db('tickets').orderBy('id').select('id');
      return rows.map((r) => Number(r.id));
    }

    /** Every page of a listing, following nextCursor. */
    async function allPages(query: string, limit: number): Promise<any[]> {
      const items: any[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const res = await gw.api('GET', `/api/v1/tickets?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        items.push(...res.body.items);
        cursor = res.body.nextCursor;
        if (!cursor) return items;
      }
      throw new Error('paging did not end');
    }

    it('shows what an inbox row needs, and keeps the SLA due time in step with the ticket', async function () {
      const { body } = await gw.api('GET', '/api/v1/tickets?limit=200');
      expect(body.items).to.have.length(COMPLAINTS.length);
      const kettle = body.items.find((t: any) => t.subject === 'Leaking kettle');
      expect(kettle).to.include({ channel: 'email', customerName: 'Sam Lee', status: 'new', assignee: null, slaBreached: false });
      expect(kettle.excerpt).to.equal('The kettle I bought leaks water all over the table.');
      for (const key of ['number', 'category', 'severity', 'priority', 'queue', 'updatedAt']) expect(kettle[key], key).to.not.equal(undefined);
      // A new ticket's next target is the first response.
      expect(kettle.slaDueAt).to.equal(kettle.firstResponseDueAt);

      const sms = body.items.find((t: any) => t.customerName === '王芳');
      expect(sms).to.include({ channel: 'sms', subject: null });
      expect(sms.excerpt).to.match(/^快递三天了还没到/);

      // Answered: the resolution is next. Waiting on the customer: no clock runs, no due time.
      await gw.api('POST', `/api/v1/tickets/${kettle.id}/replies`, { text: 'We are sending a new kettle.' });
      let row = (await gw.api('GET', `/api/v1/tickets?q=${kettle.number}`)).body.items[0];
      expect(row.slaDueAt).to.equal(row.resolutionDueAt);
      await gw.api('PATCH', `/api/v1/tickets/${kettle.id}`, { status: 'pending_customer' });
      row = (await gw.api('GET', `/api/v1/tickets?q=${kettle.number}`)).body.items[0];
      expect(row.slaDueAt).to.equal(null);
      await gw.api('PATCH', `/api/v1/tickets/${kettle.id}`, { status: 'open' });
      row = (await gw.api('GET', `/api/v1/tickets?q=${kettle.number}`)).body.items[0];
      expect(row.slaDueAt).to.be.a('string');
    });

    it('searches ticket numbers, phone numbers, e-mail addresses, names, subjects and text', async function () {
      const all = (await gw.api('GET', '/api/v1/tickets?limit=200')).body.items;
      const first = all.find((t: any) => t.customerName === '王芳');
      const search = async (q: string) => (await gw.api('GET', `/api/v1/tickets?q=${encodeURIComponent(q)}`)).body.items.map((t: any) => t.id);

      expect(await search(first.number)).to.deep.equal([first.id]);
      expect(await search(first.number.toLowerCase())).to.deep.equal([first.id]);
      // The phone as a customer types it, without +86, and with spaces.
      expect(await search('13800138000')).to.deep.equal([first.id]);
      expect(await search('138 0013 8000')).to.deep.equal([first.id]);
      expect(await search('王芳')).to.deep.equal([first.id]);
      const kettle = all.find((t: any) => t.subject === 'Leaking kettle');
      expect(await search('someone@example.com')).to.deep.equal([kettle.id]);
      expect(await search('LEAKING')).to.deep.equal([kettle.id]);
      expect(await search('vase inside')).to.have.length(1);
      expect(await search('掉色')).to.have.length(1);
      expect(await search('no such words anywhere')).to.deep.equal([]);
      // LIKE wildcards are searched for, not obeyed.
      expect(await search('%')).to.deep.equal([]);
    });

    it('filters by status, queue, category, severity, channel, assignee and SLA', async function () {
      const ids = await ticketIds();
      const now = Date.now();
      const agent = await gw.gateway.tokens.create('li.lei', 'agent');
      // Arranged directly, so the filters are tested whatever routing and the classifier decided.
      await gw.gateway.db('tickets').whereIn('id', ids).update({ assignee: null, queue: 'general', status: 'open' });
      await gw.gateway.db('tickets').whereIn('id', [ids[0], ids[1]]).update({ assignee: 'li.lei', queue: 'logistics' });
      await gw.gateway.db('tickets').where('id', ids[2]).update({ assignee: 'wang.wu', queue: 'logistics' });
      await gw.gateway
        .db('tickets')
        .where('id', ids[3])
        .update({ sla_due_at: now + 10 * MINUTE });
      await gw.gateway
        .db('tickets')
        .where('id', ids[4])
        .update({ sla_due_at: now - 10 * MINUTE });
      await gw.gateway
        .db('tickets')
        .where('id', ids[5])
        .update({ sla_due_at: now + 3 * 60 * MINUTE, status: 'resolved' });
      await gw.gateway
        .db('tickets')
        .whereNotIn('id', [ids[3], ids[4], ids[5]])
        .update({ sla_due_at: now + 5 * 60 * MINUTE });
      const list = async (query: string, token?: string) => {
        const res = await gw.api('GET', `/api/v1/tickets?${query}&limit=200`, undefined, token);
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        return res.body.items.map((t: any) => t.id).sort((a: number, b: number) => a - b);
      };

      expect(await list('assignee=me', agent.token)).to.deep.equal([ids[0], ids[1]]);
      expect(await list('assignee=wang.wu')).to.deep.equal([ids[2]]);
      expect(await list('assignee=none')).to.deep.equal(ids.slice(3));
      expect(await list('queue=logistics')).to.deep.equal(ids.slice(0, 3));
      expect(await list('queue=logistics&assignee=none')).to.deep.equal([]);
      expect(await list('sla=due_soon')).to.deep.equal([ids[3]]);
      expect(await list('sla=breached')).to.deep.equal([ids[4]]);
      expect(await list('status=resolved')).to.deep.equal([ids[5]]);
      expect(await list('status=new,open')).to.deep.equal(ids.filter((id) => id !== ids[5]));

      const all = (await gw.api('GET', '/api/v1/tickets?limit=200')).body.items as any[];
      const idsWhere = (f: (t: any) => boolean) =>
        all
          .filter(f)
          .map((t) => t.id)
          .sort((a, b) => a - b);
      const someCategory = all.find((t) => t.category)!.category as string;
      expect(await list(`category=${someCategory.toLowerCase()}`)).to.deep.equal(idsWhere((t) => t.category === someCategory));
      const someSeverity = all.find((t) => t.severity)!.severity as number;
      expect(await list(`severity=${someSeverity}`)).to.deep.equal(idsWhere((t) => t.severity === someSeverity));
      expect(await list('channel=email')).to.deep.equal(idsWhere((t) => t.channels.includes('email')));
      expect(await list('channel=email')).to.have.length(2);
      const breached = all.find((t) => t.id === ids[4]);
      expect(breached.slaBreached).to.equal(true);
    });

    it('pages both orders by cursor, across ties and tickets without a due time, without gaps or repeats', async function () {
      const ids = await ticketIds();
      const now = Date.now();
      // Ties on purpose: equal due times and equal update times must still page exactly.
      const due = [now + 5 * MINUTE, now + 5 * MINUTE, null, now - 10 * MINUTE, now + 30 * MINUTE, null, now + 180 * MINUTE, now + 5 * MINUTE, null];
      const updated = [now - 1000, now - 3000, now - 1000, now - 2000, now - 1000, now - 500, now - 3000, now - 2000, now - 100];
      for (const [i, id] of ids.entries()) await gw.gateway.db('tickets').where({ id }).update({ sla_due_at: due[i], updated_at: updated[i], status: 'open' });

      const withDue = ids.map((id, i) => ({ id, due: due[i]!, updated: updated[i]! }));
      const expectedDue = [
        ...withDue.filter((t) => t.due !== null).sort((a, b) => a.due - b.due || a.id - b.id),
        ...withDue.filter((t) => t.due === null).sort((a, b) => b.id - a.id),
      ].map((t) => t.id);
      const expectedUpdated = [...withDue].sort((a, b) => b.updated - a.updated || b.id - a.id).map((t) => t.id);

      for (const limit of [1, 2, 4, 200]) {
        expect(
          (await allPages('sort=sla_due', limit)).map((t) => t.id),
          `sla_due, limit ${limit}`,
        ).to.deep.equal(expectedDue);
        expect(
          (await allPages('sort=updated', limit)).map((t) => t.id),
          `updated, limit ${limit}`,
        ).to.deep.equal(expectedUpdated);
      }
      // The default order is the SLA order.
      expect((await allPages('status=open', 3)).map((t) => t.id)).to.deep.equal(expectedDue);
      // A filter pages the same way.
      expect((await allPages('sla=due_soon', 1)).map((t) => t.id)).to.deep.equal(expectedDue.filter((id) => [ids[0], ids[1], ids[4], ids[7]].includes(id)));
    });

    it('counts open, unassigned, due-soon and breached tickets for every routing.yaml queue', async function () {
      const ids = await ticketIds();
      const now = Date.now();
      await gw.gateway
        .db('tickets')
        .whereIn('id', ids)
        .update({ queue: 'general', status: 'open', assignee: 'li.lei', sla_due_at: now + 5 * 60 * MINUTE });
      await gw.gateway.db('tickets').whereIn('id', [ids[0], ids[1], ids[2]]).update({ queue: 'logistics', assignee: null });
      await gw.gateway
        .db('tickets')
        .where('id', ids[0])
        .update({ sla_due_at: now + 20 * MINUTE });
      await gw.gateway
        .db('tickets')
        .where('id', ids[1])
        .update({ sla_due_at: now - MINUTE });
      await gw.gateway.db('tickets').where('id', ids[3]).update({ status: 'closed', sla_due_at: null });
      await gw.gateway.db('tickets').where('id', ids[4]).update({ queue: 'legacy-queue' });

      const res = await gw.api('GET', '/api/v1/queues');
      expect(res.status).to.equal(200);
      const configured = gw.gateway.activeConfig.routing.queues.map((q) => q.id);
      expect(res.body.items.slice(0, configured.length).map((q: any) => q.queue)).to.deep.equal(configured);
      const byQueue = Object.fromEntries(res.body.items.map((q: any) => [q.queue, q]));
      expect(byQueue.logistics).to.include({ open: 3, unassigned: 3, dueSoon: 1, breached: 1, configured: true });
      expect(byQueue.general).to.include({ open: ids.length - 5, unassigned: 0, dueSoon: 0, breached: 0 });
      expect(byQueue.crisis).to.include({ open: 0, unassigned: 0, dueSoon: 0, breached: 0 });
      expect(byQueue['legacy-queue']).to.include({ open: 1, configured: false });
      expect((await gw.api('GET', '/api/v1/queues?x=1')).status).to.equal(400);
    });

    it('refuses bad input with a plain 4xx message, never SQL or a stack trace', async function () {
      const { body: page } = await gw.api('GET', '/api/v1/tickets?limit=1&sort=updated');
      const cases: Array<[string, number, RegExp]> = [
        ['/api/v1/tickets?sla=soon', 400, /sla/],
        ['/api/v1/tickets?sort=priority', 400, /sort/],
        ['/api/v1/tickets?status=open,nope', 400, /status/],
        ['/api/v1/tickets?channel=fax', 400, /channel/],
        ['/api/v1/tickets?severity=9', 400, /severity/],
        ['/api/v1/tickets?colour=red', 400, /colour/],
        [`/api/v1/tickets?assignee=${'x'.repeat(129)}`, 400, /assignee/],
        ['/api/v1/tickets?cursor=not-a-cursor', 400, /cursor must be the nextCursor/],
        ['/api/v1/tickets?cursor=99999999999999999999', 400, /cursor must be the nextCursor/],
        [`/api/v1/tickets?cursor=${Buffer.from('["d","x",1]').toString('base64url')}`, 400, /cursor must be the nextCursor/],
        ['/api/v1/tickets?cursor=%2F%2F%2F', 400, /cursor must be the nextCursor/],
        [`/api/v1/tickets?cursor=${page.nextCursor}`, 400, /belongs to sort=updated/],
        [`/api/v1/tickets?q=${'x'.repeat(201)}`, 400, /q/],
      ];
      for (const [path, status, message] of cases) {
        const res = await gw.api('GET', path);
        expect(res.status, path).to.equal(status);
        expect(res.body.error.message, path).to.match(message);
        expect(JSON.stringify(res.body), path).to.not.match(/select |from "|sqlite|postgres|\.ts:\d+|at [A-Za-z]+ \(/i);
      }
      expect((await gw.api('GET', '/api/v1/tickets', undefined, '')).status).to.equal(401);
      const integration = await gw.gateway.tokens.create('crm', 'integration');
      expect((await gw.api('GET', '/api/v1/tickets', undefined, integration.token)).status).to.equal(403);
      expect((await gw.api('GET', '/api/v1/queues', undefined, integration.token)).status).to.equal(403);
    });
  });
}

import { expect } from 'chai';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const HOUR = 3_600_000;
/** 2026-11-02 00:00 in Asia/Shanghai (the shipped business calendar), as UTC ms. */
const NOV2_SHANGHAI = Date.UTC(2026, 10, 1, 16, 0, 0);

for (const db of TEST_DATABASES) {
  describe(`lead insights API on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let lead: string;

    before(async function () {
      gw = await startTestGateway({ db });
      lead = (await gw.gateway.tokens.create('han.mei', 'lead')).token;
      // Three complaints on three channels, then placed in time: 09:30 and 23:30 on 2 November and
      // 00:30 on 3 November, China time (the last two are the same UTC day: days must follow the team's clock).
      const seeds = [
        { channel: 'email', text: 'The kettle I bought leaks from the bottom.', at: NOV2_SHANGHAI + 9.5 * HOUR, category: 'PQ', queue: 'quality' },
        { channel: 'sms', text: '快递三天了还没到，订单 DD20261102001', at: NOV2_SHANGHAI + 23.5 * HOUR, category: 'LG', queue: 'logistics' },
        { channel: 'wechat', text: '包裹一直没送到，电话也打不通', at: NOV2_SHANGHAI + 24.5 * HOUR, category: 'LG', queue: 'logistics' },
      ];
      let i = 0;
      for (const s of seeds) {
        expect(
          (await gw.api('POST', '/api/v1/messages', { channel: s.channel, externalId: `seed-${++i}`, from: { address: `c${i}@example.com` }, text: s.text }))
            .status,
        ).to.equal(202);
      }
      await gw.settle();
      const tickets = (await gw.api('GET', '/api/v1/tickets?sort=updated')).body.items as Array<{ id: number; number: string; customerName: string }>;
      expect(tickets).to.have.length(3);
      const byNumber = [...tickets].sort((a, b) => a.id - b.id);
      for (const [k, s] of seeds.entries()) {
        const t = byNumber[k]!;
        await gw.gateway
          .db('tickets')
          .where({ id: t.id })
          .update({
            created_at: s.at,
            category: s.category,
            queue: s.queue,
            // The kettle: answered in time, resolved late. The first parcel: never answered, long overdue. The second: answered late.
            first_response_due_at: s.at + 2 * HOUR,
            first_responded_at: k === 0 ? s.at + HOUR : k === 2 ? s.at + 3 * HOUR : null,
            resolution_due_at: s.at + 24 * HOUR,
            resolved_at: k === 0 ? s.at + 30 * HOUR : null,
            status: k === 0 ? 'resolved' : 'open',
            sla_due_at: k === 0 ? null : s.at + 24 * HOUR,
            assignee: k === 0 ? 'li.lei' : k === 1 ? 'zhang.wei' : null,
          });
      }
    });

    after(async function () {
      await gw?.stop();
    });

    const get = (path: string) => gw.api('GET', path, undefined, lead);

    it('counts tickets per day and channel on the team’s calendar, and per hour', async function () {
      const res = await get('/api/v1/insights/volume?from=2026-11-01&to=2026-11-04&by=channel');
      expect(res.status).to.equal(200);
      expect(res.body).to.include({
        timeZone: 'Asia/Shanghai',
        by: 'channel',
        bucket: 'day',
        from: '2026-10-31T16:00:00.000Z',
        to: '2026-11-04T16:00:00.000Z',
      });
      expect(res.body.items).to.deep.equal([
        { at: '2026-11-01T16:00:00.000Z', key: 'email', count: 1 },
        { at: '2026-11-01T16:00:00.000Z', key: 'sms', count: 1 },
        { at: '2026-11-02T16:00:00.000Z', key: 'wechat', count: 1 },
      ]);
      const byCategory = await get('/api/v1/insights/volume?from=2026-11-02&to=2026-11-03&by=category&bucket=hour&channel=sms');
      expect(byCategory.body.items).to.deep.equal([{ at: '2026-11-02T15:00:00.000Z', key: 'LG', count: 1 }]);
    });

    it('builds the category heat map by hour of day and by weekday', async function () {
      const hours = (await get('/api/v1/insights/heatmap?from=2026-11-01&to=2026-11-04&cols=hour')).body.items;
      expect(hours).to.deep.equal([
        { category: 'LG', col: 0, count: 1 },
        { category: 'LG', col: 23, count: 1 },
        { category: 'PQ', col: 9, count: 1 },
      ]);
      // 2 November 2026 is a Monday (0), the 3rd a Tuesday (1).
      const days = (await get('/api/v1/insights/heatmap?from=2026-11-01&to=2026-11-04&cols=weekday')).body.items;
      expect(days).to.deep.equal([
        { category: 'LG', col: 0, count: 1 },
        { category: 'LG', col: 1, count: 1 },
        { category: 'PQ', col: 0, count: 1 },
      ]);
    });

    it('reports SLA compliance per queue, the breach list with who holds each ticket, backlog and load', async function () {
      const sla = (await get('/api/v1/insights/sla?from=2026-11-01&to=2026-11-04&by=queue')).body.items;
      expect(sla).to.deep.equal([
        { key: 'logistics', tickets: 2, firstResponse: { met: 0, breached: 2, pending: 0, rate: 0 }, resolution: { met: 0, breached: 2, pending: 0, rate: 0 } },
        { key: 'quality', tickets: 1, firstResponse: { met: 1, breached: 0, pending: 0, rate: 1 }, resolution: { met: 0, breached: 1, pending: 0, rate: 0 } },
      ]);
      const breaches = (await get('/api/v1/insights/breaches')).body.items;
      expect(breaches.map((b: { queue: string; assignee: string | null }) => `${b.queue}:${b.assignee}`)).to.deep.equal([
        'logistics:zhang.wei',
        'logistics:null',
      ]);
      expect(breaches[0].overdueMinutes).to.be.greaterThan(60 * 24);
      const backlog = (await get('/api/v1/insights/backlog')).body;
      expect(backlog.items).to.deep.equal([{ queue: 'logistics', age: '>7d', count: 2 }]);
      expect(backlog.ages).to.deep.equal(['<1h', '1-4h', '4-24h', '1-3d', '3-7d', '>7d']);
      const agents = (await get('/api/v1/insights/agents?from=2026-11-01&to=2026-11-04')).body.items;
      expect(agents).to.deep.equal([
        { assignee: 'zhang.wei', open: 1, assigned: 1, resolved: 0 },
        { assignee: 'li.lei', open: 0, assigned: 1, resolved: 1 },
      ]);
    });

    it('exports each view as CSV that Excel reads (BOM, quoted fields), and refuses bad ranges and agents', async function () {
      const res = await fetch(`${gw.url}/api/v1/insights/volume?from=2026-11-01&to=2026-11-04&format=csv`, { headers: { authorization: `Bearer ${lead}` } });
      expect(res.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="?volume-by-channel\.csv"?$/);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)], 'a UTF-8 byte order mark').to.deep.equal([0xef, 0xbb, 0xbf]);
      expect(bytes.subarray(3).toString('utf8').split('\r\n')).to.deep.equal([
        'at,key,count',
        '2026-11-01T16:00:00.000Z,email,1',
        '2026-11-01T16:00:00.000Z,sms,1',
        '2026-11-02T16:00:00.000Z,wechat,1',
        '',
      ]);
      const sla = await fetch(`${gw.url}/api/v1/insights/sla?from=2026-11-01&to=2026-11-04&format=csv`, { headers: { authorization: `Bearer ${lead}` } });
      expect((await sla.text()).split('\r\n')[0]).to.equal(
        'key,tickets,firstResponseMet,firstResponseBreached,firstResponsePending,firstResponseRate,resolutionMet,resolutionBreached,resolutionPending,resolutionRate',
      );

      expect((await get('/api/v1/insights/volume?from=2026-11-05&to=2026-11-01')).status).to.equal(400);
      expect((await get('/api/v1/insights/volume?from=2024-01-01&to=2026-11-01')).body.error.message).to.match(/at most 400 days/);
      expect((await get('/api/v1/insights/volume?by=weather')).status).to.equal(400);
      const { token: agent } = await gw.gateway.tokens.create('li.lei', 'agent');
      expect((await gw.api('GET', '/api/v1/insights/volume', undefined, agent)).status).to.equal(403);
    });

    it("reports SLA compliance by the tier each ticket was opened under, not the customer's tier today", async function () {
      const kettle = await gw.gateway.db('tickets').where({ category: 'PQ' }).first();
      const owner = Number(kettle.customer_id);
      // The kettle's customer becomes a VIP after the fact: that ticket's SLA was chosen under "standard" and stays there.
      await gw.gateway.db('customers').where({ id: owner }).update({ tier: 'vip' });
      expect(
        (await get('/api/v1/insights/sla?from=2026-11-01&to=2026-11-04&by=tier')).body.items.map((r: { key: string; tickets: number }) => [r.key, r.tickets]),
      ).to.deep.equal([['standard', 3]]);
      // Their next complaint (another problem) is opened as a VIP's.
      expect(
        (
          await gw.api('POST', '/api/v1/messages', {
            channel: 'email',
            externalId: 'seed-vip',
            from: { address: 'c1@example.com' },
            text: 'I was charged twice for one order and want the second payment back.',
          })
        ).status,
      ).to.equal(202);
      await gw.settle();
      const vip = await gw.gateway.db('tickets').where({ customer_id: owner }).orderBy('id', 'desc').first();
      expect(vip.customer_tier).to.equal('vip');
      await gw.gateway
        .db('tickets')
        .where({ id: vip.id })
        .update({ created_at: NOV2_SHANGHAI + 12 * HOUR });
      const byTier = (await get('/api/v1/insights/sla?from=2026-11-01&to=2026-11-04&by=tier')).body.items.map((r: { key: string; tickets: number }) => [
        r.key,
        r.tickets,
      ]);
      expect(byTier).to.deep.equal([
        ['standard', 3],
        ['vip', 1],
      ]);
    });
  });
}

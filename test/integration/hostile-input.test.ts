import { expect } from 'chai';
import { TEST_DATABASES } from '../support/databases.js';
import { MAX_EVENT_LOOP_STALL_MS, expectJournalDrained, expectSafeResponse, watchEventLoop } from '../support/fuzz.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** A JSON text nested `depth` levels deep (built as text: JSON.stringify of such an object would overflow). */
const deeplyNested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

for (const db of TEST_DATABASES) {
  describe(`hostile input on ${db}: nothing from outside crashes, freezes or silently drops`, function () {
    let gw: TestGateway;
    beforeEach(async () => (gw = await startTestGateway({ db })));
    afterEach(async () => gw?.stop());

    const message = (externalId: string, extra: Record<string, unknown> = {}) => ({
      channel: 'sms',
      externalId,
      from: { address: '+8613800138000' },
      text: '快递三天了还没到，订单 DD20261124001',
      ...extra,
    });

    it('stores messages holding NUL and other control characters without them, and every one becomes a ticket', async function () {
      const posted = [
        await gw.api('POST', '/api/v1/messages', message('nul-text', { text: 'The kettle\u0000 leaks\u0007 water.' })),
        await gw.api(
          'POST',
          '/api/v1/messages',
          message('nul-subject', { channel: 'email', from: { address: 'li@example.com' }, subject: 'Broken\u0000 kettle', text: 'It leaks.' }),
        ),
        await gw.api('POST', '/api/v1/messages', message('nul-address', { from: { address: '+86138001\u000038001', name: 'Li\u0000 Na' } })),
        await gw.api('POST', '/api/v1/messages', message('nul\u0000-id', { meta: { note: 'a\u0000b', nested: { x: ['\u0000'] } } })),
      ];
      expect(posted.map((r) => r.status)).to.deep.equal([202, 202, 202, 202]);
      await expectJournalDrained(gw);
      const rows = await gw.gateway.db('messages').where('direction', 'in').select('text', 'subject', 'from_address');
      expect(rows).to.have.length(4);
      for (const r of rows) expect(JSON.stringify(r)).not.to.include('\\u0000');
      expect(rows.map((r) => r.text)).to.include('The kettle leaks water.');
    });

    it('refuses a message with a 20,000-level meta and still accepts the 200 valid messages posted with it', async function () {
      const valid = Array.from({ length: 200 }, (_, i) =>
        JSON.stringify(message(`batch-${i}`, { from: { address: `+86138${String(i).padStart(8, '0')}` }, text: `message ${i}: the parcel has not arrived` })),
      );
      const poisoned = Array.from(
        { length: 10 },
        (_, i) => `{"externalId":"poison-${i}","from":{"address":"x@example.com"},"text":"hi","meta":${deeplyNested(20_000)}}`,
      );
      const bodies = [...valid, ...poisoned].sort(() => 0.5 - Math.random());
      const responses = await Promise.all(bodies.map((b) => gw.api('POST', '/api/v1/messages', b)));
      const byBody = new Map(bodies.map((b, i) => [b, responses[i]!]));
      expect(valid.map((b) => byBody.get(b)!.status)).to.deep.equal(valid.map(() => 202));
      for (const b of poisoned) {
        const r = byBody.get(b)!;
        expect(r.status).to.equal(400);
        expect(r.body.error.message).to.match(/nested deeper than 32 levels/);
      }
      await expectJournalDrained(gw);
      expect(Number((await gw.gateway.db('messages').where('direction', 'in').count({ n: '*' }).first())!.n)).to.equal(200);
    });

    it('refuses a body nested 500,000 levels deep before parsing it, without holding the event loop', async function () {
      const loop = watchEventLoop();
      const nested = await gw.api('POST', '/api/v1/messages', '['.repeat(500_000) + ']'.repeat(500_000));
      expect(nested.status).to.equal(400);
      expectSafeResponse(nested, 'a body nested 500,000 levels');
      expect(nested.body.error.message).to.match(/nested deeper than 32 levels/);
      expect(loop.stop()).to.be.below(MAX_EVENT_LOOP_STALL_MS);
    });

    it('takes the largest message the API accepts without freezing: /healthz answers throughout and the ticket is made', async function () {
      const loop = watchEventLoop();
      const accepted = await gw.api('POST', '/api/v1/messages', message('long-run', { text: 'x'.repeat(999_999) }));
      expect(accepted.status).to.equal(202);
      await gw.api('POST', '/api/v1/messages', message('long-digits', { text: '1'.repeat(999_999), from: { address: '+8613900139000' } }));
      await expectJournalDrained(gw);
      expect(loop.stop()).to.be.below(MAX_EVENT_LOOP_STALL_MS);
      expect(Number((await gw.gateway.db('tickets').count({ n: '*' }).first())!.n)).to.equal(2);
    });

    it('answers malformed requests with 4xx and a plain message, never 500 or driver text', async function () {
      const cases: Array<[string, string, unknown, number]> = [
        ['GET', '/api/v1/tickets/abc', undefined, 404],
        ['GET', '/api/v1/tickets/1.5', undefined, 404],
        ['GET', '/api/v1/tickets/99999999999999999999', undefined, 404],
        ['GET', '/api/v1/customers/abc', undefined, 404],
        ['GET', '/api/v1/customers/99999999999999999999', undefined, 404],
        ['GET', '/api/v1/incidents/abc', undefined, 404],
        ['GET', '/api/v1/incidents/1.5', undefined, 404],
        ['GET', '/api/v1/messages/99999999999999999999', undefined, 404],
        ['DELETE', '/api/v1/tokens/abc', undefined, 404],
        ['POST', '/api/v1/customers/merges/abc/undo', {}, 404],
        ['GET', '/api/v1/tickets?cursor=99999999999999999999', undefined, 400],
        ['GET', '/api/v1/tickets?q=%00', undefined, 400],
        ['GET', '/api/v1/tickets?limit=-1', undefined, 400],
        ['GET', '/api/v1/incidents?limit=-1', undefined, 400],
        ['GET', '/api/v1/incidents?limit=abc', undefined, 400],
        ['GET', '/api/v1/tickets?customer=99999999999999999999', undefined, 400],
        ['POST', '/api/v1/tokens', { name: 'bad\u0000name', role: 'agent' }, 400],
        ['POST', '/api/v1/tickets/1/replies', { text: 'hello\u0000' }, 400],
        ['POST', '/api/v1/messages', deeplyNested(20_000), 400],
        ['GET', '/t/%ff', undefined, 400],
        ['GET', '/api/v1/tickets/%ff', undefined, 400],
      ];
      for (const [method, path, body, status] of cases) {
        const res = await gw.api(method, path, body);
        expect(res.status, `${method} ${path}`).to.equal(status);
        expectSafeResponse(res, `${method} ${path}`);
      }
    });

    it('answers a body with an unknown Content-Encoding with 415', async function () {
      const res = await fetch(`${gw.url}/api/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gw.adminToken}`, 'content-type': 'application/json', 'content-encoding': 'x-bogus' },
        body: JSON.stringify(message('enc-1')),
      });
      expect(res.status).to.equal(415);
      expect((await res.json()).error.code).to.equal('unsupported_media_type');
    });

    it('tells a caller that a failed message failed, without the SQL or driver error behind it', async function () {
      const posted = await gw.api('POST', '/api/v1/messages', message('will-fail'));
      await gw.gateway
        .db('intake_journal')
        .where('id', Number(posted.body.id))
        .update({ status: 'failed', last_error: 'insert into "messages" ("text") values ($1) - invalid byte sequence for encoding "UTF8": 0x00' });
      const status = await gw.api('GET', `/api/v1/messages/${posted.body.id}`);
      expect(status.body.status).to.equal('failed');
      expect(status.body.error).to.match(/processing failed/);
      expectSafeResponse(status, 'GET /api/v1/messages/:id');
    });
  });
}

describe('hostile input: the database goes away (PostgreSQL)', function () {
  if (!TEST_DATABASES.includes('postgres')) return;
  let gw: TestGateway;
  afterEach(async () => gw?.stop());

  it('answers 503 with Retry-After while the database refuses connections, and 202 again once it is back', async function () {
    gw = await startTestGateway({ db: 'postgres' });
    const name = new URL(gw.database.url).pathname.slice(1);
    const { default: knex } = await import('knex');
    const admin = knex({ client: 'pg', connection: 'postgres://postgres@127.0.0.1:5432/postgres' });
    try {
      await admin.raw(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.raw('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()', [name]);
      // pg_terminate_backend only signals: on a busy machine a backend can outlive the call and drop its connection
      // later, in the middle of the request made after the database is back. The outage starts once they are all gone.
      for (let waited = 0; ; waited += 20) {
        const { rows } = await admin.raw('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ?', [name]);
        if (rows[0].n === 0) break;
        if (waited > 10_000) throw new Error(`${rows[0].n} backends of ${name} outlived pg_terminate_backend by 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const res = await gw.api('POST', '/api/v1/messages', {
        externalId: 'outage-1',
        from: { address: '+8613800138000' },
        text: 'still waiting for my parcel',
      });
      expect(res.status).to.equal(503);
      expect(res.headers.get('retry-after')).to.match(/^\d+$/);
      expect(res.body.error.code).to.equal('unavailable');
      expect(res.body.error.message).to.match(/nothing was stored, please retry/);
      await admin.raw(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      const again = await gw.api('POST', '/api/v1/messages', {
        externalId: 'outage-1',
        from: { address: '+8613800138000' },
        text: 'still waiting for my parcel',
      });
      expect(again.status).to.equal(202);
      expect(again.body.duplicate).to.equal(false);
    } finally {
      await admin.raw(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.destroy();
    }
  });
});

import { expect } from 'chai';
import pino from 'pino';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { openDatabase, migrate, type Db } from '../../storage/db.js';
import { KvStateStore } from '../../storage/kv-state.store.js';
import { PostgresBus } from '../../gateway/cluster-bus/postgres-bus.js';
import { RedisBus } from '../../gateway/cluster-bus/redis-bus.js';
import type { LocalBus } from '../../gateway/cluster-bus/local-bus.js';
import { TicketEventsBus, type TicketChangeEvent } from '../../gateway/ticket-events-bus.js';
import { CustomerStore } from '../../storage/customer.store.js';
import { TicketStore } from '../../storage/ticket.store.js';
import pg from 'pg';

const silent = pino({ level: 'silent' });

/** Resolves with the first payload `bus` receives on `topic`, or rejects after `ms`. */
function next(bus: LocalBus, ms = 3_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error('no notice arrived'))), ms);
    const off = bus.subscribe('ticket.change', (p) => {
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}

/** The same checks for any transport: what one process publishes reaches the others once, and itself once, at once. */
function behavesAsAClusterBus(make: () => Promise<[LocalBus, LocalBus]>) {
  let a: LocalBus;
  let b: LocalBus;
  beforeEach(async () => ([a, b] = await make()));
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  it('delivers a notice to the publishing process at once and to another process once', async () => {
    const seenByA: unknown[] = [];
    const seenByB: unknown[] = [];
    a.subscribe('ticket.change', (p) => seenByA.push(p));
    b.subscribe('ticket.change', (p) => seenByB.push(p));
    const arrived = next(b);
    a.publish('ticket.change', { id: 7, status: 'pending' });
    expect(seenByA, 'the publisher hears its own notice synchronously').to.deep.equal([{ id: 7, status: 'pending' }]);
    expect(await arrived).to.deep.equal({ id: 7, status: 'pending' });
    // A round trip the other way proves the first notice was not echoed back to A.
    const back = next(a);
    b.publish('ticket.change', { id: 8 });
    await back;
    expect(seenByA).to.deep.equal([{ id: 7, status: 'pending' }, { id: 8 }]);
    expect(seenByB).to.deep.equal([{ id: 7, status: 'pending' }, { id: 8 }]);
  });

  it('carries a notice larger than a PostgreSQL NOTIFY payload (a long widget reply in Chinese)', async () => {
    const text = '您好，关于您反映的问题'.repeat(1_000);
    const arrived = next(b);
    a.publish('ticket.change', { text });
    expect(((await arrived) as { text: string }).text).to.equal(text);
  });

  it('keeps topics apart', async () => {
    const wrong: unknown[] = [];
    b.subscribe('auth.forget', (p) => wrong.push(p));
    const arrived = next(b);
    a.publish('ticket.change', { id: 1 });
    await arrived;
    expect(wrong).to.deep.equal([]);
  });
}

if (TEST_DATABASES.includes('postgres')) {
  describe('cluster bus on PostgreSQL LISTEN/NOTIFY (two processes on one database)', function () {
    let database: TestDatabase;
    const dbs: Db[] = [];
    before(async () => {
      database = await createTestDatabase('postgres');
      const db = openDatabase(database.url);
      dbs.push(db);
      await migrate(db);
    });
    after(async () => {
      for (const db of dbs.splice(0)) await db.destroy();
      await database.drop();
    });

    const open = async () => {
      const db = openDatabase(database.url);
      dbs.push(db);
      const bus = new PostgresBus(db, database.url, new KvStateStore(db), silent);
      await bus.start();
      return { db, bus };
    };
    behavesAsAClusterBus(async () => [(await open()).bus, (await open()).bus]);

    it("brings a drained chunk's 60 new tickets to another process's live stream, in a few NOTIFYs rather than one each", async function () {
      const a = await open();
      const b = await open();
      // A third session listens on the bus's channel the way a gateway does, and counts what PostgreSQL delivers.
      const counter = new pg.Client({ connectionString: database.url });
      await counter.connect();
      let notifies = 0;
      counter.on('notification', () => notifies++);
      await counter.query('LISTEN gateway_bus');
      try {
        const customerId = await new CustomerStore().create(a.db, { displayName: '王芳', identities: [{ kind: 'sms', value: '+8613800000001' }] });
        const tickets = new TicketStore();
        const ids: number[] = [];
        for (let i = 1; i <= 60; i++) {
          ids.push(await tickets.create(a.db, { number: `C-20261205-${String(i).padStart(4, '0')}`, queue: 'general', customerId, channel: 'sms' }));
        }
        const seen: TicketChangeEvent[] = [];
        new TicketEventsBus(b.db, silent, b.bus).subscribe((event) => seen.push(event));
        await new TicketEventsBus(a.db, silent, a.bus).announce(ids.map((ticketId) => ({ ticketId, reason: 'created' })));
        const deadline = Date.now() + 5_000;
        while (seen.length < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(seen.map((e) => e.id).sort((x, y) => x - y)).to.deep.equal(ids);
        expect(seen.every((e) => e.type === 'ticket.created' && e.queue === 'general' && e.status === 'new')).to.equal(true);
        expect(seen.find((e) => e.id === ids[41])?.number).to.equal('C-20261205-0042');
        // 60 events of ~200 bytes: within three 6 kB notices (one NOTIFY per ticket before).
        expect(notifies).to.be.within(1, 3);
      } finally {
        await counter.end();
        await a.bus.close();
        await b.bus.close();
      }
    });
  });
}

describe('cluster bus on Redis pub/sub (EVENT_BUS=redis://…)', function () {
  let redis: RedisServer;
  before(async () => (redis = await startRedis()));
  after(async () => redis.stop());

  behavesAsAClusterBus(async () => {
    const a = new RedisBus(redis.url, silent);
    const b = new RedisBus(redis.url, silent);
    await a.start();
    await b.start();
    return [a, b];
  });
});

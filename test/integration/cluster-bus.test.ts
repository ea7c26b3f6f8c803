import { expect } from 'chai';
import pino from 'pino';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { openDatabase, migrate, type Db } from '../../storage/db.js';
import { KvStateStore } from '../../storage/kv-state.store.js';
import { PostgresBus } from '../../gateway/cluster-bus/postgres-bus.js';
import { RedisBus } from '../../gateway/cluster-bus/redis-bus.js';
import type { LocalBus } from '../../gateway/cluster-bus/local-bus.js';

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

    behavesAsAClusterBus(async () => {
      const open = async () => {
        const db = openDatabase(database.url);
        dbs.push(db);
        const bus = new PostgresBus(db, database.url, new KvStateStore(db), silent);
        await bus.start();
        return bus;
      };
      return [await open(), await open()];
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

import { expect } from 'chai';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { RecentBands } from '../../gateway/pipeline/recent-bands.js';
import { problemSignature } from '../../nlp/similarity/problem-signature.js';
import { migrate, openDatabase, type Db } from '../../storage/db.js';
import { SimilarityStore } from '../../storage/similarity.store.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * The LSH band keys of recent tickets are kept in the gateway's memory, not as 64 rows per ticket:
 * surge detection must still see every recent ticket, including those another gateway on the same
 * database stored (before a restart, `gateway simulate` run beside it, other processes on PostgreSQL).
 */
const report = (n: number) => `The app crashes every time I open the payment page, since this morning (report ${n})`;

for (const kind of TEST_DATABASES) {
  describe(`surge candidates on ${kind}: recent band keys in memory`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    beforeEach(async function () {
      gw = await startTestGateway({ db: kind, workers: false });
    });
    afterEach(async function () {
      await gw?.stop();
    });

    const post = async (from: number, to: number) => {
      for (let n = from; n <= to; n++) {
        const res = await gw.api('POST', '/api/v1/messages', { externalId: `rb-${n}`, from: { address: `rb${n}@outage.example` }, text: report(n) });
        expect(res.status).to.equal(202);
      }
    };
    const incidents = async () => gw.gateway.db('incidents').select('id', 'ticket_count');
    const linked = async () => Number((await gw.gateway.db('tickets').whereNotNull('incident_id').count({ n: '*' }).first())?.n);

    it('writes no band rows, and ten customers reporting one outage still make one incident of ten tickets', async function () {
      await post(1, 9);
      await gw.gateway.pipeline.drain();
      expect(await incidents()).to.have.length(0);
      await post(10, 10);
      await gw.gateway.pipeline.drain();
      expect(Number((await gw.gateway.db('ticket_bands').count({ n: '*' }).first())?.n)).to.equal(0);
      expect(Number((await gw.gateway.db('ticket_signatures').count({ n: '*' }).first())?.n)).to.equal(10);
      const [incident, ...more] = await incidents();
      expect(more).to.have.length(0);
      expect(Number(incident!.ticket_count)).to.equal(10);
      expect(await linked()).to.equal(10);
    });

    it('counts the tickets another gateway on the same database stored, before and while this one runs', async function () {
      // Six reports drained by this gateway, three more by a second one (a fresh index: it loads the six).
      await post(1, 6);
      await gw.gateway.pipeline.drain();
      await post(7, 9);
      const config = loadConfig({ dir: 'config', env: { DATABASE_URL: gw.database.url, LOG_LEVEL: 'silent' } });
      const other = await Gateway.create({ config, workers: false });
      try {
        expect(await other.pipeline.drain()).to.equal(3);
      } finally {
        await other.stop();
      }
      expect(await incidents()).to.have.length(0);
      // The tenth, back on the first gateway: its index reads the other's three before looking.
      await post(10, 10);
      await gw.gateway.pipeline.drain();
      const [incident, ...more] = await incidents();
      expect(more).to.have.length(0);
      expect(Number(incident!.ticket_count)).to.equal(10);
      expect(await linked()).to.equal(10);
    });
  });
}

describe('surge candidates on SQLite: one transaction, and surge detection off', function () {
  this.timeout(60_000);
  let gw: TestGateway | undefined;
  afterEach(async function () {
    await gw?.stop();
  });
  const postAll = async (g: TestGateway, n: number) => {
    for (let i = 1; i <= n; i++)
      await g.api('POST', '/api/v1/messages', { externalId: `rb1-${i}`, from: { address: `rb1-${i}@outage.example` }, text: report(i) });
  };

  it('sees the tickets its own transaction stored: ten reports drained in one transaction make one incident', async function () {
    gw = await startTestGateway({
      db: 'sqlite',
      workers: false,
      tweak: (c) => {
        c.gateway.pipeline.sqliteTransactionMaxMs = 60_000;
        c.gateway.pipeline.transactionSize = 20;
      },
    });
    await postAll(gw, 10);
    await gw.gateway.pipeline.drain();
    const incidents = await gw.gateway.db('incidents').select('ticket_count');
    expect(incidents.map((i) => Number(i.ticket_count))).to.deep.equal([10]);
  });

  it('keeps nothing in memory while surge detection is switched off', async function () {
    gw = await startTestGateway({ db: 'sqlite', workers: false, tweak: (c) => void (c.gateway.incidents.enabled = false) });
    await postAll(gw, 10);
    await gw.gateway.pipeline.drain();
    expect(Number((await gw.gateway.db('tickets').count({ n: '*' }).first())?.n)).to.equal(10);
    expect(await gw.gateway.db('incidents').select('id')).to.have.length(0);
    expect(RecentBands.of(gw.gateway.db).size).to.equal(0);
  });
});

describe('RecentBands: the window it keeps', function () {
  let database: TestDatabase;
  let db: Db;
  let other: Db;
  const store = new SimilarityStore();
  const hour = 3_600_000;
  const t0 = Date.UTC(2026, 11, 1, 9);
  const signature = problemSignature(report(1));
  // A signature with bands of its own: found only if it was read.
  const another = problemSignature('我的快递三天了还没送到，物流信息一直不更新');
  const inTransaction = (look: (trx: Db) => Promise<number[]>) => db.transaction(async (trx) => (await look(trx as unknown as Db)).sort((a, b) => a - b));
  before(async function () {
    database = await createTestDatabase('sqlite');
    db = openDatabase(database.url);
    await migrate(db);
    // A second connection to the same file: another process.
    other = openDatabase(database.url);
    // The index reads signatures only: they are stored without their ticket rows (foreign keys off).
    await db.raw('PRAGMA foreign_keys = OFF');
    await other.raw('PRAGMA foreign_keys = OFF');
  });
  beforeEach(async function () {
    await db('ticket_signatures').delete();
  });
  after(async function () {
    await other?.destroy();
    await db?.destroy();
    await database?.drop();
  });

  it('forgets tickets older than it is asked to keep, and reads them back for a lookup that reaches that far', async function () {
    const ids = [101, 102];
    await store.save(db, ids[0]!, signature, t0);
    await store.save(db, ids[1]!, signature, t0 + 2 * hour);
    const index = new RecentBands(store);
    // A fresh index loads the window asked for: only the later ticket.
    const since = t0 + 2 * hour - 30 * 60_000;
    expect(await index.sharing(db, signature.bands, since, since - 30 * 60_000)).to.deep.equal([ids[1]]);
    expect(index.size).to.equal(1);
    // A message from long before (a backlog drained late) reaches back: the older ticket is read again.
    expect((await index.sharing(db, signature.bands, t0 - 60_000)).sort((a, b) => a - b)).to.deep.equal(ids);
    // Tickets older than asked to keep are dropped from memory, not from the database.
    expect(await index.sharing(db, signature.bands, since, since)).to.deep.equal([ids[1]]);
    expect(index.size).to.equal(1);
    expect(Number((await db('ticket_signatures').count({ n: '*' }).first())?.n)).to.equal(2);
  });

  it('reads back a window made longer (a reload) together with what another process stored since', async function () {
    const index = new RecentBands(store);
    await store.save(db, 201, signature, t0);
    expect(await inTransaction((trx) => index.sharing(trx, signature.bands, t0 - 30 * 60_000))).to.deep.equal([201]);
    await store.save(other, 202, another, t0 + 60_000);
    // The incident window raised from 30 minutes to 3 hours.
    expect(await inTransaction((trx) => index.sharing(trx, another.bands, t0 - 3 * hour))).to.deep.equal([202]);
  });

  it('reads every signature another process stored since its last look, however many', async function () {
    const index = new RecentBands(store);
    expect(await inTransaction((trx) => index.sharing(trx, signature.bands, t0 - hour))).to.deep.equal([]);
    // More than SQLite takes as parameters of one statement (32,766).
    const json = JSON.stringify({ features: signature.features, minhash: signature.minhash });
    await other.raw(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 33000)
       INSERT INTO ticket_signatures (ticket_id, signature, created_at) SELECT 1000 + i, ?, ? FROM n`,
      [json, t0],
    );
    expect(await inTransaction((trx) => index.sharing(trx, signature.bands, t0 - hour))).to.have.length(33_000);
  });

  it("does not take a rolled-back ticket's id as read when another process stores a ticket under it", async function () {
    const index = new RecentBands(store);
    await inTransaction((trx) => index.sharing(trx, signature.bands, t0 - hour));
    // A transaction stores ticket 301, and a later lookup in it (a savepoint) reads it; then it rolls back.
    await db
      .transaction(async (trx) => {
        await store.save(trx, 301, signature, t0);
        index.add(301, signature.bands, t0);
        await trx.transaction(async (sp) => index.sharing(sp, signature.bands, t0 - hour));
        throw new Error('rolled back');
      })
      .catch(() => index.rolledBack());
    // Another process is given the same id for another problem.
    await store.save(other, 301, another, t0 + 1_000);
    expect(await inTransaction((trx) => index.sharing(trx, another.bands, t0 - hour))).to.deep.equal([301]);
  });
});

if (TEST_DATABASES.includes('postgres')) {
  describe('RecentBands on PostgreSQL: tickets committed out of id order', function () {
    let database: TestDatabase;
    let db: Db;
    let other: Db;
    const store = new SimilarityStore();
    const t0 = Date.now();
    const signature = problemSignature(report(1));
    const another = problemSignature('我的快递三天了还没送到，物流信息一直不更新');
    // The index reads signatures only: they are stored without their ticket rows (foreign keys not checked).
    const withoutTickets = async (trx: Db) => void (await trx.raw('SET LOCAL session_replication_role = replica'));
    before(async function () {
      database = await createTestDatabase('postgres');
      db = openDatabase(database.url);
      await migrate(db);
      // Another process.
      other = openDatabase(database.url);
    });
    after(async function () {
      await other?.destroy();
      await db?.destroy();
      await database?.drop();
    });

    it('is not made to read every later signature again by a transaction left open elsewhere', async function () {
      // A store that counts what each look finds committed since the last one.
      const found: number[] = [];
      const counting = new (class extends SimilarityStore {
        override async committedSince(...args: Parameters<SimilarityStore['committedSince']>) {
          const read = await super.committedSince(...args);
          found.push(read.stored.length);
          return read;
        }
      })();
      const index = new RecentBands(counting);
      const look = async () => db.transaction(async (trx) => index.sharing(trx, signature.bands, t0 - 60_000));
      await look();
      // A session idle in a transaction that has written something (an xid older than everything below).
      const idle = await other.transaction();
      await idle.raw('SELECT pg_current_xact_id()');
      try {
        for (let id = 601; id <= 640; id++) {
          await db.transaction(async (trx) => {
            await withoutTickets(trx as unknown as Db);
            await store.save(trx, id, signature, t0);
          });
        }
        await look();
        await db.transaction(async (trx) => {
          await withoutTickets(trx as unknown as Db);
          await store.save(trx, 641, signature, t0);
        });
        found.length = 0;
        expect((await look()).filter((id) => id >= 601)).to.have.length(41);
        // Only the one committed since the last look, not the 41 committed since the idle transaction began.
        expect(found).to.deep.equal([1]);
      } finally {
        await idle.rollback();
        await db('ticket_signatures').whereBetween('ticket_id', [601, 641]).delete();
      }
    });

    it('reads a ticket whose transaction commits after a later ticket, under a smaller id', async function () {
      const index = new RecentBands(store);
      const look = async (bands: string[]) => (await db.transaction(async (trx) => index.sharing(trx, bands, t0 - 60_000))).sort((a, b) => a - b);
      expect(await look(signature.bands)).to.deep.equal([]);
      // Process A stores ticket 501 and has not committed yet...
      const slow = await other.transaction();
      await withoutTickets(slow as unknown as Db);
      await store.save(slow, 501, signature, t0);
      // ...while process B stores 502 and commits, and a look reads it.
      await db.transaction(async (trx) => {
        await withoutTickets(trx as unknown as Db);
        await store.save(trx, 502, signature, t0);
      });
      expect(await look(signature.bands)).to.deep.equal([502]);
      // A commits: the next look reads 501, though a larger id was read before it.
      await slow.commit();
      expect(await look(signature.bands)).to.deep.equal([501, 502]);
      // A ticket stored in the looking transaction itself is the pipeline's to index (it is, when stored).
      await db.transaction(async (trx) => {
        await withoutTickets(trx as unknown as Db);
        await store.save(trx, 503, another, t0);
        expect(await index.sharing(trx, another.bands, t0 - 60_000)).to.deep.equal([]);
        index.add(503, another.bands, t0);
        expect(await index.sharing(trx, another.bands, t0 - 60_000)).to.deep.equal([503]);
      });
    });
  });
}

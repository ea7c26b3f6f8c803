import { expect } from 'chai';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { RecentBands } from '../../gateway/pipeline/recent-bands.js';
import { problemSignature } from '../../nlp/similarity/problem-signature.js';
import { migrate, openDatabase, type Db } from '../../storage/db.js';
import { SimilarityStore } from '../../storage/similarity.store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * On SQLite the LSH band keys of recent tickets are kept in the gateway's memory, not as 64 rows per
 * ticket: surge detection must still see every recent ticket, including those another gateway on the
 * same database stored (before a restart, or `gateway simulate` run beside it).
 */
const report = (n: number) => `The app crashes every time I open the payment page, since this morning (report ${n})`;

describe('surge candidates on SQLite: recent band keys in memory', function () {
  this.timeout(60_000);
  let gw: TestGateway;
  beforeEach(async function () {
    gw = await startTestGateway({ db: 'sqlite', workers: false });
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

describe('RecentBands: the window it keeps', function () {
  let database: TestDatabase;
  let db: Db;
  before(async function () {
    database = await createTestDatabase('sqlite');
    db = openDatabase(database.url);
    await migrate(db);
  });
  after(async function () {
    await db?.destroy();
    await database?.drop();
  });

  it('forgets tickets older than it is asked to keep, and reads them back for a lookup that reaches that far', async function () {
    const store = new SimilarityStore();
    const hour = 3_600_000;
    const t0 = Date.UTC(2026, 11, 1, 9);
    const signature = problemSignature(report(1));
    // The index reads signatures only: two stored without their ticket rows (SQLite's one connection, foreign keys off).
    await db.raw('PRAGMA foreign_keys = OFF');
    const ids = [101, 102];
    await store.save(db, ids[0]!, signature, t0, { bandRows: false });
    await store.save(db, ids[1]!, signature, t0 + 2 * hour, { bandRows: false });
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
});

/**
 * The baseline for bench/intake: a bare express handler doing one knex insert per
 * request into a table shaped like intake_journal, on SQLite with WAL and the
 * synchronous level given on the command line. No validation, no auth, no group commit.
 *
 *   node --import tsx bench/intake/baseline-server.ts <sqlite-file> <FULL|NORMAL> <port>
 */
import express from 'express';
import knexFactory from 'knex';

const [file, synchronous, port] = process.argv.slice(2);
if (!file || !/^(FULL|NORMAL)$/.test(synchronous ?? '') || !port) {
  process.stderr.write('usage: baseline-server.ts <sqlite-file> <FULL|NORMAL> <port>\n');
  process.exit(2);
}

const db = knexFactory({
  client: 'sqlite3',
  connection: { filename: file },
  useNullAsDefault: true,
  pool: {
    min: 1,
    max: 1,
    afterCreate(conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
      // The same pragmas as storage/db.ts, except the synchronous level under test.
      conn.exec(`PRAGMA journal_mode=WAL; PRAGMA synchronous=${synchronous}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;`, (err) => done(err, conn));
    },
  },
});

await db.schema.createTable('journal', (t) => {
  t.bigIncrements('id');
  t.string('channel', 32).notNullable();
  t.string('external_id', 512).notNullable();
  t.text('payload').notNullable();
  t.bigInteger('received_at').notNullable();
  t.bigInteger('accepted_at').notNullable();
  t.string('status', 16).notNullable().defaultTo('pending');
  t.unique(['channel', 'external_id']);
  t.index(['status', 'id']);
});

const app = express();
app.use(express.json({ limit: '1mb' }));
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
app.post('/api/v1/messages', async (req, res) => {
  try {
    const now = Date.now();
    const [id] = await db('journal').insert({
      channel: req.body.channel ?? 'api',
      external_id: req.body.externalId,
      payload: JSON.stringify(req.body),
      received_at: now,
      accepted_at: now,
      status: 'pending',
    });
    res.status(202).json({ id: String(id), duplicate: false });
  } catch (err) {
    res.status(500).json({ error: (err as Error).message });
  }
});

const server = app.listen(Number(port), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void db.destroy().then(() => process.exit(0));
});

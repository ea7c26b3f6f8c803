import { expect } from 'chai';
import { RecentBands } from '../../gateway/pipeline/recent-bands.js';
import { problemSignature } from '../../nlp/similarity/problem-signature.js';
import { IncidentStore } from '../../storage/incident.store.js';
import { SimilarityStore } from '../../storage/similarity.store.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const OUTAGE = 'The app crashes every time I open the payment page, since this morning';

for (const db of TEST_DATABASES) {
  describe(`surge candidate lookups on ${db}`, function () {
    let gw: TestGateway;
    const ticketOf = new Map<string, number>();

    before(async function () {
      gw = await startTestGateway({ db });
      // Three customers, one outage, the same words: their tickets share LSH bands.
      for (const who of ['lg', 'pq', 'unclassified']) {
        await gw.api('POST', '/api/v1/messages', { externalId: `surge-${who}`, from: { address: `${who}@surge.example` }, text: OUTAGE });
      }
      await gw.settle();
      for (const who of ['lg', 'pq', 'unclassified']) {
        const row = await gw.gateway
          .db('messages')
          .where({ external_id: `surge-${who}` })
          .first('ticket_id');
        ticketOf.set(who, Number(row.ticket_id));
      }
      await gw.gateway.db('tickets').where('id', ticketOf.get('lg')!).update({ category: 'LG' });
      await gw.gateway.db('tickets').where('id', ticketOf.get('pq')!).update({ category: 'PQ' });
      await gw.gateway.db('tickets').where('id', ticketOf.get('unclassified')!).update({ category: null });
    });
    after(async function () {
      await gw?.stop();
    });

    // Recent tickets' bands are kept in the gateway's memory, brought up to what the database holds.
    const bands = problemSignature(OUTAGE).bands;
    const candidates = async (category?: string) => {
      const store = new SimilarityStore();
      const found = await gw.gateway.db.transaction(async (trx) => store.lookAlikes(trx, await RecentBands.of(trx).sharing(trx, bands, 0), { category }));
      return found.map((t) => t.ticketId).sort((a, b) => a - b);
    };

    it('finds every recent ticket sharing a band, and only the same category when one is given', async function () {
      const all = [...ticketOf.values()].sort((a, b) => a - b);
      expect(await candidates()).to.deep.equal(all);
      expect(await candidates('LG')).to.deep.equal([ticketOf.get('lg')]);
      expect(await candidates('PQ')).to.deep.equal([ticketOf.get('pq')]);
      // Surge detection counts an unclassified ticket as OTHER.
      expect(await candidates('OTHER')).to.deep.equal([ticketOf.get('unclassified')]);
    });

    if (db === 'postgres') {
      it('reads what other processes committed by the transaction index, even with statistics older than a burst of new tickets', async function () {
        const knex = gw.gateway.db;
        // Statistics taken while few tickets were recent (a quiet hour)...
        await knex.raw('ANALYZE ticket_signatures');
        await knex.raw('ANALYZE tickets');
        // ...then a burst: 40,000 signatures of the last minutes (a drained backlog, a surge), stored by another process.
        // (Without their ticket rows: foreign keys are not checked in that transaction.)
        const json = JSON.stringify({ features: [], minhash: problemSignature(OUTAGE).minhash });
        await knex.transaction(async (trx) => {
          await trx.raw('SET LOCAL session_replication_role = replica');
          await trx.raw('INSERT INTO ticket_signatures (ticket_id, signature, created_at) SELECT 1000000 + n, ?, ? FROM generate_series(1, 40000) AS n', [
            json,
            Date.now(),
          ]);
        });
        const look = async () =>
          (
            await knex.transaction(async (trx) =>
              new SimilarityStore().lookAlikes(trx, await RecentBands.of(trx).sharing(trx, bands, Date.now() - 30 * 60_000), { category: 'LG' }),
            )
          ).map((t) => t.ticketId);
        // A look reads the burst in (they share the outage's bands but have no ticket: only the LG ticket is a candidate)...
        expect(await look()).to.deep.equal([ticketOf.get('lg')]);
        expect(RecentBands.of(knex).size).to.be.at.least(40_000);
        // ...and the next one, after one more ticket, reads only what was committed since.
        await knex.transaction(async (trx) => {
          await trx.raw('SET LOCAL session_replication_role = replica');
          await trx('ticket_signatures').insert({ ticket_id: 2_000_000, signature: json, created_at: Date.now() });
        });
        const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
        const record = (q: { sql: string; bindings?: readonly unknown[] }) => statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
        knex.on('query', record);
        try {
          expect(await look()).to.deep.equal([ticketOf.get('lg')]);
        } finally {
          knex.removeListener('query', record);
        }
        const reads = statements.filter((s) => /^\s*select/i.test(s.sql));
        // What was committed since the last look, the signatures not known yet, the look-alikes by id.
        expect(reads.length).to.be.at.least(3);
        for (const s of reads) {
          // The statement as sent ($1, $2…, an array as one parameter), explained on a connection of the pool.
          const connection = await knex.client.acquireConnection();
          let plan: string[];
          try {
            const result = await connection.query({ text: `EXPLAIN ${s.sql}`, values: s.bindings });
            plan = result.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']);
          } finally {
            await knex.client.releaseConnection(connection);
          }
          expect(
            plan.filter((line) => /Seq Scan on (ticket_signatures|tickets)\b|tickets_insights_index/.test(line)),
            `${s.sql.slice(0, 300)}…\n${plan.map((line) => line.slice(0, 200)).join('\n')}`,
          ).to.deep.equal([]);
        }
      });
    }

    if (db === 'sqlite') {
      it('never scans tickets, even with statistics from a store where no ticket is in an incident', async function () {
        const knex = gw.gateway.db;
        const customer = (await knex('tickets').first('customer_id')).customer_id;
        // 5,000 closed tickets outside any incident, then statistics (ANALYZE, as `PRAGMA optimize` does)...
        await knex.raw(
          `WITH RECURSIVE q(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM q WHERE n < 5000)
           INSERT INTO tickets (number, status, customer_id, channels, last_channel, tags, message_count, status_token, priority, queue, created_at, updated_at, last_message_at)
           SELECT 'OLD-' || n, 'closed', ?, ',api,', 'api', '[]', 1, 'old-' || n, 'normal', 'general', n, n, n FROM q`,
          [customer],
        );
        await knex.raw('ANALYZE');
        const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
        const record = (q: { sql: string; bindings?: readonly unknown[] }) => statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
        knex.on('query', record);
        try {
          await knex.transaction(async (trx) => new SimilarityStore().lookAlikes(trx, await RecentBands.of(trx).sharing(trx, bands, 0), { category: 'LG' }));
          await new IncidentStore().refresh(knex, 1);
        } finally {
          knex.removeListener('query', record);
        }
        const reads = statements.filter((s) => /^\s*select/i.test(s.sql));
        // The look-alikes by id and the incident's count, at least.
        expect(reads.length).to.be.at.least(2);
        for (const s of reads) {
          const plan = (await knex.raw(`EXPLAIN QUERY PLAN ${s.sql}`, s.bindings as never[])) as Array<{ detail: string }>;
          const details = plan.map((p) => p.detail);
          expect(
            details.filter((d) => /^SCAN (tickets|ticket_signatures)\b/.test(d)),
            `${s.sql}\n${details.join('\n')}`,
          ).to.deep.equal([]);
        }
      });
    }
  });
}

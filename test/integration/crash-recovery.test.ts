import type { ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import knexFactory from 'knex';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';
import { freePort } from '../support/dovecot.js';
import { shortLeaseConfigDir, startGatewayProcess } from '../support/gateway-process.js';

const ADMIN = 'crash-test-admin-token-0123';

for (const kind of TEST_DATABASES) {
  describe(`crash recovery on ${kind}: SIGKILL with 500 messages in flight`, function () {
    this.timeout(120_000);
    let database: TestDatabase;
    let child: ChildProcess | undefined;

    before(async function () {
      database = await createTestDatabase(kind);
    });

    after(async function () {
      child?.kill('SIGKILL');
      await database?.drop();
    });

    it('keeps every acknowledged message in exactly one ticket: none lost, none doubled', async function () {
      // A config copy with a short lease so rows claimed by the killed process are retaken quickly.
      const configDir = shortLeaseConfigDir();

      const port = await freePort();
      const env = { DATABASE_URL: database.url };
      child = await startGatewayProcess({ env, configDir, port, adminToken: ADMIN });

      const acked = new Set<string>();
      let killed = false;
      const total = 500;
      let next = 0;
      const post = async (i: number) => {
        const externalId = `crash-${i}`;
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/messages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              channel: 'api',
              externalId,
              from: { address: `customer${i % 37}@example.com` },
              // Every fifth message continues a conversation, so attaches are exercised too.
              threadKey: i % 5 === 0 ? `conv-${i % 37}` : undefined,
              text: `Complaint ${i}: the parcel arrived damaged.`,
            }),
          });
          if (res.status === 202) acked.add(externalId);
        } catch {
          // The process died mid-request: not acknowledged, so the client would retry.
        }
      };
      const worker = async () => {
        while (next < total) {
          const i = next++;
          await post(i);
          if (!killed && acked.size >= 250) {
            killed = true;
            child!.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 25 }, worker));
      expect(killed, 'the process was killed mid-run').to.equal(true);
      await new Promise((resolve) => (child!.exitCode !== null || child!.signalCode !== null ? resolve(null) : child!.once('exit', resolve)));
      expect(acked.size).to.be.greaterThan(249).and.lessThan(total);

      // Restart on the same database; the client resends what was not acknowledged.
      child = await startGatewayProcess({ env, configDir, port, adminToken: ADMIN });
      const unacked = Array.from({ length: total }, (_, i) => i).filter((i) => !acked.has(`crash-${i}`));
      await Promise.all(unacked.map((i) => post(i)));
      expect(acked.size).to.equal(total);

      const db = knexFactory(
        kind === 'sqlite'
          ? { client: 'sqlite3', connection: { filename: database.url.slice(7) }, useNullAsDefault: true }
          : { client: 'pg', connection: database.url },
      );
      try {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const open = await db('intake_journal').whereNot('status', 'done').count({ n: '*' }).first();
          if (Number(open?.n) === 0) break;
          if (Date.now() > deadline) throw new Error(`journal not drained: ${open?.n} rows left`);
          await new Promise((r) => setTimeout(r, 200));
        }
        const journal = await db('intake_journal').select('external_id');
        expect(journal).to.have.length(total);

        const rows: Array<{ external_id: string; ticket_id: number }> = await db('messages').where({ direction: 'in' }).select('external_id', 'ticket_id');
        const perId = new Map<string, number>();
        for (const r of rows) perId.set(r.external_id, (perId.get(r.external_id) ?? 0) + 1);
        const lost = [...acked].filter((id) => !perId.has(id));
        const doubled = [...perId].filter(([, n]) => n > 1).map(([id]) => id);
        expect(lost, 'acknowledged but missing').to.deep.equal([]);
        expect(doubled, 'stored twice').to.deep.equal([]);
        expect(rows).to.have.length(total);

        const counts: Array<{ id: number; message_count: number }> = await db('tickets').select('id', 'message_count');
        const sum = counts.reduce((s, t) => s + Number(t.message_count), 0);
        expect(sum, 'ticket message counts add up to the messages stored').to.equal(total);
      } finally {
        await db.destroy();
      }
    });
  });
}

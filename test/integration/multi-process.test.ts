import type { ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import knexFactory from 'knex';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';
import { freePort } from '../support/dovecot.js';
import { WidgetClient } from './webchat/widget-client.js';
import { shortLeaseConfigDir, startGatewayProcess } from '../support/gateway-process.js';

const ADMIN = 'multi-process-admin-token-0123';

interface Proc {
  name: string;
  url: string;
  child: ChildProcess;
}

/** Starts a real `gateway start` process named `name` on a free port. */
async function startProcess(name: string, env: Record<string, string>, configDir: string): Promise<Proc> {
  const port = await freePort();
  const child = await startGatewayProcess({ env: { ...env, GATEWAY_PROCESS_NAME: name }, configDir, port, adminToken: ADMIN, timeoutMs: 90_000 });
  return { name, url: `http://127.0.0.1:${port}`, child };
}

async function api(proc: Proc, method: string, route: string, body?: unknown, token = ADMIN): Promise<{ status: number; body: any }> {
  const res = await fetch(proc.url + route, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

if (TEST_DATABASES.includes('postgres')) {
  describe('three gateway processes on one PostgreSQL database (issue 22)', function () {
    this.timeout(240_000);
    let database: TestDatabase;
    let configDir: string;
    const procs: Proc[] = [];

    before(async function () {
      database = await createTestDatabase('postgres');
      // A short lease, so what the killed process had claimed is taken over quickly.
      configDir = shortLeaseConfigDir();
      const env = { DATABASE_URL: database.url };
      // "b" takes requests and holds widget sockets but runs no workers: whatever reaches its visitors was sent by another process.
      procs.push(
        ...(await Promise.all([
          startProcess('a', env, configDir),
          startProcess('b', { ...env, GATEWAY_WORKERS: 'false' }, configDir),
          startProcess('c', env, configDir),
        ])),
      );
    });

    after(async function () {
      for (const p of procs) p.child.kill('SIGKILL');
      await database?.drop();
    });

    it('a reply sent by one process reaches the widget socket held by another', async function () {
      const [a, b] = procs as [Proc, Proc, Proc];
      const visitor = await WidgetClient.open(b.url);
      try {
        await visitor.hello();
        visitor.send({ type: 'message', clientId: 'c-0000000001', text: 'The kettle I bought leaks from the bottom.' });
        await visitor.next((e) => e.type === 'accepted' && e.clientId === 'c-0000000001');
        // The acknowledgement is written by a worker on a or c: b has none.
        const ack = await visitor.next((e) => e.type === 'message' && e.role === 'system', 30_000);
        const found = await api(a, 'GET', `/api/v1/tickets?q=${encodeURIComponent(ack.ticketNumber)}`);
        const ticket = found.body.items.find((t: any) => t.number === ack.ticketNumber);
        expect(ticket, `ticket ${ack.ticketNumber} listed by process a`).to.not.equal(undefined);

        const reply = await api(a, 'POST', `/api/v1/tickets/${ticket.id}/replies`, { text: '很抱歉，新水壶今天寄出。' });
        expect(reply.status).to.equal(202);
        const agent = await visitor.next((e) => e.type === 'message' && e.role === 'agent', 30_000);
        expect(agent.text).to.equal('很抱歉，新水壶今天寄出。');
        expect(agent.ticketNumber).to.equal(ack.ticketNumber);
      } finally {
        visitor.close();
      }
    });

    it('a token revoked on one process is refused by every process within a second', async function () {
      const [a, b, c] = procs as [Proc, Proc, Proc];
      const created = await api(a, 'POST', '/api/v1/tokens', { name: 'integration', role: 'agent' });
      expect(created.status).to.equal(201);
      // Every process has just accepted it (and cached that).
      for (const p of procs) expect((await api(p, 'GET', '/api/v1/tickets?limit=1', undefined, created.body.token)).status, p.name).to.equal(200);

      const revoked = await api(b, 'DELETE', `/api/v1/tokens/${created.body.id}`);
      expect(revoked.status).to.equal(204);
      const since = Date.now();
      const refusedAfter: Record<string, number> = {};
      for (const p of [a, b, c]) {
        for (;;) {
          const status = (await api(p, 'GET', '/api/v1/tickets?limit=1', undefined, created.body.token)).status;
          if (status === 401) break;
          expect(Date.now() - since, `${p.name} still accepts the revoked token`).to.be.lessThan(1_000);
          await new Promise((r) => setTimeout(r, 20));
        }
        refusedAfter[p.name] = Date.now() - since;
      }
      expect(Math.max(...Object.values(refusedAfter))).to.be.lessThan(1_000);
    });

    it('kill -9 of one process under load: every acknowledged message stored exactly once, the others carry on', async function () {
      const [a, b, c] = procs as [Proc, Proc, Proc];
      const total = 300;
      const acked = new Set<string>();
      let killed = false;
      const post = async (proc: Proc, i: number): Promise<boolean> => {
        try {
          const res = await api(proc, 'POST', '/api/v1/messages', {
            channel: 'api',
            externalId: `mp-${i}`,
            from: { address: `customer${i % 41}@example.com` },
            threadKey: i % 4 === 0 ? `conv-${i % 41}` : undefined,
            text: `Complaint ${i}: the parcel arrived damaged and the box was wet.`,
          });
          if (res.status === 202) acked.add(`mp-${i}`);
          return res.status === 202;
        } catch {
          return false; // c died mid-request: not acknowledged, the client tries elsewhere
        }
      };
      let next = 0;
      const client = async () => {
        while (next < total) {
          const i = next++;
          // Round-robin over the processes, as a load balancer would; a failed request is retried on the next one.
          for (let attempt = 0; attempt < 3 && !(await post(procs[(i + attempt) % 3]!, i)); attempt++);
          if (!killed && acked.size >= total / 2) {
            killed = true;
            c.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 12 }, client));
      expect(killed).to.equal(true);
      expect(acked.size).to.equal(total);
      // The others carry on: a and b still answer.
      expect((await fetch(`${a.url}/healthz`)).ok).to.equal(true);
      expect((await fetch(`${b.url}/healthz`)).ok).to.equal(true);

      const db = knexFactory({ client: 'pg', connection: database.url });
      try {
        const deadline = Date.now() + 90_000;
        for (;;) {
          const open = await db('intake_journal').whereNot('status', 'done').count({ n: '*' }).first();
          if (Number(open?.n) === 0) break;
          if (Date.now() > deadline) throw new Error(`journal not drained: ${open?.n} rows left`);
          await new Promise((r) => setTimeout(r, 200));
        }
        const rows: Array<{ external_id: string }> = await db('messages').where({ direction: 'in' }).whereLike('external_id', 'mp-%').select('external_id');
        const perId = new Map<string, number>();
        for (const r of rows) perId.set(r.external_id, (perId.get(r.external_id) ?? 0) + 1);
        expect(
          [...acked].filter((id) => !perId.has(id)),
          'acknowledged but missing',
        ).to.deep.equal([]);
        expect(
          [...perId].filter(([, n]) => n > 1).map(([id]) => id),
          'stored twice',
        ).to.deep.equal([]);
        const workers: Array<{ claimed_by: string }> = await db('intake_journal').distinct('claimed_by');
        expect(workers.map((w) => w.claimed_by).sort(), 'b runs no workers').to.not.include('pipeline-b');
      } finally {
        await db.destroy();
      }
    });
  });
}

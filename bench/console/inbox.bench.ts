/**
 * Inbox at scale (issue 18): the console's first page — GET /api/v1/tickets in its default SLA order,
 * with the usual filters and in recency order — and GET /api/v1/queues, with N tickets in the store.
 * Goal: first page ≤ 300 ms p95 server time with 1M tickets, on SQLite and PostgreSQL.
 *
 *   node --import tsx bench/console/inbox.bench.ts [--sizes 1000000] [--db sqlite,postgres] [--requests 40] [--write]
 *
 * Per database and size:
 *   1. A fresh database, migrated by the gateway's own migrations, seeded by seedLargeStore
 *      (large-store.ts): N tickets over 90 days, about 5 % open over the routing.yaml queues, most
 *      assigned, old open ones breached and a few due soon.
 *   2. The real Gateway (workers off) on a free port; every scenario is requested `--requests` times
 *      after 3 warm-up requests, one at a time. The time is measured by the client on localhost (an
 *      upper bound of the server's time).
 *   3. The plan of every statement a scenario runs (EXPLAIN QUERY PLAN / EXPLAIN with its bindings);
 *      a plan that reads the tickets table without an index is flagged.
 */
import { parseArgs } from 'node:util';
import type { TestDatabaseKind } from '../../test/support/databases.js';
import { writeResultsSpan } from '../results-file.js';
import { explain, percentile, scansTickets, withLargeStoreGateway } from './large-store.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000' },
    db: { type: 'string', default: 'sqlite,postgres' },
    requests: { type: 'string', default: '40' },
    write: { type: 'boolean', default: false },
  },
});
const SIZES = args.sizes!.split(',').map((s) => Number(s.trim()));
const KINDS = args.db!.split(',').map((s) => s.trim()) as TestDatabaseKind[];
const REQUESTS = Number(args.requests);
const ADMIN_TOKEN = 'inbox-bench-admin-token-0123456789';
const GOAL_MS = 300;

interface Scenario {
  name: string;
  path: string;
  agent?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'default page (SLA order)', path: '/api/v1/tickets' },
  { name: 'open tickets (SLA order)', path: '/api/v1/tickets?status=new,open,pending_customer,reopened' },
  { name: 'one queue', path: '/api/v1/tickets?queue=logistics&status=new,open,pending_customer,reopened' },
  { name: 'assigned to me', path: '/api/v1/tickets?assignee=me', agent: true },
  { name: 'unassigned', path: '/api/v1/tickets?assignee=none&status=new,open,reopened' },
  { name: 'SLA breached', path: '/api/v1/tickets?sla=breached' },
  { name: 'SLA due soon', path: '/api/v1/tickets?sla=due_soon' },
  { name: 'recently updated', path: '/api/v1/tickets?sort=updated' },
  { name: 'page 2 (SLA order)', path: 'PAGE2' },
  { name: 'queue counts', path: '/api/v1/queues' },
  { name: 'search: phone', path: '/api/v1/tickets?q=13910000777' },
];

async function run(kind: TestDatabaseKind, n: number): Promise<string[]> {
  const lines: string[] = [];
  await withLargeStoreGateway(kind, n, ADMIN_TOKEN, async (gateway) => {
    const agent = await gateway.tokens.create('agent-7', 'agent');
    const get = async (path: string, token = ADMIN_TOKEN) => {
      const started = performance.now();
      const res = await fetch(gateway.url + path, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { items: unknown[]; nextCursor?: string };
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - started, body };
    };
    const page2 = `/api/v1/tickets?cursor=${(await get('/api/v1/tickets')).body.nextCursor}`;
    lines.push(`| ${kind} | ${n.toLocaleString('en')} | scenario | items | p50 ms | p95 ms | full scan of tickets |`, '|---|---|---|---|---|---|---|');
    for (const s of SCENARIOS) {
      const path = s.path === 'PAGE2' ? page2 : s.path;
      const token = s.agent ? agent.token : ADMIN_TOKEN;
      const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
      const record = (q: { sql: string; bindings?: readonly unknown[] }) => {
        if (/^\s*select/i.test(q.sql)) statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
      };
      gateway.db.on('query', record);
      const first = await get(path, token);
      gateway.db.off('query', record);
      for (let i = 0; i < 2; i++) await get(path, token);
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) times.push((await get(path, token)).ms);
      times.sort((a, b) => a - b);
      const plans = await Promise.all(statements.map((st) => explain(gateway.db, st.sql, st.bindings)));
      const scanning = plans.filter(scansTickets);
      for (const [i, plan] of plans.entries()) console.error(`  ${s.name} #${i + 1}: ${plan}`);
      const p95 = percentile(times, 95);
      lines.push(
        `| | | ${s.name} | ${first.body.items.length} | ${percentile(times, 50).toFixed(1)} | ${p95.toFixed(1)}${p95 > GOAL_MS ? ' ⚠' : ''} | ${scanning.length > 0 ? `yes: ${scanning.join(' / ')}` : 'no'} |`,
      );
    }
  });
  return lines;
}

const output: string[] = [
  `Inbox with N tickets (bench/console/inbox.bench.ts, ${new Date().toISOString().slice(0, 10)}, ${REQUESTS} requests per scenario after warm-up, one at a time; time measured by the client on localhost). Goal: first page ≤ ${GOAL_MS} ms p95.`,
  '',
];
for (const kind of KINDS) {
  for (const n of SIZES) {
    const lines = await run(kind, n);
    output.push(...lines, '');
    console.log(lines.join('\n'));
  }
}
output.push(
  '`search: phone` is not a first page: `q` looks for its words in every message text (LIKE, no index), so it grows with the store; a full-text index (SQLite FTS5, PostgreSQL pg_trgm) is the next step.',
);
if (args.write) writeResultsSpan('console-inbox', output.join('\n').trimEnd());

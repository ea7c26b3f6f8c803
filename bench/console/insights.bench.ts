/**
 * Insights at scale (issue 19): each view of GET /api/v1/insights/* over the default 30 days and
 * with a filter, with N tickets in the store. Goal: each view ≤ 1 s with 1M tickets, on SQLite and
 * PostgreSQL. Baseline in the same run: the same requests after dropping the indexes migration 0011
 * adds (tickets_insights_index, tickets_backlog_index, customers_tier_index).
 *
 *   node --import tsx bench/console/insights.bench.ts [--sizes 1000000] [--db sqlite,postgres] [--requests 10] [--write]
 *
 * The store is seedLargeStore's (large-store.ts): N tickets over 90 days on five channels, so
 * 30 days hold a third of them. Each view is requested `--requests` times after 2 warm-up
 * requests, one at a time, timed by the client on localhost (an upper bound of the server's time).
 */
import { parseArgs } from 'node:util';
import type { TestDatabaseKind } from '../../test/support/databases.js';
import { writeResultsSpan } from '../results-file.js';
import { INSIGHTS_COLUMNS } from '../../storage/migrations/0011-insights.js';
import { percentile, withLargeStoreGateway } from './large-store.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000' },
    db: { type: 'string', default: 'sqlite,postgres' },
    requests: { type: 'string', default: '10' },
    write: { type: 'boolean', default: false },
  },
});
const SIZES = args.sizes!.split(',').map((s) => Number(s.trim()));
const KINDS = args.db!.split(',').map((s) => s.trim()) as TestDatabaseKind[];
const REQUESTS = Number(args.requests);
const ADMIN_TOKEN = 'insights-bench-admin-token-0123456789';
const GOAL_MS = 1000;

const VIEWS: Array<{ name: string; path: string }> = [
  { name: 'volume by channel, per day', path: '/api/v1/insights/volume' },
  { name: 'volume by category, one channel', path: '/api/v1/insights/volume?by=category&channel=wechat' },
  { name: 'volume per hour, 7 days', path: 'HOURLY' },
  { name: 'heat map category × hour', path: '/api/v1/insights/heatmap' },
  { name: 'heat map category × weekday, one queue', path: '/api/v1/insights/heatmap?cols=weekday&queue=logistics' },
  { name: 'SLA compliance by queue', path: '/api/v1/insights/sla' },
  { name: 'SLA compliance by customer tier', path: '/api/v1/insights/sla?by=tier' },
  { name: 'backlog by age', path: '/api/v1/insights/backlog' },
  { name: 'breach list (200)', path: '/api/v1/insights/breaches' },
  { name: 'load per agent', path: '/api/v1/insights/agents' },
  { name: 'volume CSV', path: '/api/v1/insights/volume?format=csv' },
];

async function run(kind: TestDatabaseKind, n: number): Promise<string[]> {
  const lines: string[] = [];
  await withLargeStoreGateway(kind, n, ADMIN_TOKEN, async (gateway, now) => {
    const today = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
    const weekAgo = new Date(now + 8 * 3_600_000 - 6 * 86_400_000).toISOString().slice(0, 10);
    const pathOf = (p: string) => (p === 'HOURLY' ? `/api/v1/insights/volume?bucket=hour&from=${weekAgo}&to=${today}` : p);
    const get = async (path: string) => {
      const started = performance.now();
      const res = await fetch(gateway.url + path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
      return {
        ms: performance.now() - started,
        rows: path.includes('format=csv') ? text.trim().split('\r\n').length - 1 : (JSON.parse(text) as { items: unknown[] }).items.length,
      };
    };
    const measure = async (path: string) => {
      const first = await get(path);
      await get(path);
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) times.push((await get(path)).ms);
      times.sort((a, b) => a - b);
      return { rows: first.rows, p50: percentile(times, 50), p95: percentile(times, 95) };
    };
    const withIndex = new Map<string, Awaited<ReturnType<typeof measure>>>();
    for (const v of VIEWS) withIndex.set(v.name, await measure(pathOf(v.path)));
    // Baseline: the same views without the insights index.
    await gateway.db.schema.alterTable('tickets', (t) => {
      t.dropIndex(INSIGHTS_COLUMNS, 'tickets_insights_index');
      t.dropIndex(['status', 'created_at', 'queue'], 'tickets_backlog_index');
    });
    await gateway.db.schema.alterTable('customers', (t) => t.dropIndex(['id', 'tier'], 'customers_tier_index'));
    lines.push(
      `| ${kind} | ${n.toLocaleString('en')} | view | rows | p50 ms | p95 ms | baseline without the 0011 indexes: p95 ms |`,
      '|---|---|---|---|---|---|---|',
    );
    for (const v of VIEWS) {
      const m = withIndex.get(v.name)!;
      const base = await measure(pathOf(v.path));
      lines.push(`| | | ${v.name} | ${m.rows} | ${m.p50.toFixed(0)} | ${m.p95.toFixed(0)}${m.p95 > GOAL_MS ? ' ⚠' : ''} | ${base.p95.toFixed(0)} |`);
      console.error(`  ${v.name}: p95 ${m.p95.toFixed(0)} ms (baseline ${base.p95.toFixed(0)} ms)`);
    }
  });
  return lines;
}

const output: string[] = [
  `Insights with N tickets over 90 days (\`node --import tsx bench/console/insights.bench.ts --write\`, ${new Date().toISOString().slice(0, 10)}; default range 30 days; ${REQUESTS} requests per view after warm-up, one at a time, timed by the client on localhost). Goal: each view ≤ ${GOAL_MS} ms.`,
  '',
];
for (const kind of KINDS) {
  for (const n of SIZES) {
    const lines = await run(kind, n);
    output.push(...lines, '');
    console.log(lines.join('\n'));
  }
}
if (args.write) writeResultsSpan('console-insights', output.join('\n').trimEnd());

// Drains N journal rows (argv: sqlite|postgres, N, senders) and prints the rate, the CPU per message, the statements
// it sent and the incidents it made; with as many senders as messages every message opens a ticket:
// `node --import tsx bench/intake/profile-drain.ts sqlite 3000 3000`.
import { complaintTexts } from './complaint-texts.js';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { parseInboundMessage } from '../../gateway/intake/inbound-message.schema.js';
import { createTestDatabase } from '../../test/support/databases.js';
// The intake bench's bodies: CFPB narratives and waimai complaints, alternating.
const TEXTS = complaintTexts().map((t) => t.text);
const kind = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const N = Number(process.argv[3] ?? 1000);
// Senders: with as many as messages, every message opens a ticket (surge detection included).
const SENDERS = Number(process.argv[4] ?? 1000);
const database = await createTestDatabase(kind);
const config = loadConfig({ dir: 'config', env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent' } });
const gw = await Gateway.create({ config, workers: false });
const batch = [];
for (let n = 0; n < N; n++) {
  const p = parseInboundMessage({
    channel: 'api',
    externalId: `d-${n}`,
    from: { address: `c-${n % SENDERS}@x.test` },
    subject: 'Complaint',
    text: TEXTS[n % TEXTS.length]!,
  });
  if (!p.ok) throw new Error();
  batch.push({ channel: 'api', externalId: `d-${n}`, receivedAt: Date.now(), payload: p.message });
}
for (let i = 0; i < N; i += 500) await gw.journal.appendMany(batch.slice(i, i + 500));
const counts = new Map<string, { n: number; ms: number }>();
const started = new Map<string, [number, string]>();
gw.db.on('query', (q: any) => started.set(q.__knexQueryUid, [performance.now(), q.sql.slice(0, 90)]));
gw.db.on('query-response', (_r: any, q: any) => {
  const s = started.get(q.__knexQueryUid);
  if (!s) return;
  const c = counts.get(s[1]) ?? { n: 0, ms: 0 };
  c.n++;
  c.ms += performance.now() - s[0];
  counts.set(s[1], c);
});
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const n = await gw.pipeline.drain();
const sec = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(
  kind,
  n,
  'msgs',
  sec.toFixed(2),
  's',
  (n / sec).toFixed(0),
  '/s',
  ((cpu.user + cpu.system) / 1000 / n).toFixed(2),
  'ms of CPU per message (all threads)',
);
const incidents = await gw.db('incidents').count({ n: '*' }).first();
const linked = await gw.db('tickets').whereNotNull('incident_id').count({ n: '*' }).first();
console.log('tickets', (await gw.db('tickets').count({ n: '*' }).first())?.n, 'incidents', incidents?.n, 'tickets in an incident', linked?.n);
const sorted = [...counts.entries()].sort((a, b) => b[1].ms - a[1].ms);
let tot = 0,
  totn = 0;
for (const [, c] of sorted) {
  tot += c.ms;
  totn += c.n;
}
console.log('queries', totn, 'per msg', (totn / n).toFixed(1), 'query ms total', tot.toFixed(0));
for (const [sql, c] of sorted.slice(0, 25)) console.log(String(c.n).padStart(6), c.ms.toFixed(0).padStart(7), 'ms', sql.replace(/\s+/g, ' '));
await gw.stop();
await database.drop();

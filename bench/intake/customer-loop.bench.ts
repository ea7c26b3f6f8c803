/**
 * What the customer's loop (progress messages and the satisfaction question, issue 20) adds to the
 * pipeline's cost per message. Goal: ≤ 10 %.
 *
 *   npm run bench:customer-loop -- [--customers=1000] [--rounds=3] [--block-databases=4] [--blocks=12] [--block-customers=100] [--db=sqlite|postgres] [--write]
 *   (node --import tsx bench/intake/customer-loop.bench.ts …)
 *
 * One load, run with `customerUpdates` and `csat` off and on (quiet hours off in both, so every
 * message is due at once), each round on a fresh database with the workers off and driven by hand:
 *   1. N customers each text one complaint (real Chinese complaint texts, waimai_10k's negative
 *      reviews): the journal rows are appended (intake is not measured), then `pipeline.drain()`
 *      and the outbox (the acknowledgements) are run;
 *   2. an agent takes each ticket (open) and resolves it, through the ticket service: with the loop
 *      on, each change queues "being handled" and then the rating question;
 *   3. each customer answers with a rating ("5 很满意，谢谢", "还行", "2 不满意…", …): with the loop on
 *      it is read as the rating (stored, thanked; a low one reopens the ticket into supervisors),
 *      with it off it is an ordinary follow-up that reopens the ticket; drained, outbox run.
 * CPU (user + system of this process's threads: the event loop and sqlite3's libuv pool; on
 * PostgreSQL also the server processes, so nothing else may use PostgreSQL meanwhile) is taken
 * around each step and reported per customer: a complaint handled (1 + 2, the goal's measure: what
 * the progress messages and the question add to each complaint), the answer (3: cheaper as a rating
 * than as a follow-up, so it is kept apart), and the whole loop. Rounds alternate the order of off
 * and on; the medians are compared. The outbox sends to an in-memory SMS adapter. Then steps 1–2
 * again in one gateway, the loop switched on and off between blocks of customers
 * (customer-loop-interleaved.ts): the goal is judged there, where the machine's drift between
 * rounds does not drown the loop's cost.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { parseInboundMessage } from '../../gateway/intake/inbound-message.schema.js';
import { parseCsvObjects } from '../../nlp/csv.js';
import { createTestDatabase, type TestDatabaseKind } from '../../test/support/databases.js';
import { writeResultsSpan } from '../results-file.js';
import { sharedData } from '../shared-data.js';
import { cpuSince, cpuSnapshot, type CpuSnapshot } from './cpu-accounting.js';
import { interleavedPairs, type Block } from './customer-loop-interleaved.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const CUSTOMERS = Number(arg('customers') ?? 1000);
const ROUNDS = Number(arg('rounds') ?? 3);
const DB = (arg('db') ?? 'sqlite') as TestDatabaseKind;
const BLOCK_DATABASES = Number(arg('block-databases') ?? 4);
const BLOCKS = Number(arg('blocks') ?? 12);
const BLOCK_CUSTOMERS = Number(arg('block-customers') ?? 100);
const write = process.argv.includes('--write');
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const WARM_UP_CUSTOMERS = 100;

const TEXTS = parseCsvObjects(readFileSync(sharedData('waimai_10k/sample.csv'), 'utf8'))
  .filter((r) => r.label === '0' && (r.review ?? '').trim().length >= 8)
  .map((r) => r.review!.trim());
/** Answers to the rating question, good and bad, as customers write them. */
const ANSWERS = ['5 很满意，谢谢', '4', '还行', '2 不满意，等了太久', '非常满意', '1 太差了', '5分', '满意'];

type Mode = 'off' | 'on';
interface Phase {
  cpu: CpuSnapshot;
  /** SQL statements the step ran (knex's `query` events: BEGIN and COMMIT included). */
  statements: number;
}
interface RoundResult {
  mode: Mode;
  phases: Record<'complaints' | 'changes' | 'ratings', Phase>;
  total: CpuSnapshot;
  sentToCustomers: number;
  surveys: number;
  ratings: number;
  seconds: number;
}

const add = (a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot => ({
  main: a.main + b.main,
  otherThreads: a.otherThreads + b.otherThreads,
  postgres: a.postgres + b.postgres,
});
const msOf = (c: CpuSnapshot) => (c.main + c.otherThreads + (DB === 'postgres' ? c.postgres : 0)) * 1000;

async function round(mode: Mode, index: number): Promise<RoundResult> {
  const database = await createTestDatabase(DB);
  const config = loadConfig({ dir: path.join(ROOT, 'config'), env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN } });
  config.env.PUBLIC_BASE_URL = 'https://support.example.test';
  config.gateway.customerUpdates.quietHours = null;
  if (mode === 'off') {
    config.gateway.customerUpdates.enabled = false;
    config.gateway.csat.enabled = false;
  }
  const sms = new FakeAdapter('sms');
  const gw = await Gateway.create({ config, workers: false, adapters: [sms], watchConfig: false });
  let statements = 0;
  gw.db.on('query', () => statements++);
  const phone = (n: number) => `+8613${String(700_000_000 + index * 1_000_000 + n).slice(-9)}`;
  const append = async (from: number, to: number, text: (n: number) => string, tag: string) => {
    const now = new Date();
    for (let start = from; start < to; start += 500) {
      const batch = [];
      for (let n = start; n < Math.min(start + 500, to); n++) {
        const parsed = parseInboundMessage({ channel: 'sms', externalId: `${tag}-${n}`, from: { address: phone(n) }, text: text(n) }, now);
        if (!parsed.ok) throw new Error(parsed.problems.join('; '));
        batch.push({ channel: 'sms', externalId: parsed.message.externalId, receivedAt: now.getTime(), payload: parsed.message });
      }
      await gw.journal.appendMany(batch);
    }
  };
  const sendAll = async () => {
    while ((await gw.sender.processBatch()) > 0);
  };
  /** Steps 1–3 for customers [from, to); returns the CPU of each step. */
  const load = async (from: number, to: number, tag: string) => {
    // Only this load's tickets are opened and resolved: with the loop off, the warm-up's answers leave new tickets behind.
    const before = Number((await gw.db('tickets').max({ id: 'id' }).first())?.id ?? 0);
    await append(from, to, (n) => TEXTS[n % TEXTS.length]!, `${tag}-c`);
    let [t, s] = [cpuSnapshot(), statements];
    await gw.pipeline.drain();
    await sendAll();
    const complaints = { cpu: cpuSince(t), statements: statements - s };
    const tickets = await gw.db('tickets').where('id', '>', before).whereIn('status', ['new', 'open']).select('id');
    [t, s] = [cpuSnapshot(), statements];
    for (const { id } of tickets) {
      await gw.service.patch(String(id), { status: 'open' }, 'li.lei');
      await gw.service.patch(String(id), { status: 'resolved' }, 'li.lei');
    }
    // What the background loop does with the workers on: the changes recorded above, told in batches.
    while ((await gw.customerUpdates.processBatch()) > 0);
    await sendAll();
    const changes = { cpu: cpuSince(t), statements: statements - s };
    await append(from, to, (n) => ANSWERS[n % ANSWERS.length]!, `${tag}-r`);
    [t, s] = [cpuSnapshot(), statements];
    await gw.pipeline.drain();
    await sendAll();
    const ratings = { cpu: cpuSince(t), statements: statements - s };
    return { complaints, changes, ratings };
  };
  try {
    // JIT, NLP indexes and the database's caches warm on other customers first.
    await load(CUSTOMERS, CUSTOMERS + WARM_UP_CUSTOMERS, 'warm');
    const sentBefore = sms.sent.length;
    const ratingsBefore = Number((await gw.db('tickets').whereNotNull('csat').count({ n: '*' }).first())?.n ?? 0);
    const started = performance.now();
    const cpu = await load(0, CUSTOMERS, 'run');
    const seconds = (performance.now() - started) / 1000;
    const sent = sms.sent.slice(sentBefore);
    return {
      mode,
      phases: cpu,
      total: add(add(cpu.complaints.cpu, cpu.changes.cpu), cpu.ratings.cpu),
      sentToCustomers: sent.length,
      surveys: sent.filter((s) => s.meta.kind === 'csat_survey').length,
      ratings: Number((await gw.db('tickets').whereNotNull('csat').count({ n: '*' }).first())?.n ?? 0) - ratingsBefore,
      seconds,
    };
  } finally {
    await gw.stop();
    await database.drop();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const startedAt = new Date();
const results: RoundResult[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const mode of (r % 2 === 0 ? ['off', 'on'] : ['on', 'off']) as Mode[]) {
    process.stderr.write(`▶ round ${r + 1}/${ROUNDS}, customer updates and surveys ${mode} …\n`);
    const res = await round(mode, results.length);
    results.push(res);
    process.stderr.write(
      `  ${fmt((msOf(res.phases.complaints.cpu) + msOf(res.phases.changes.cpu)) / CUSTOMERS, 2)} ms CPU per complaint handled, ${fmt(msOf(res.total) / CUSTOMERS, 2)} per customer in all (${fmt(res.seconds, 1)} s, ${res.sentToCustomers} sent)\n`,
    );
  }
}

process.stderr.write(`▶ interleaved: ${BLOCK_DATABASES} databases, ${BLOCKS} blocks of ${BLOCK_CUSTOMERS} customers each, on and off in turn …\n`);
const pairs = await interleavedPairs({
  db: DB,
  databases: BLOCK_DATABASES,
  blocksPerDatabase: BLOCKS,
  customersPerBlock: BLOCK_CUSTOMERS,
  texts: TEXTS,
  msOf,
});

const by = (mode: Mode) => results.filter((r) => r.mode === mode);
type Phases = Array<keyof RoundResult['phases']>;
/** CPU ms per customer over `phases`, each round; median and range. */
const perCustomer = (mode: Mode, phases: Phases) => {
  const values = by(mode).map((r) => phases.reduce((sum, p) => sum + msOf(r.phases[p].cpu), 0) / CUSTOMERS);
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
};
const MEASURES: Array<{ label: string; phases: Phases; note: string }> = [
  {
    label: '**a complaint handled**: drained and acknowledged, opened and resolved by an agent, every message sent',
    phases: ['complaints', 'changes'],
    note: 'what the loop adds to each complaint: "being handled" and the rating question, queued and sent (the goal\'s measure; judged on the interleaved blocks below)',
  },
  { label: 'the pipeline alone: a complaint drained and acknowledged', phases: ['complaints'], note: 'the customer-reply stage reads every message' },
  { label: "an agent's open + resolve, with what they send", phases: ['changes'], note: 'the two progress messages, queued in the change and sent' },
  {
    label: 'an answer ("5 很满意，谢谢", "还行", "2 不满意…")',
    phases: ['ratings'],
    note: 'on: read as the rating, stored, thanked (a low one reopens); off: the same words as a follow-up that reopens the ticket',
  },
  { label: 'the whole loop over the same load', phases: ['complaints', 'changes', 'ratings'], note: 'complaint, two changes and the answer' },
];
const rows = MEASURES.map((m) => ({ ...m, off: perCustomer('off', m.phases), on: perCustomer('on', m.phases) }));
/** SQL statements per customer over `phases` (median of the rounds: the count hardly varies). */
const statementsPerCustomer = (mode: Mode, phases: Phases) =>
  median(by(mode).map((r) => phases.reduce((sum, p) => sum + r.phases[p].statements, 0) / CUSTOMERS));
const statementLine = MEASURES.slice(0, 4)
  .map((m) => {
    const [off, on] = [statementsPerCustomer('off', m.phases), statementsPerCustomer('on', m.phases)];
    return `${m.label.replace(/\*\*/g, '').split(':')[0]} ${fmt(off, 1)} → ${fmt(on, 1)}`;
  })
  .join('; ');
const roundsRatio = rows[0]!.on.median / rows[0]!.off.median;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1));
const handled = (b: Block) => b.pipeline + b.changes;
/** What the loop adds per customer, each on block against its off neighbour: the mean and a 95 % interval (t ≈ 2.1). */
const paired = (of: (b: Block) => number) => {
  const differences = pairs.map((p) => of(p.on) - of(p.off));
  const halfWidth = (2.1 * sd(differences)) / Math.sqrt(differences.length);
  return { mean: mean(differences), low: mean(differences) - halfWidth, high: mean(differences) + halfWidth };
};
const [addedAll, addedChanges, addedPipeline] = [paired(handled), paired((b) => b.changes), paired((b) => b.pipeline)];
const offHandled = mean(pairs.map((p) => handled(p.off)));
const goal = 1 + addedAll.mean / offHandled;
const goalHigh = 1 + addedAll.high / offHandled;
const counts = (mode: Mode) => ({
  sent: median(by(mode).map((r) => r.sentToCustomers)),
  surveys: median(by(mode).map((r) => r.surveys)),
  ratings: median(by(mode).map((r) => r.ratings)),
  main: median(by(mode).map((r) => (r.total.main * 1000) / CUSTOMERS)),
  other: median(by(mode).map((r) => (r.total.otherThreads * 1000) / CUSTOMERS)),
  server: median(by(mode).map((r) => (r.total.postgres * 1000) / CUSTOMERS)),
});
const [cOff, cOn] = [counts('off'), counts('on')];
const range = (x: { median: number; min: number; max: number }) => `${fmt(x.median, 2)} (${fmt(x.min, 2)}–${fmt(x.max, 2)})`;

const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};
const cpu = os.cpus();
const dirty = git('status', '--porcelain', '--', 'gateway', 'storage', 'config', 'adapters', 'nlp').length > 0;
const command = `npm run bench:customer-loop -- --customers=${CUSTOMERS} --rounds=${ROUNDS} --block-databases=${BLOCK_DATABASES} --blocks=${BLOCKS} --block-customers=${BLOCK_CUSTOMERS}${DB === 'postgres' ? ' --db=postgres' : ''}`;
const lines = [
  `Code: commit ${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty ? ' plus uncommitted changes in gateway/storage/config/adapters/nlp at run time' : ''}.`,
  `Run ${startedAt.toISOString()} on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, ${DB === 'sqlite' ? 'SQLite (WAL, synchronous=FULL)' : 'PostgreSQL'}.`,
  '',
  `Command: \`${command}\` (= \`node --import tsx bench/intake/customer-loop.bench.ts …\`)`,
  '',
  `Per round: ${fmt(CUSTOMERS)} SMS customers each send a complaint and, after an agent opened and resolved their ticket, a rating answer: ${fmt(2 * CUSTOMERS)} inbound messages, ${fmt(2 * CUSTOMERS)} agent status changes; ${ROUNDS} rounds per mode, alternating, each on a fresh database after ${WARM_UP_CUSTOMERS} warm-up customers.`,
  '',
  'CPU ms per customer (user + system; median of the rounds, min–max):',
  '',
  '| per customer | off | on | on / off | what differs |',
  '|---|---:|---:|---:|---|',
  ...rows.map((r) => `| ${r.label} | ${range(r.off)} | ${range(r.on)} | ${fmt(r.on.median / r.off.median, 3)} | ${r.note} |`),
  '',
  `SQL statements per customer, off → on (knex's query events, BEGIN and COMMIT included; they barely vary between rounds): ${statementLine}.`,
  '',
  `Whole loop, by thread, ms per customer: off ${fmt(cOff.main, 2)} event loop + ${fmt(cOff.other, 2)} other threads${DB === 'postgres' ? ` + ${fmt(cOff.server, 2)} PostgreSQL` : ''}; on ${fmt(cOn.main, 2)} + ${fmt(cOn.other, 2)}${DB === 'postgres' ? ` + ${fmt(cOn.server, 2)}` : ''}. Per round: off sent ${fmt(cOff.sent)} messages to customers; on sent ${fmt(cOn.sent)}, ${fmt(cOn.surveys)} of them the rating question, and stored ${fmt(cOn.ratings)} ratings (tickets the FAQ bot answered get no progress messages).`,
  '',
  `**Judged: neighbouring blocks.** ${BLOCK_DATABASES} fresh databases, each with ${BLOCKS} blocks of ${fmt(BLOCK_CUSTOMERS)} customers after two warm-up blocks, the loop switched on and off between blocks (on, off, off, on, …); ${pairs.length} pairs of neighbours. CPU ms per customer for a complaint handled, mean of the blocks: off ${fmt(offHandled, 2)}, on ${fmt(mean(pairs.map((p) => handled(p.on))), 2)}. What the loop adds, on block minus its off neighbour (mean, 95 % interval): ${fmt(addedAll.mean, 2)} (${fmt(addedAll.low, 2)} to ${fmt(addedAll.high, 2)}) in all; ${fmt(addedChanges.mean, 2)} (${fmt(addedChanges.low, 2)} to ${fmt(addedChanges.high, 2)}) in the agents' changes with what they tell; ${fmt(addedPipeline.mean, 2)} (${fmt(addedPipeline.low, 2)} to ${fmt(addedPipeline.high, 2)}) in the pipeline.`,
  '',
  `**A complaint handled costs ${fmt((goal - 1) * 100, 1)} % more CPU with customer updates and surveys on (neighbouring blocks: ${fmt(goal, 3)}, 95 % interval up to ${fmt(goalHigh, 3)}; the separate rounds' medians above: ${fmt(roundsRatio, 3)}). Goal ≤ 1.10: ${goal <= 1.1 ? (goalHigh <= 1.1 ? 'met' : 'met by the estimate, not by the whole interval') : 'missed'}.**`,
];
const markdown = lines.join('\n');
process.stdout.write(`${markdown}\n`);
if (write) {
  writeResultsSpan('customer-loop:generated', markdown);
  process.stderr.write('bench/RESULTS.md updated (span bench:customer-loop:generated)\n');
}

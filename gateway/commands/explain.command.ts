import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/loader.js';
import { businessHoursFn } from '../sla/sla-clock.js';
import { UnderstandingEngine } from '../../nlp/understanding.js';
import { openDatabase, migrate } from '../../storage/db.js';
import { TicketStore } from '../../storage/ticket.store.js';
import { decide } from '../replay.js';

/** How `explain` reads each kind of tone evidence. */
const TONE_READING = {
  negative: 'a bad experience',
  positive: 'praise or thanks',
  opinion: 'an opinion, not a problem to fix',
  settled: 'a problem put right',
  falseAlarm: 'a scare that was nothing',
} as const;

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

/** `gateway explain <ticket-number>`: how the ticket was classified and routed — which rules fired, in order, and why. */
export async function explainCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const number = positionals[0]?.toUpperCase();
  if (!number) {
    io.stderr.write('explain needs a ticket number, e.g. gateway explain C-20261124-0042\n');
    return 2;
  }
  const config = loadConfig({ dir: values.config });
  const db = openDatabase(config.env.DATABASE_URL);
  try {
    await migrate(db);
    const tickets = new TicketStore();
    const t = await tickets.getByNumber(db, number);
    if (!t) {
      io.stderr.write(`ticket ${number} does not exist in ${config.env.DATABASE_URL}\n`);
      return 1;
    }
    const u = (t.understanding ?? {}) as {
      category?: string;
      subcategory?: string;
      severity?: number;
      emotion?: number;
      confidence?: number;
      source?: string;
      evidence?: Array<Record<string, unknown>>;
      route?: { fired?: Array<{ ruleId: string; description: string; reasons: string[] }>; slaPolicy?: string; slaSource?: string };
    };
    const first = (await tickets.messages(db, t.id)).find((m) => m.direction === 'in');
    const customer = await db('customers').where({ id: t.customerId }).first();
    const now = first
      ? decide(config, new UnderstandingEngine(config.categories), businessHoursFn(config.sla), {
          text: first.text,
          subject: first.subject ?? undefined,
          channel: first.channel,
          tier: customer?.tier ?? 'standard',
          tags: t.tags,
          incident: t.incidentId != null,
          receivedAt: first.createdAt,
          repeatCount: () => 1,
        })
      : undefined;
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ ticket: t.number, understanding: u, currentRules: now && { queue: now.queue, priority: now.priority, slaPolicy: now.slaPolicy, fired: now.decision.fired } })}\n`,
      );
      return 0;
    }
    const out: string[] = [];
    out.push(`${t.number}  ${t.status}  queue ${t.queue}  priority ${t.priority}${t.assignee ? `  assignee ${t.assignee}` : ''}`);
    out.push(
      `classified ${u.category ?? '—'}${u.subcategory ? ` / ${u.subcategory}` : ''}, severity ${u.severity ?? '—'}, emotion ${u.emotion ?? '—'}, confidence ${u.confidence ?? '—'} (${u.source ?? 'rules'})`,
    );
    for (const e of u.evidence ?? []) {
      if (e.kind === 'keyword') out.push(`  ${e.category}${e.subcategory ? `/${e.subcategory}` : ''} ← "${e.match}" (term "${e.term}", weight ${e.weight})`);
      else if (e.kind === 'severity') out.push(`  severity ${e.level} ← "${e.match}"`);
      else if (e.kind === 'emotion') out.push(`  emotion +${e.points} ← ${e.cue} "${e.match}"`);
      else if (e.kind === 'model') out.push(`  model: ${e.label} (p=${e.probability})`);
      else if (e.kind === 'example')
        out.push(`  ${e.category}/${e.subcategory} ← like the example "${e.example}" (similarity ${e.similarity}, weight ${e.weight})`);
      else if (e.kind === 'tone') out.push(`  ${TONE_READING[e.tone as keyof typeof TONE_READING] ?? e.tone} ← "${e.match}" (tone term "${e.term}")`);
    }
    out.push('', 'routing rules that fired, in order:');
    const fired = u.route?.fired ?? [];
    if (fired.length === 0) out.push('  none (routing defaults applied)');
    fired.forEach((f, i) => {
      out.push(`  ${i + 1}. ${f.ruleId}: ${f.description}`);
      for (const r of f.reasons) out.push(`       because ${r}`);
    });
    out.push(
      '',
      `SLA policy ${u.route?.slaPolicy ?? '—'} (${u.route?.slaSource === 'rule' ? 'named by a rule' : 'severity × tier matrix'}); first response due ${iso(t.firstResponseDueAt)}, resolution due ${iso(t.resolutionDueAt)}`,
    );
    if (now) {
      const same = now.queue === t.queue && now.decision.fired.map((f) => f.ruleId).join() === fired.map((f) => f.ruleId).join();
      out.push(
        '',
        same
          ? 'the current rules decide the same.'
          : `with the current rules: queue ${now.queue}, priority ${now.priority}, rules ${now.decision.fired.map((f) => f.ruleId).join(', ') || 'none'}`,
      );
    }
    io.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}

function iso(ms: number | null): string {
  return ms == null ? '—' : new Date(ms).toISOString();
}

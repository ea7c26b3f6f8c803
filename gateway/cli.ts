import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { CHANNEL_IDS, type ChannelId } from '../contracts/channel-ids.js';
import { ConfigError, formatProblem, loadConfig, type GatewayConfig } from '../config/loader.js';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, PERSON_ROLES, ROLES, type Role } from '../storage/token.store.js';
import type { Ticket } from '../storage/ticket.store.js';
import { parseProcessCount, runProcessCluster, workerSlot } from './commands/process-cluster.js';
import { processName } from './process-identity.js';
import { createLogger } from './logger.js';

// A command loads its own module, and the gateway (./compose.js, every store, adapter and the NLP) only
// when it starts one: importing all of them costs ~2 s of CPU before anything runs, which a short
// command such as `gateway replay --limit 1` or `gateway user list` would otherwise pay each time.
const gatewayModule = () => import('./compose.js');

const USAGE = `Usage: gateway <command> [options]

Commands:
  start [--config DIR] [--processes N|auto] run the gateway (HTTP on PORT, workers, channel adapters);
                                            --processes: N processes sharing the port (PostgreSQL only)
  check-config [--config DIR]               validate config/*.yaml and the environment; exit 1 on errors
  simulate <channel> --from X --text Y      put one message through the intake and pipeline, print the ticket
           [--subject S] [--thread K] [--config DIR] [--dry-run]
                                            --dry-run: on a throw-away database; prints the classification, the
                                            route and what the customer would be sent, and writes nothing
  classify [--config DIR] [--model FILE]   JSONL {"text","subject"?,"channel"?} on stdin → one JSON result per line
  train --input FILE --text COL --label COL --out model.json    train the statistical classifier
  train --from-history [--csv FILE --text COL --label COL] [--out model.json]
                                            train it on the agents' category corrections (+ the file's rows)
  replay --config DIR [--since 30d] [--limit N] [--json]   what a candidate config would change
  faq-eval --data FILE [--config DIR]       FAQ top-1 accuracy and coverage at the configured threshold
  explain <ticket-number> [--json]          which rules fired for a ticket, in order, and why
  token create --name N --role ROLE [--expires-days D]
                                            create an API token (roles: ${ROLES.join(', ')}), working D days (${DEFAULT_TOKEN_DAYS})
  user create NAME --role ROLE [--display-name "Li Lei"] [--password-stdin]
                                            a console user (roles: ${PERSON_ROLES.join(', ')}); prints a generated password once
  user reset NAME [--password-stdin]        new password, clears a lockout, ends the user's sessions
  user disable NAME | enable NAME | list    disable ends the user's sessions
  customer export ID [--out FILE]           the customer's messages, tickets, events, identities and attachments as one .tar.gz
  customer erase ID --reason "…"           remove the customer's personal data for good (tickets stay, anonymous, for reports)
  retention [--dry-run] [--json]            anonymise finished tickets past their retention period (gateway.yaml retention)

Environment: see .env.example (DATABASE_URL, PORT, GATEWAY_ADMIN_TOKEN, LOG_LEVEL, …).`;

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

/** Runs one CLI command; returns the process exit code. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  const say = (s: string) => io.stdout.write(`${s}\n`);
  const fail = (s: string) => (io.stderr.write(`${s}\n`), 2);
  switch (command) {
    case 'start':
      return start(rest, io);
    case 'check-config': {
      const { values } = parseArgs({ args: rest, options: { config: { type: 'string' } } });
      try {
        const cfg = loadConfig({ dir: values.config });
        say(`OK ${cfg.dir} (version ${cfg.version})`);
        return 0;
      } catch (err) {
        if (err instanceof ConfigError) {
          for (const p of err.problems) io.stderr.write(`${formatProblem(p)}\n`);
          return 1;
        }
        throw err;
      }
    }
    case 'simulate':
      return simulate(rest, io);
    case 'replay':
      return (await import('./commands/replay.command.js')).replayCommand(rest, io);
    case 'explain':
      return (await import('./commands/explain.command.js')).explainCommand(rest, io);
    case 'faq-eval':
      return (await import('./commands/faq-eval.command.js')).faqEvalCommand(rest, { stdout: io.stdout as never, stderr: io.stderr as never });
    case 'classify':
    case 'train':
      return (await import('./commands/nlp.command.js')).runNlpCommand(command, rest, {
        stdin: process.stdin,
        stdout: io.stdout as never,
        stderr: io.stderr as never,
      });
    case 'token': {
      const [sub, ...args] = rest;
      if (sub !== 'create') return fail(USAGE);
      const { values } = parseArgs({
        args,
        options: { name: { type: 'string' }, role: { type: 'string' }, 'expires-days': { type: 'string' }, config: { type: 'string' } },
      });
      if (!values.name || !values.role || !ROLES.includes(values.role as Role)) return fail(`token create needs --name and --role (${ROLES.join(', ')})`);
      const days = values['expires-days'] === undefined ? DEFAULT_TOKEN_DAYS : Number(values['expires-days']);
      if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) return fail(`--expires-days is a whole number of days from 1 to ${MAX_TOKEN_DAYS}`);
      const [{ Gateway }, { AuditStore }, { cliActor }] = await Promise.all([
        gatewayModule(),
        import('../storage/audit.store.js'),
        import('./commands/customer.command.js'),
      ]);
      const gateway = await Gateway.create({ config: configOrExit(values.config, io), workers: false });
      try {
        const now = Date.now();
        const created = await gateway.tokens.create(values.name, values.role as Role, now, days);
        await new AuditStore().record(
          gateway.db,
          {
            actor: cliActor(),
            action: 'token.created',
            detail: { tokenId: created.id, name: values.name, role: values.role, expiresAt: new Date(created.expiresAt).toISOString() },
          },
          now,
        );
        say(created.token);
        io.stderr.write(`works until ${new Date(created.expiresAt).toISOString()} (--expires-days to change)\n`);
        return 0;
      } finally {
        await gateway.stop();
      }
    }
    case 'user':
      return (await import('./commands/user.command.js')).userCommand(rest, { ...io, stdin: process.stdin });
    case 'customer':
      return (await import('./commands/customer.command.js')).customerCommand(rest, io);
    case 'retention':
      return (await import('./commands/retention.command.js')).retentionCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      say(USAGE);
      return command === undefined ? 2 : 0;
    default:
      return fail(`unknown command "${command}"\n\n${USAGE}`);
  }
}

function configOrExit(dir: string | undefined, io: Io): GatewayConfig {
  try {
    return loadConfig({ dir });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`gateway: configuration is invalid, not starting\n${err.problems.map(formatProblem).join('\n')}\n`);
      process.exit(1);
    }
    throw err;
  }
}

async function start(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, processes: { type: 'string' } } });
  const config = configOrExit(values.config, io);
  const processes = parseProcessCount(values.processes);
  if ('error' in processes) return (io.stderr.write(`gateway: ${processes.error}\n`), 2);
  if (processes.count > 1 && !cluster.isWorker) {
    if (!/^postgres(ql)?:/.test(config.env.DATABASE_URL)) {
      io.stderr.write(
        'gateway: --processes needs PostgreSQL (DATABASE_URL=postgres://…): SQLite has one writer, so on SQLite the gateway runs as one process\n',
      );
      return 2;
    }
    return runProcessCluster({ count: processes.count, databaseUrl: config.env.DATABASE_URL, log: createLogger(config.env.LOG_LEVEL) });
  }
  const { Gateway } = await gatewayModule();
  const gateway = await Gateway.create({ config, processName: processName(config.env, workerSlot()) });
  await gateway.start();
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      gateway.log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    // SIGHUP re-reads config/*.yaml and the model file (as does any edit the file watches see).
    process.on('SIGHUP', () => {
      gateway.reloadConfig();
      gateway.reloadModel();
    });
  });
  await gateway.stop();
  return 0;
}

async function simulate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      text: { type: 'string' },
      subject: { type: 'string' },
      thread: { type: 'string' },
      config: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const channel = positionals[0] as ChannelId | undefined;
  if (!channel || !CHANNEL_IDS.includes(channel) || !values.from || !values.text) {
    io.stderr.write(`simulate needs a channel (${CHANNEL_IDS.join(', ')}), --from and --text\n`);
    return 2;
  }
  const [{ Gateway }, { FakeAdapter }] = await Promise.all([gatewayModule(), import('../adapters/fake/fake.adapter.js')]);
  const fake = new FakeAdapter(channel);
  const loaded = configOrExit(values.config, io);
  const dryRun = values['dry-run'] === true;
  // A dry run goes through the same pipeline on an in-memory database that vanishes with the process.
  const config = dryRun ? { ...loaded, env: { ...loaded.env, DATABASE_URL: 'sqlite::memory:' } } : loaded;
  const gateway = await Gateway.create({ config, adapters: [fake], workers: false });
  try {
    await fake.start(gateway.sink);
    const { id } = await fake.receive({ from: { address: values.from }, text: values.text, subject: values.subject, threadKey: values.thread });
    await gateway.pipeline.drain();
    const entry = await gateway.journal.get(Number(id));
    if (entry?.status !== 'done' || entry.ticketId == null) {
      io.stderr.write(`message ${id} was journaled but not processed yet (status ${entry?.status}); a running gateway will process it\n`);
      return 1;
    }
    const ticket = await gateway.tickets.get(gateway.db, entry.ticketId);
    if (dryRun && ticket) {
      // What the customer would be sent at once (acknowledgement, FAQ answer): the outbox, delivered to the fake channel.
      while ((await gateway.sender.processBatch()) > 0);
      io.stdout.write(
        `${describeDryRun(
          ticket,
          fake.sent.map((m) => m.text),
        )}\n`,
      );
      return 0;
    }
    io.stdout.write(
      `${JSON.stringify({ journalId: String(id), ticket: ticket && { id: ticket.id, number: ticket.number, status: ticket.status, queue: ticket.queue, category: ticket.category, severity: ticket.severity, messageCount: ticket.messageCount } })}\n`,
    );
    return 0;
  } finally {
    await gateway.stop();
  }
}

/** The dry run's report: how the message was read and routed, and what would go back to the customer. */
function describeDryRun(ticket: Ticket, replies: string[]): string {
  const u = (ticket.understanding ?? {}) as {
    confidence?: number;
    source?: string;
    evidence?: Array<{ kind: string; term?: string; example?: string; level?: number; subcategory?: string }>;
    route?: { fired?: Array<{ ruleId: string; description?: string }>; slaPolicy?: string };
  };
  const evidence = (u.evidence ?? [])
    .map((e) =>
      e.kind === 'keyword' ? e.term : e.kind === 'example' ? `example "${e.example}"` : e.kind === 'severity' ? `severity ${e.level}: ${e.term}` : undefined,
    )
    .filter(Boolean);
  const due = (at: number | null) => (at == null ? '—' : new Date(at).toISOString());
  const fired = u.route?.fired ?? [];
  return [
    'dry run: the message went through the pipeline on an in-memory database; nothing was written',
    `category    ${ticket.category ?? '—'}${ticket.subcategory ? ` / ${ticket.subcategory}` : ''} (severity ${ticket.severity ?? '—'}, emotion ${ticket.emotion ?? '—'}, confidence ${u.confidence ?? '—'}, ${u.source ?? 'rules'})`,
    `evidence    ${evidence.length > 0 ? evidence.join(', ') : 'none'}`,
    `route       queue ${ticket.queue}, priority ${ticket.priority}, assignee ${ticket.assignee ?? '—'}${ticket.tags.length > 0 ? `, tags ${ticket.tags.join(' ')}` : ''}`,
    `rules fired ${fired.length > 0 ? fired.map((r) => `${r.ruleId}${r.description ? ` (${r.description})` : ''}`).join('; ') : 'none (defaults)'}`,
    `SLA         ${u.route?.slaPolicy ?? 'default'}: first response due ${due(ticket.firstResponseDueAt)}, resolution due ${due(ticket.resolutionDueAt)}`,
    `status      ${ticket.status}`,
    ...(replies.length > 0 ? replies.map((r) => `would send  ${JSON.stringify(r)}`) : ['would send  nothing at once (an agent answers)']),
  ].join('\n');
}

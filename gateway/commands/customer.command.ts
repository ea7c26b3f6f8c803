import { createWriteStream } from 'node:fs';
import { userInfo } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { ConfigError, formatProblem, loadConfig, type GatewayConfig } from '../../config/loader.js';
import { Gateway } from '../compose.js';
import { GatewayError } from '../errors.js';
import { configuredSecrets, createLogger } from '../logger.js';

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

export const CUSTOMER_USAGE = `gateway customer export ID [--out FILE]     every message, ticket, event, identity and attachment of the customer
                                            as one .tar.gz (export.json + attachments/); --out - writes it to stdout
gateway customer erase ID --reason "…"      remove the customer's personal data for good (their tickets stay, anonymous)
(both take --config DIR; ID is the customer id, as in GET /api/v1/customers/:id)`;

/** Who ran a command, as the audit records it. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Loads the configuration, or says what is wrong with it (exit 1). */
export function configFor(dir: string | undefined, io: Io): GatewayConfig | undefined {
  try {
    return loadConfig({ dir });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`gateway: configuration is invalid\n${err.problems.map(formatProblem).join('\n')}\n`);
    return undefined;
  }
}

/** A gateway for a one-off command: no workers, no config watch, logs on stderr (stdout may carry the archive). */
export async function commandGateway(config: GatewayConfig): Promise<Gateway> {
  return Gateway.create({
    config,
    workers: false,
    watchConfig: false,
    logger: createLogger(config.env.LOG_LEVEL === 'info' ? 'warn' : config.env.LOG_LEVEL, process.stderr, { secrets: configuredSecrets(config.rawEnv) }),
  });
}

/** `gateway customer export|erase ID`: exit 0; 1 when the customer does not exist or the request is refused; 2 on usage. */
export async function customerCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const usage = (problem: string) => (io.stderr.write(`${problem}\n\n${CUSTOMER_USAGE}\n`), 2);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: 'string' }, reason: { type: 'string' }, config: { type: 'string' } } });
  } catch (err) {
    return usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (sub !== 'export' && sub !== 'erase') return usage(sub ? `unknown customer command "${sub}"` : 'customer needs a command: export or erase');
  const raw = positionals[0];
  if (!raw || !/^\d{1,15}$/.test(raw) || Number(raw) < 1) return usage(`customer ${sub} needs a customer id (a positive number)${raw ? `, not "${raw}"` : ''}`);
  const reason = values.reason?.trim();
  if (sub === 'erase' && (!reason || reason.length < 3 || reason.length > 500))
    return usage('customer erase needs --reason "…" (3–500 characters: the request it answers, not the customer\'s data)');

  const config = configFor(values.config, io);
  if (!config) return 1;
  const gateway = await commandGateway(config);
  try {
    if (sub === 'export') {
      const exported = await gateway.personalData.export(Number(raw), cliActor());
      const out = values.out ?? exported.fileName;
      await pipeline(exported.archive, out === '-' ? io.stdout : createWriteStream(out, { flags: 'wx' }));
      const s = exported.summary;
      io.stderr.write(
        `customer ${exported.customerId}: ${s.tickets} ticket(s), ${s.messages} message(s), ${s.events} event(s), ${s.identities} identit${s.identities === 1 ? 'y' : 'ies'}, ${s.attachments} attachment file(s)` +
          `${s.attachmentsMissing ? ` (${s.attachmentsMissing} no longer on disk)` : ''}${out === '-' ? '' : ` written to ${out}`}\n`,
      );
      return 0;
    }
    const r = await gateway.personalData.erase(Number(raw), cliActor(), reason!);
    io.stdout.write(
      `customer ${r.customerId}${r.customerIds.length > 1 ? ` (with merged customers ${r.customerIds.filter((c) => c !== r.customerId).join(', ')})` : ''} erased: ` +
        `${r.counts.tickets} ticket(s) anonymised, ${r.counts.messages} message(s), ${r.identities} identit${r.identities === 1 ? 'y' : 'ies'}, ` +
        `${r.filesDeleted} attachment file(s) deleted; recorded as privacy request ${r.requestId}\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof GatewayError && err.statusCode < 500) {
      io.stderr.write(`gateway: ${err.message}\n`);
      return 1;
    }
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      io.stderr.write(`gateway: ${values.out} already exists; choose another --out (an export never overwrites a file)\n`);
      return 1;
    }
    throw err;
  } finally {
    await gateway.stop();
  }
}

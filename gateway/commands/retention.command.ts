import { parseArgs } from 'node:util';
import { commandGateway, configFor } from './customer.command.js';

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

export const RETENTION_USAGE = `gateway retention [--dry-run] [--json] [--config DIR]
    anonymise the finished tickets whose retention period (gateway.yaml retention) has run out, as the daily
    job does; --dry-run lists them and changes nothing`;

/** `gateway retention [--dry-run]`: exit 0, 2 on usage, 1 on an invalid configuration. */
export async function retentionCommand(args: string[], io: Io): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, config: { type: 'string' } },
    }));
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${RETENTION_USAGE}\n`);
    return 2;
  }
  const config = configFor(values.config, io);
  if (!config) return 1;
  const gateway = await commandGateway(config);
  try {
    const dryRun = values['dry-run'] === true;
    const r = config.gateway.retention;
    if (!r.enabled && !dryRun) {
      io.stderr.write('gateway: retention is switched off (gateway.yaml retention.enabled: false); nothing was changed\n');
      return 1;
    }
    const items = dryRun ? await gateway.retention.plan() : await gateway.retention.run();
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ dryRun, tickets: items.map((t) => ({ id: t.id, number: t.number, category: t.category, status: t.status, finishedAt: new Date(t.finishedAt).toISOString(), rule: t.rule })) })}\n`,
      );
      return 0;
    }
    const rules = [`closed tickets ${r.closedTickets}`, ...Object.entries(r.byCategory).map(([c, p]) => `${c} ${p}`)].join(', ');
    io.stdout.write(
      `${dryRun ? 'dry run: would anonymise' : 'anonymised'} ${items.length} finished ticket(s) (retention: ${rules})${dryRun ? '; nothing was changed' : ''}\n`,
    );
    for (const t of items)
      io.stdout.write(
        `${t.number}  ${(t.category ?? '—').padEnd(5)}  ${t.status.padEnd(8)}  finished ${new Date(t.finishedAt).toISOString().slice(0, 10)}  rule ${t.rule}\n`,
      );
    return 0;
  } finally {
    await gateway.stop();
  }
}

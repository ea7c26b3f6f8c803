import { hostname } from 'node:os';

/**
 * The stable name of a gateway process, given to its pipeline and outbox workers' claims: the same
 * after a restart, so a process killed mid-batch takes its claimed rows back as soon as it is up again
 * rather than after the lease (30 s). GATEWAY_PROCESS_NAME when set (one per machine and slot: two
 * live processes must not share it); otherwise host and port, and the worker slot under
 * `gateway start --processes N`.
 */
export function processName(env: { GATEWAY_PROCESS_NAME?: string; PORT: number }, slot?: number): string {
  if (env.GATEWAY_PROCESS_NAME) return env.GATEWAY_PROCESS_NAME;
  return `${hostname()}:${env.PORT}${slot === undefined ? '' : `#${slot}`}`;
}

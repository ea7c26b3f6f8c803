import type { Clock } from '../../contracts/clock.js';
import path from 'node:path';
import type { ChannelAdapter } from '../../adapters/types.js';
import { loadConfig, type GatewayConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { createLogger } from '../../gateway/logger.js';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './databases.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestGatewayOptions {
  db?: TestDatabaseKind;
  adapters?: ChannelAdapter[];
  /** Extra environment (channel credentials, PUBLIC_BASE_URL…). */
  env?: Record<string, string>;
  /** Config directory (default: the shipped config/). */
  configDir?: string;
  /** Adjust the loaded config before the gateway is built (e.g. faster polling). */
  tweak?: (config: GatewayConfig) => void;
  workers?: boolean;
  /** The gateway's clock (default: the system clock). */
  clock?: Clock;
  /** Listen on this port (default: any free one), when the address must be known before start (PUBLIC_BASE_URL). */
  port?: number;
  /** Receives the gateway's JSON log lines (default: LOG_LEVEL from TEST_LOG_LEVEL, silent). */
  logLines?: string[];
}

export interface TestGateway {
  gateway: Gateway;
  url: string;
  adminToken: string;
  database: TestDatabase;
  /** fetch against the gateway with the admin token; JSON body in and out. */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any; headers: Headers }>;
  /** Waits until every journal row is processed and the outbox has nothing due. */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Boots the whole gateway on a fresh real database (SQLite or PostgreSQL) on a free port. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const database = await createTestDatabase(options.db ?? 'sqlite');
  const config = loadConfig({
    dir: options.configDir ?? path.resolve('config'),
    env: {
      DATABASE_URL: database.url,
      GATEWAY_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      ...options.env,
    },
  });
  config.gateway.pipeline.pollIntervalMs = 20;
  config.gateway.outbox.pollIntervalMs = 20;
  options.tweak?.(config);
  const logger = options.logLines
    ? createLogger('info', { write: (line: string) => void options.logLines!.push(line) } as never)
    : createLogger(config.env.LOG_LEVEL);
  const gateway = await Gateway.create({ config, adapters: options.adapters, workers: options.workers ?? true, logger, clock: options.clock });
  await gateway.start(options.port ?? 0, '127.0.0.1');
  const url = gateway.url;

  const api: TestGateway['api'] = async (method, p, body, token = TEST_ADMIN_TOKEN) => {
    const res = await fetch(url + p, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };

  const settle: TestGateway['settle'] = async (timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // First: a batch that tells the last change commits its outbox rows with it, so the outbox read after sees them.
      const untold = await gateway.customerUpdates.waiting();
      const lag = await gateway.journal.lag();
      const due = await gateway
        .db('outbox')
        .where('status', 'pending')
        .where('next_attempt_at', '<=', Date.now())
        .orWhere('status', 'processing')
        .count({ n: '*' })
        .first();
      if (lag.pending === 0 && Number(due?.n ?? 0) === 0 && untold === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`gateway did not settle in ${timeoutMs} ms (journal pending ${lag.pending}, outbox due ${due?.n}, customer updates untold ${untold})`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  return {
    gateway,
    url,
    adminToken: TEST_ADMIN_TOKEN,
    database,
    api,
    settle,
    async stop() {
      await gateway.stop();
      await database.drop();
    },
  };
}

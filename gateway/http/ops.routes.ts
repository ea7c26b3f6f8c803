import { Router } from 'express';
import type { AdapterHealth, ChannelAdapter } from '../../adapters/types.js';
import type { Db } from '../../storage/db.js';
import type { Authenticator } from './auth.js';
import type { GatewayMetrics } from '../metrics.js';

/** Liveness, readiness (database + every adapter's health), Prometheus metrics, active config version. */
export function opsRoutes(deps: {
  db: Db;
  adapters: () => ChannelAdapter[];
  metrics: GatewayMetrics;
  auth: Authenticator;
  configInfo: () => { version: string; loadedAt: Date; dir: string };
  lastRefused?: () => { at: Date; problems: string[] } | undefined;
}): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Public: up or down only. With a token (operators, monitoring) each check and its detail,
  // which name hosts, mailboxes and driver errors an outsider has no business reading.
  router.get('/readyz', async (req, res) => {
    const checks: Record<string, AdapterHealth> = {};
    try {
      await deps.db.raw('select 1');
      checks.database = { status: 'up' };
    } catch (err) {
      checks.database = { status: 'down', detail: err instanceof Error ? err.message : String(err) };
    }
    await Promise.all(
      deps.adapters().map(async (a) => {
        const key = `adapter:${a.id}${checks[`adapter:${a.id}`] ? `:${Object.keys(checks).length}` : ''}`;
        try {
          checks[key] = await withTimeout(a.health(), 3000);
        } catch (err) {
          checks[key] = { status: 'down', detail: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    const down = Object.values(checks).some((c) => c.status === 'down');
    const status = down ? 'down' : Object.values(checks).some((c) => c.status === 'degraded') ? 'degraded' : 'up';
    const trusted = await deps.auth.principalOf(req).catch(() => undefined);
    res.status(down ? 503 : 200).json(trusted ? { status, checks } : { status });
  });

  router.get('/metrics', async (_req, res, next) => {
    try {
      res.set('Content-Type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/config', deps.auth.require('lead'), (_req, res) => {
    const info = deps.configInfo();
    const refused = deps.lastRefused?.();
    res.json({
      version: info.version,
      loadedAt: info.loadedAt.toISOString(),
      dir: info.dir,
      lastRefused: refused ? { at: refused.at.toISOString(), problems: refused.problems } : null,
    });
  });

  return router;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`health check did not answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

import type { Logger } from 'pino';
import { dialectOf, type Db } from '../../storage/db.js';
import type { KvStateStore } from '../../storage/kv-state.store.js';
import { LocalBus } from './local-bus.js';
import { PostgresBus } from './postgres-bus.js';
import { RedisBus } from './redis-bus.js';

/**
 * The bus EVENT_BUS asks for: `redis://…` for Redis pub/sub, `local` for none; unset means LISTEN/NOTIFY
 * on PostgreSQL (several processes may share the database) and none on SQLite (one process only).
 * Nothing connects until `start()`: a CLI command that only reads the database opens no extra connection.
 */
export function openClusterBus(opts: { db: Db; databaseUrl: string; eventBus?: string; state: KvStateStore; log: Logger }): LocalBus {
  const log = opts.log.child({ module: 'gateway/cluster-bus' });
  const wanted = opts.eventBus ?? (dialectOf(opts.db) === 'postgres' ? 'postgres' : 'local');
  if (wanted.startsWith('redis://') || wanted.startsWith('rediss://')) return new RedisBus(wanted, log);
  if (wanted === 'postgres') {
    if (dialectOf(opts.db) !== 'postgres') throw new Error('EVENT_BUS=postgres needs DATABASE_URL=postgres://…');
    return new PostgresBus(opts.db, opts.databaseUrl, opts.state, log);
  }
  return new LocalBus(log);
}

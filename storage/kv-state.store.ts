import type { AdapterStateStore } from '../contracts/adapter-state.js';
import type { Db } from './db.js';

/** Durable key-value state handed to adapters, each under its own key prefix. */
export class KvStateStore {
  constructor(private readonly db: Db) {}

  scoped(prefix: string): AdapterStateStore {
    return {
      get: <T>(key: string) => this.get<T>(`${prefix}:${key}`),
      set: <T>(key: string, value: T) => this.set(`${prefix}:${key}`, value),
      setIfAbsent: <T>(key: string, value: T) => this.setIfAbsent(`${prefix}:${key}`, value),
    };
  }

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.db('kv_state').where({ key }).first();
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set<T>(key: string, value: T, now = Date.now()): Promise<void> {
    await this.db('kv_state')
      .insert({ key, value: JSON.stringify(value), updated_at: now })
      .onConflict('key')
      .merge(['value', 'updated_at']);
  }

  async setIfAbsent<T>(key: string, value: T, now = Date.now()): Promise<T> {
    await this.db('kv_state')
      .insert({ key, value: JSON.stringify(value), updated_at: now })
      .onConflict('key')
      .ignore();
    return (await this.get<T>(key))!;
  }

  async delete(key: string): Promise<void> {
    await this.db('kv_state').where({ key }).delete();
  }
}

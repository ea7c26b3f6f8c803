/**
 * Small durable key-value state an adapter may keep (IMAP UID checkpoints, access tokens). Adapters use it,
 * storage implements it (`storage/kv-state.store.ts`); neither imports the other.
 */
export interface AdapterStateStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  /** Stores `value` unless the key holds one already (the first of several processes wins); returns what is stored. Stores kept in memory (tests) may leave it out. */
  setIfAbsent?<T>(key: string, value: T): Promise<T>;
}

import type { Knex } from 'knex';
import { signatureBands } from '../../nlp/similarity/problem-signature.js';
import { dialectOf, type Db } from '../../storage/db.js';
import { SimilarityStore, type CommittedSnapshot } from '../../storage/similarity.store.js';

type Conn = Knex | Knex.Transaction;

/** One ticket's place in the index: when its signature was stored, and its (band number, key) pairs. */
interface Entry {
  at: number;
  keys: Int32Array;
}

const indexes = new WeakMap<object, RecentBands>();
/** How far the window must move on before the index is swept for tickets that left it. */
const SWEEP_EVERY_MS = 60_000;

/** A band key (`b3:9f2a41c0`) as its band number and its hash cut to 30 bits. */
function bandKey(band: string): [number, number] {
  const colon = band.indexOf(':');
  return [Number(band.slice(1, colon)), parseInt(band.slice(colon + 1), 16) & 0x3fffffff];
}

/**
 * The LSH band keys of recent tickets, held in each gateway's memory: surge candidates are the tickets
 * sharing a band with a new one. As 64 rows per new ticket they cost more than anything else a new ticket
 * writes: on SQLite each row landed on its own page of the band index (~1 ms of SQLite's time per ticket, and
 * the lookup as much again); on PostgreSQL the rows and their lookup were 1 ms of the server's time per ticket
 * and most of the statements' size.
 *
 * The index is a cache of what the database holds, rebuilt from it: band keys are recomputed from
 * the MinHash stored with every signature, and the first lookup of a window older than it knows loads that
 * window. Before each lookup it reads the signatures other writers stored since its last read (a gateway
 * restarted, `gateway simulate` run beside it, other processes on PostgreSQL):
 * - SQLite has one writer at a time and ids in commit order: the signatures after the last id read, once
 *   per transaction (nobody else writes while a transaction that has written is open).
 * - PostgreSQL has several, and a ticket's id is drawn before its transaction commits: the signatures of the
 *   transactions the last read's snapshot did not see finished (SimilarityStore.committedSince), at every
 *   lookup, so that surge detection's second look under its lock sees what the last holder committed.
 * A ticket whose transaction rolled back stays in the index under its id: a candidate the database no longer
 * has, or whose id was given to another ticket, is dropped or compared by its stored signature like any other.
 *
 * Keys are a band's 32-bit hash cut to 30 bits: two different bands that agree there only bring an
 * extra candidate, which the text comparison rejects.
 */
export class RecentBands {
  /** Per band number: key → the ticket id, or the ids, with that key. */
  private readonly byBand: Array<Map<number, number | Set<number>>> = [];
  /** Every ticket in the index, in the order added. */
  private readonly entries = new Map<number, Entry>();
  /** Every ticket whose signature was stored at or after this time is in the index (undefined: nothing loaded yet). */
  private loadedSince: number | undefined;
  /** SQLite: the largest ticket id read back from the database. */
  private lastReadId = 0;
  /** PostgreSQL: what the last read's snapshot saw as finished (every later read covers the rest). */
  private seenFinished: CommittedSnapshot | undefined;
  private readonly readIn = new WeakSet<object>();
  /** The smallest ticket id indexed since the last commit or rollback the pipeline reported. */
  private addedSinceCommit: number | undefined;

  constructor(private readonly store = new SimilarityStore()) {}

  /** The index of this database (one per knex instance; its transactions share it). */
  static of(db: Conn): RecentBands {
    const key = db.client.config as object;
    let index = indexes.get(key);
    if (!index) indexes.set(key, (index = new RecentBands()));
    return index;
  }

  /** Indexes a ticket whose signature was stored at `at` (epoch ms). An id indexed before is replaced. */
  add(ticketId: number, bands: readonly string[], at: number): void {
    this.remove(ticketId);
    this.addedSinceCommit = Math.min(this.addedSinceCommit ?? ticketId, ticketId);
    const keys = new Int32Array(bands.length * 2);
    let n = 0;
    for (const band of bands) {
      const [b, key] = bandKey(band);
      const bucket = (this.byBand[b] ??= new Map());
      // (A ticket has one key per band number, and was removed above: never twice in a bucket.)
      const ids = bucket.get(key);
      if (ids === undefined) bucket.set(key, ticketId);
      else if (typeof ids === 'number') bucket.set(key, new Set([ids, ticketId]));
      else ids.add(ticketId);
      keys[n++] = b;
      keys[n++] = key;
    }
    this.entries.set(ticketId, { at, keys: keys.subarray(0, n) });
  }

  /**
   * Ids of the tickets stored at or after `since` that share a band with `bands`. Entries older than
   * `forgetBefore` are dropped from memory (a later lookup reaching back that far reads them again).
   */
  async sharing(db: Conn, bands: readonly string[], since: number, forgetBefore = since): Promise<number[]> {
    await this.readNew(db, since);
    const found = new Set<number>();
    for (const band of bands) {
      const [b, key] = bandKey(band);
      const ids = this.byBand[b]?.get(key);
      if (ids === undefined) continue;
      for (const id of typeof ids === 'number' ? [ids] : ids) if (this.entries.get(id)!.at >= since) found.add(id);
    }
    this.forget(forgetBefore);
    return [...found];
  }

  /** How many tickets the index holds. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * After a transaction (or a savepoint) that indexed tickets rolled back: their ids may be given again, by
   * this process (indexed anew when stored) or by another, whose ticket the next read must not skip as read.
   */
  rolledBack(): void {
    // (Still counted from the last commit: a savepoint's rollback inside a transaction that may fail later.)
    if (this.addedSinceCommit !== undefined) this.lastReadId = Math.min(this.lastReadId, this.addedSinceCommit - 1);
  }

  /** After a transaction that indexed tickets committed. */
  committed(): void {
    this.addedSinceCommit = undefined;
  }

  /** Brings the index up to what the database holds: once per transaction, and for a window older than it knows. */
  private async readNew(db: Conn, since: number): Promise<void> {
    if (dialectOf(db as unknown as Db) === 'postgres') return this.readCommitted(db, since);
    if (this.loadedSince === undefined) {
      // The window's signatures up to the newest one now; later ones are read by id below.
      const upToId = Math.max(this.lastReadId, await this.store.lastSignatureId(db));
      await this.load(db, { since, upToId });
      this.loadedSince = since;
      this.lastReadId = upToId;
      if (db.isTransaction) this.readIn.add(db);
      return;
    }
    if (since < this.loadedSince) {
      // A window reaching back further (a longer incident window after a reload, a backlog's older message): the
      // part not known yet, among the signatures read so far; newer ones come with the read by id below.
      await this.load(db, { since, before: this.loadedSince, upToId: this.lastReadId });
      this.loadedSince = since;
    }
    // Nobody else writes while a SQLite transaction that has written is open: once per transaction is enough.
    if (this.readIn.has(db)) return;
    // Signatures stored since the last read: this process's own (indexed when stored; the same id and time) or another's.
    const stored = await this.store.signaturesAfter(db, this.lastReadId);
    if (stored.length > 0) {
      const unknown = stored.filter((s) => s.createdAt >= this.loadedSince! && this.entries.get(s.ticketId)?.at !== s.createdAt).map((s) => s.ticketId);
      await this.load(db, { ids: unknown });
      // Only once they are in: a read that failed is made again by the next transaction.
      this.lastReadId = stored[stored.length - 1]!.ticketId;
    }
    if (db.isTransaction) this.readIn.add(db);
  }

  /** PostgreSQL: brings the index up to every signature committed since the last read, and to the window asked for. */
  private async readCommitted(db: Conn, since: number): Promise<void> {
    if (this.loadedSince === undefined || this.seenFinished === undefined) {
      // The snapshot first: whatever commits after the window is read is read from it.
      const snapshot = await this.store.snapshot(db);
      await this.load(db, { since });
      // (Another lane may have loaded and moved on meanwhile: its later window and snapshot stand.)
      if (this.loadedSince === undefined) this.loadedSince = since;
      this.seenFinished ??= snapshot;
      return;
    }
    const loaded = this.loadedSince;
    if (since < loaded) {
      await this.load(db, { since, before: loaded });
      // Unless another lane's sweep moved the window on meanwhile (it dropped what is older than its own start).
      if (this.loadedSince === loaded) this.loadedSince = since;
    }
    const { snapshot, stored } = await this.store.committedSince(db, this.seenFinished, this.loadedSince);
    // This process's own (indexed when stored; the same id and time) or another's.
    const unknown = stored.filter((s) => this.entries.get(s.ticketId)?.at !== s.createdAt).map((s) => s.ticketId);
    await this.load(db, { ids: unknown });
    // Only once they are in (a read that failed is made again by the next lookup), and only a later snapshot: one taken
    // earlier by another lane covers more, never less, but would be read again.
    if (BigInt(snapshot.xmax) >= BigInt(this.seenFinished.xmax)) this.seenFinished = snapshot;
  }

  /** Indexes the stored signatures `which` chooses (SimilarityStore.minhashes), their band keys computed from their MinHash. */
  private async load(db: Conn, which: Parameters<SimilarityStore['minhashes']>[1]): Promise<void> {
    for (const s of await this.store.minhashes(db, which)) this.add(s.ticketId, signatureBands(s.minhash), s.createdAt);
  }

  /** Drops the tickets stored before `before`: a sweep of the whole index at most once per minute it moves on. */
  private forget(before: number): void {
    if (this.loadedSince === undefined || before < this.loadedSince + SWEEP_EVERY_MS) return;
    for (const [id, entry] of this.entries) if (entry.at < before) this.remove(id);
    this.loadedSince = before;
  }

  private remove(ticketId: number): void {
    const entry = this.entries.get(ticketId);
    if (!entry) return;
    this.entries.delete(ticketId);
    const { keys } = entry;
    for (let i = 0; i < keys.length; i += 2) {
      const bucket = this.byBand[keys[i]!]!;
      const ids = bucket.get(keys[i + 1]!);
      if (ids === ticketId) bucket.delete(keys[i + 1]!);
      else if (typeof ids === 'object') {
        ids.delete(ticketId);
        if (ids.size === 1) bucket.set(keys[i + 1]!, ids.values().next().value!);
      }
    }
  }
}

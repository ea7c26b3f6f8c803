import { ImapFlow, type FetchMessageObject } from 'imapflow';
import type { Logger } from 'pino';
import type { EmailMailboxConfig } from '../../config/channels/email.schema.js';
import type { AdapterHealth } from '../types.js';
import type { AdapterStateStore } from '../../contracts/adapter-state.js';

/** What the adapter did with one fetched mail; every outcome but a thrown error marks it processed. */
export type MailOutcome = 'delivered' | 'ignored' | 'rate-limited' | 'unparseable' | 'refused';

/** Hands one raw mail to the adapter; resolves once it is in the journal (or deliberately skipped). */
export type MailHandler = (raw: Buffer, info: { uid: number; uidValidity: string; internalDate?: Date }) => Promise<MailOutcome>;

/** Where the poller got to in a mailbox; stored in the adapter state. */
export interface MailboxCheckpoint {
  /** UIDVALIDITY as a decimal string (it is a 32-bit unsigned number; JSON has no bigint). */
  uidValidity: string;
  /** Highest UID whose mail is in the journal (or deliberately skipped). */
  lastUid: number;
}

export interface ImapPollerOptions {
  mailbox: EmailMailboxConfig;
  state: AdapterStateStore;
  logger: Logger;
  handle: MailHandler;
  /** Polling fallback when IDLE brings nothing (server without IDLE, silently dropped connection). */
  pollSeconds: number;
  onUidValidityChange: 'halt' | 'resync';
  /** Mails fetched per FETCH command. */
  batchSize?: number;
  /** Mails handed to the journal at once (the journal group-commits concurrent appends). */
  concurrency?: number;
  /** Backoff bounds for reconnecting, in ms. */
  backoffMs?: { min: number; max: number };
}

class HaltError extends Error {}

/**
 * Reads one IMAP mailbox: IDLE with a polling fallback, a UID + UIDVALIDITY checkpoint
 * so a restart neither refetches nor skips, `\Seen` (or a move to the processed folder)
 * only after the handler resolved, and reconnects with exponential backoff.
 */
export class ImapPoller {
  readonly key: string;
  private client: ImapFlow | undefined;
  private stopping = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** New mail announced while we were busy: the next sleep returns at once. */
  private pending = false;
  private processedPath: string | undefined;
  private connected = false;
  private lastPollAt: Date | undefined;
  private lastError: string | undefined;
  private down: string | undefined;
  private failures = 0;
  private readonly log: Logger;

  constructor(private readonly opts: ImapPollerOptions) {
    const m = opts.mailbox;
    this.key = `email:imap:${m.user}@${m.host}:${m.port}/${m.mailbox}`;
    this.log = opts.logger.child({ mailbox: `${maskUser(m.user)}@${m.host}/${m.mailbox}` });
  }

  /** Starts the loop in the background; resolves once the first connection attempt finished. */
  async start(): Promise<void> {
    this.stopping = false;
    let firstAttempt!: () => void;
    const attempted = new Promise<void>((r) => (firstAttempt = r));
    this.running = this.loop(firstAttempt);
    await attempted;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.signal();
    await this.running;
    this.running = undefined;
  }

  health(): AdapterHealth & { name: string } {
    const name = `${this.opts.mailbox.user}/${this.opts.mailbox.mailbox}`;
    if (this.down) return { name, status: 'down', detail: this.down };
    if (!this.connected) {
      return { name, status: this.failures >= 3 ? 'down' : 'degraded', detail: this.lastError ? `not connected: ${this.lastError}` : 'connecting' };
    }
    const staleMs = (this.opts.pollSeconds * 3 + 30) * 1000;
    if (!this.lastPollAt || Date.now() - this.lastPollAt.getTime() > staleMs) {
      return { name, status: 'degraded', detail: `no successful poll since ${this.lastPollAt?.toISOString() ?? 'start'}` };
    }
    return { name, status: 'up', detail: `last poll ${this.lastPollAt.toISOString()}` };
  }

  private async loop(firstAttempt: () => void): Promise<void> {
    const { min, max } = this.opts.backoffMs ?? { min: 1000, max: 60_000 };
    while (!this.stopping) {
      try {
        await this.session(firstAttempt);
      } catch (err) {
        this.connected = false;
        this.failures++;
        if (err instanceof HaltError) {
          this.down = err.message;
          this.log.error({ reason: err.message }, 'mailbox halted');
          firstAttempt();
          return;
        }
        const e = err as { authenticationFailed?: boolean; message?: string; responseText?: string; code?: string };
        this.lastError = e.authenticationFailed
          ? `authentication failed${e.responseText ? `: ${e.responseText}` : ''}`
          : [e.code, e.message, e.responseText].filter(Boolean).join(': ') || String(err);
        // Bad credentials will not fix themselves: report down at once, keep retrying slowly in case they are changed.
        if (e.authenticationFailed) this.down = this.lastError;
        this.log.warn({ err: this.lastError, attempt: this.failures }, 'IMAP session ended; reconnecting');
      } finally {
        await this.closeClient();
      }
      firstAttempt();
      if (this.stopping) break;
      // A 'close' event from the dead session must not cut the backoff short.
      this.pending = false;
      const delay = Math.min(max, min * 2 ** Math.min(this.failures - 1, 16)) * (0.75 + Math.random() * 0.5);
      await this.sleep(delay);
    }
  }

  private async session(firstAttempt: () => void): Promise<void> {
    const m = this.opts.mailbox;
    const client = new ImapFlow({
      host: m.host,
      port: m.port,
      secure: m.secure,
      auth: { user: m.user, pass: m.password },
      logger: false,
      // Restart IDLE every few minutes: NATs drop silent connections and servers cap IDLE at ~30 min.
      maxIdleTime: 5 * 60_000,
      // imapflow waits 15 s of inactivity before IDLE by default: new mail would sit that long.
      autoIdleDelay: 500,
      connectionTimeout: 30_000,
    });
    this.client = client;
    client.on('error', (err: Error) => this.log.warn({ err: err.message }, 'IMAP connection error'));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    closed.then(() => {
      this.connected = false;
      this.signal();
    });
    client.on('exists', () => this.signal());

    await client.connect();
    const processed = m.processedFolder ? await this.ensureFolder(client, m.processedFolder) : undefined;
    this.processedPath = processed;
    await client.mailboxOpen(m.mailbox);
    this.connected = true;
    this.failures = 0;
    this.lastError = undefined;
    this.down = undefined;
    this.log.info('IMAP connected');
    firstAttempt();

    while (!this.stopping && client.usable) {
      await this.drain(client);
      this.lastPollAt = new Date();
      // IDLE is automatic in imapflow once no command runs; 'exists' wakes us, the timer is the fallback.
      await this.sleep(this.opts.pollSeconds * 1000);
    }
  }

  /** Fetches and hands over everything after the checkpoint, batch by batch. */
  private async drain(client: ImapFlow): Promise<void> {
    const box = client.mailbox;
    if (!box) throw new Error('no mailbox open');
    this.pending = false;
    const uidValidity = String(box.uidValidity);
    let checkpoint = await this.opts.state.get<MailboxCheckpoint>(this.key);
    // First start on this mailbox: mail a person already read before the gateway existed is not a new complaint.
    const skipSeen = !checkpoint;
    if (checkpoint && checkpoint.uidValidity !== uidValidity) {
      const reason = `UIDVALIDITY changed from ${checkpoint.uidValidity} to ${uidValidity} (mailbox recreated or restored)`;
      if (this.opts.onUidValidityChange === 'halt') {
        throw new HaltError(
          `${reason}; stored UIDs no longer mean anything. Set EMAIL_ON_UIDVALIDITY_CHANGE=resync and restart to re-read it (the journal drops duplicates by Message-ID).`,
        );
      }
      this.log.warn({ reason }, 'resyncing the whole mailbox');
      checkpoint = undefined;
    }
    let lastUid = checkpoint?.lastUid ?? 0;
    if (!checkpoint) await this.opts.state.set<MailboxCheckpoint>(this.key, { uidValidity, lastUid });

    // "UID SEARCH UID n:*" also returns the highest UID when it is below n (RFC 3501 "*" quirk): filter.
    const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
    const uids = (found || []).filter((u) => u > lastUid).sort((a, b) => a - b);
    const batchSize = this.opts.batchSize ?? 200;
    for (let i = 0; i < uids.length && !this.stopping; i += batchSize) {
      const batch = uids.slice(i, i + batchSize);
      // fetchAll: imapflow cannot run other commands while a fetch iterator is open.
      const fetched = await client.fetchAll(compressUids(batch), { uid: true, source: true, internalDate: true, flags: true }, { uid: true });
      fetched.sort((a, b) => a.uid - b.uid);
      const { doneUids, error } = await this.handleBatch(fetched, uidValidity, skipSeen);
      if (doneUids.length) {
        await this.markProcessed(client, doneUids);
        lastUid = Math.max(lastUid, ...doneUids);
        await this.opts.state.set<MailboxCheckpoint>(this.key, { uidValidity, lastUid });
      }
      if (error) throw error;
      // UIDs in the batch the server no longer has (expunged meanwhile) count as done.
      const maxInBatch = batch[batch.length - 1]!;
      if (maxInBatch > lastUid && doneUids.length === fetched.length) {
        lastUid = maxInBatch;
        await this.opts.state.set<MailboxCheckpoint>(this.key, { uidValidity, lastUid });
      }
    }
  }

  /**
   * Hands the batch to the handler with bounded concurrency. Returns the UIDs that may be
   * marked: the prefix before the first failure, so the checkpoint never passes a mail
   * that is not in the journal. Later successes are fetched again and dedupe in the journal.
   */
  private async handleBatch(fetched: FetchMessageObject[], uidValidity: string, skipSeen: boolean): Promise<{ doneUids: number[]; error?: unknown }> {
    const results: Array<{ ok: boolean; error?: unknown; skipped?: boolean }> = new Array(fetched.length);
    let next = 0;
    const worker = async () => {
      while (next < fetched.length) {
        const idx = next++;
        const msg = fetched[idx]!;
        if (skipSeen && msg.flags?.has('\\Seen')) {
          results[idx] = { ok: true, skipped: true };
          continue;
        }
        if (!msg.source) {
          results[idx] = { ok: false, error: new Error(`UID ${msg.uid}: server returned no body`) };
          continue;
        }
        try {
          const internalDate = msg.internalDate instanceof Date ? msg.internalDate : msg.internalDate ? new Date(msg.internalDate) : undefined;
          await this.opts.handle(msg.source, { uid: msg.uid, uidValidity, internalDate });
          results[idx] = { ok: true };
        } catch (error) {
          results[idx] = { ok: false, error };
        }
      }
    };
    const n = Math.max(1, Math.min(this.opts.concurrency ?? 8, fetched.length));
    await Promise.all(Array.from({ length: n }, worker));
    const doneUids: number[] = [];
    for (let i = 0; i < fetched.length; i++) {
      const r = results[i]!;
      if (!r.ok) return { doneUids, error: r.error };
      doneUids.push(fetched[i]!.uid);
    }
    return { doneUids };
  }

  private async markProcessed(client: ImapFlow, uids: number[]): Promise<void> {
    const range = compressUids(uids);
    const folder = this.processedPath;
    if (folder) await client.messageMove(range, folder, { uid: true });
    else await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
  }

  /**
   * Creates the processed folder if missing and returns its server path. "Done/Complaints"
   * in config is split on "/" and joined with the server's delimiter (dovecot's maildir uses ".").
   */
  private async ensureFolder(client: ImapFlow, folder: string): Promise<string> {
    const list = await client.list();
    const delimiter = list[0]?.delimiter ?? '/';
    const serverPath = folder.split('/').join(delimiter);
    if (!list.some((b) => b.path === serverPath)) await client.mailboxCreate(serverPath);
    return serverPath;
  }

  private async closeClient(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.connected = false;
    if (!c) return;
    try {
      if (c.usable) await c.logout();
      else c.close();
    } catch {
      c.close();
    }
  }

  private signal(): void {
    if (this.wake) this.wake();
    else this.pending = true;
  }

  private sleep(ms: number): Promise<void> {
    if (this.pending || this.stopping) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}

/** "1,2,3,7,8" → "1:3,7:8": keeps STORE/MOVE command lines short for big batches. */
export function compressUids(uids: number[]): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** "complaints@example.com" → "co***@example.com": no full addresses in log lines. */
export function maskUser(user: string): string {
  const [local, domain] = user.split('@');
  const masked = `${(local ?? '').slice(0, 2)}***`;
  return domain ? `${masked}@${domain}` : masked;
}

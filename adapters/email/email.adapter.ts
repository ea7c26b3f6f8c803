import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { EmailConfig } from '../../config/channels/email.schema.js';
import { PermanentDeliveryError, type AdapterHealth, type ChannelAdapter, type InboundMessage, type InboundSink, type OutboundMessage } from '../types.js';
import type { AdapterStateStore } from '../../contracts/adapter-state.js';
import { extractAddress } from './classify-automated.js';
import { composeReply } from './compose-reply.js';
import { checkMailbox, type Mailbox } from './mailbox.js';
import { ImapPoller, maskUser, type MailOutcome } from './imap-poller.js';
import { parseEmail, type DroppedAttachment } from './parse-email.js';
import { SenderRateLimiter } from './sender-rate-limiter.js';
import type { RateCounter } from '../../contracts/rate-counter.js';

/**
 * Where attachment bytes go when the gateway keeps files (storage/attachment-files.ts); without
 * one they stay `data:` URIs. `put` throws an error with a `reason` ("too-large",
 * "type-not-allowed") for bytes it will not keep: that attachment is listed, not stored.
 */
export interface AttachmentStore {
  put(name: string, contentType: string, bytes: Buffer): Promise<{ ref: string; contentType: string; size: number }>;
}

export interface EmailAdapterOptions {
  config: EmailConfig;
  state: AdapterStateStore;
  logger: Logger;
  attachmentStore?: AttachmentStore;
  /** Where the per-sender counts are kept (the gateway's database, shared by its processes); in memory when absent. */
  rateCounter?: RateCounter;
  /** Tests shorten the reconnect backoff. */
  backoffMs?: { min: number; max: number };
}

/**
 * The e-mail channel: IMAP in (one poller per configured mailbox), SMTP out.
 * Bounces, auto-replies and our own mail looping back are marked processed and logged,
 * never handed to the sink; a per-sender rate limit keeps one mail loop from flooding the queue.
 */
export class EmailAdapter implements ChannelAdapter {
  readonly id = 'email' as const;
  // Two processes polling one mailbox would race on \Seen and the UID checkpoint.
  readonly singleConsumer = true;
  private readonly config: EmailConfig;
  private readonly log: Logger;
  private readonly pollers: ImapPoller[] = [];
  private readonly limiter: SenderRateLimiter;
  private transport: Transporter | undefined;
  private sink: InboundSink | undefined;

  constructor(private readonly options: EmailAdapterOptions) {
    this.config = options.config;
    this.log = options.logger.child({ module: 'adapters/email' });
    this.limiter = new SenderRateLimiter(this.config.senderRateLimitPerHour, 3600_000, options.rateCounter);
  }

  async start(sink: InboundSink): Promise<void> {
    this.sink = sink;
    for (const mailbox of this.config.mailboxes) {
      const poller = new ImapPoller({
        mailbox,
        state: this.options.state,
        logger: this.log,
        pollSeconds: this.config.pollSeconds,
        onUidValidityChange: this.config.onUidValidityChange,
        backoffMs: this.options.backoffMs,
        handle: (raw, info) => this.handleMail(raw, { ...info, mailbox: mailbox.mailbox, account: mailbox.user }),
      });
      this.pollers.push(poller);
    }
    await Promise.all(this.pollers.map((p) => p.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop()));
    this.pollers.length = 0;
    this.transport?.close();
    this.transport = undefined;
  }

  async health(): Promise<AdapterHealth> {
    if (this.pollers.length === 0) return { status: 'down', detail: 'not started' };
    const each = this.pollers.map((p) => p.health());
    const details = each.map((h) => `${h.name}: ${h.status}${h.detail ? ` (${h.detail})` : ''}`).join('; ');
    const down = each.filter((h) => h.status === 'down').length;
    if (down === each.length) return { status: 'down', detail: details };
    if (down > 0 || each.some((h) => h.status === 'degraded')) return { status: 'degraded', detail: details };
    return { status: 'up', detail: details };
  }

  async send(out: OutboundMessage): Promise<{ externalId: string }> {
    const smtp = this.config.smtp;
    if (!smtp) throw new PermanentDeliveryError('e-mail replies are off: EMAIL_SMTP_HOST is not set', 'not-configured');
    // Before any connection: a recipient that is not exactly one mailbox fails here, for good (see mailbox.ts).
    const mail = composeReply({ ...out, from: undefined }, { from: this.senderFor(out.from), brand: this.config.brand });
    this.transport ??= nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user && smtp.password ? { user: smtp.user, pass: smtp.password } : undefined,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    });
    try {
      const info = await this.transport.sendMail(mail);
      const accepted = (info.accepted ?? []) as unknown[];
      if (accepted.length === 0) {
        throw new PermanentDeliveryError(`SMTP server accepted no recipient: ${String(info.response ?? '')}`, 'rejected');
      }
      this.log.info({ outboxId: out.id, ticket: out.ticketNumber, messageId: mail.messageId }, 'reply sent');
      return { externalId: mail.messageId };
    } catch (err) {
      if (err instanceof PermanentDeliveryError) throw err;
      const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
      // 5xx is the server's final word (no such user, policy rejection): retrying cannot help.
      // Except a refused login (535, EAUTH): that is our config, and every reply would be lost
      // for good while someone fixes the password; the outbox retries with backoff instead.
      if (e.code !== 'EAUTH' && e.responseCode && e.responseCode >= 500 && e.responseCode < 600) {
        throw new PermanentDeliveryError(`SMTP ${e.responseCode}: ${e.response ?? e.message}`, String(e.responseCode));
      }
      this.log.warn({ outboxId: out.id, code: e.code, responseCode: e.responseCode }, 'reply not sent; the outbox will retry');
      throw err instanceof Error ? err : new Error(String(err));
    }
  }

  /**
   * The From of a reply: the inbox the customer wrote to when it is one of ours (so the
   * answer comes from the address they know), with EMAIL_FROM's display name; EMAIL_FROM
   * otherwise. Never an address we do not own, whatever the outbound message says.
   */
  private senderFor(requested: string | undefined): string | Mailbox {
    const def = this.config.from;
    const wanted = extractAddress(requested ?? '');
    if (!wanted || wanted === extractAddress(def)) return def;
    const ours = this.config.mailboxes.find((m) => extractAddress(m.user) === wanted);
    if (!ours) return def;
    const defMailbox = checkMailbox(def);
    // The address as configured for that mailbox, not as the outbound message spelled it.
    return { name: defMailbox.ok ? defMailbox.mailbox.name : '', address: extractAddress(ours.user) };
  }

  private async handleMail(
    raw: Buffer,
    info: { uid: number; uidValidity: string; internalDate?: Date; mailbox: string; account: string },
  ): Promise<MailOutcome> {
    const sink = this.sink;
    if (!sink) throw new Error('adapter not started');
    let result;
    try {
      result = await parseEmail(raw, {
        ownAddresses: [this.config.from, ...this.config.mailboxes.map((m) => m.user)],
        maxAttachmentBytes: this.config.maxAttachmentBytes,
        receivedAt: info.internalDate,
        mailboxAddress: info.account,
      });
    } catch (err) {
      // A mail mailparser cannot read at all must not block the mailbox forever; it stays on the server.
      this.log.error({ uid: info.uid, err: (err as Error).message }, 'unparseable mail skipped');
      return 'unparseable';
    }
    if (result.kind === 'not-a-complaint') {
      this.log.info({ uid: info.uid, category: result.category, reason: result.reason, messageId: result.messageId }, 'not a complaint; skipped');
      return 'ignored';
    }
    const message = result.message;
    if (!(await this.limiter.allow(message.from.address))) {
      this.log.warn({ uid: info.uid, from: maskUser(message.from.address), messageId: message.externalId }, 'sender over the rate limit; skipped');
      return 'rate-limited';
    }
    message.meta = { ...message.meta, mailbox: info.mailbox, account: info.account, uid: info.uid, uidValidity: info.uidValidity };
    const store = this.options.attachmentStore;
    if (store) {
      await storeAttachments(message, store, this.log);
    } else {
      keepOnlyInlineSized(message);
    }
    try {
      await sink(message);
    } catch (err) {
      // A message the gateway refuses as invalid (400) is refused again on every retry, and the
      // poller would stop at it for good, holding back every mail behind it: skip it, loudly.
      // Anything else (database down…) is thrown, and the mail is fetched again.
      if ((err as { statusCode?: unknown }).statusCode !== 400) throw err;
      this.log.error(
        { uid: info.uid, messageId: message.externalId, reason: (err as Error).message.slice(0, 500) },
        'mail refused by the gateway; skipped (it stays on the server)',
      );
      return 'refused';
    }
    return 'delivered';
  }
}

/**
 * Each inline attachment goes to the store and keeps only its ref; one the store refuses (too
 * big, a type it does not take) is listed in `meta.droppedAttachments` with the reason, and the
 * complaint itself still gets through. A store that fails otherwise (disk full) fails the mail,
 * which is fetched again on the next poll: nothing is lost silently.
 */
async function storeAttachments(message: InboundMessage, store: AttachmentStore, log: Logger): Promise<void> {
  const kept: InboundMessage['attachments'] = [];
  const refused: DroppedAttachment[] = [];
  for (const a of message.attachments) {
    const m = /^data:[^;,]*;base64,(.*)$/s.exec(a.ref);
    if (!m) {
      kept.push(a);
      continue;
    }
    try {
      const stored = await store.put(a.name, a.contentType, Buffer.from(m[1]!, 'base64'));
      kept.push({ ...a, ...stored });
    } catch (err) {
      const reason = (err as { reason?: unknown }).reason;
      if (reason !== 'too-large' && reason !== 'type-not-allowed') throw err;
      log.warn({ messageId: message.externalId, attachment: a.name.slice(0, 200), reason }, 'attachment not kept');
      refused.push({ name: a.name.slice(0, 200), contentType: a.contentType, size: a.size, reason });
    }
  }
  message.attachments = kept;
  if (refused.length > 0) message.meta.droppedAttachments = [...((message.meta.droppedAttachments as DroppedAttachment[] | undefined) ?? []), ...refused];
}

/** The journal keeps an attachment `ref` of at most this many characters (gateway/intake/inbound-message.schema.ts). */
const MAX_ATTACHMENT_REF = 4096;

/**
 * Without an attachment store the bytes travel as a `data:` URI, and one over the journal's
 * ref limit (an attachment of about 3 kB) would have the whole mail refused: such attachments
 * are listed in `meta.droppedAttachments` instead, so the complaint itself still gets through.
 */
function keepOnlyInlineSized(message: InboundMessage): void {
  const tooBig = message.attachments.filter((a) => a.ref.length > MAX_ATTACHMENT_REF);
  if (tooBig.length === 0) return;
  message.attachments = message.attachments.filter((a) => a.ref.length <= MAX_ATTACHMENT_REF);
  const dropped = (message.meta.droppedAttachments as DroppedAttachment[] | undefined) ?? [];
  message.meta.droppedAttachments = [
    ...dropped,
    ...tooBig.map((a): DroppedAttachment => ({ name: a.name.slice(0, 200), contentType: a.contentType, size: a.size, reason: 'no-attachment-store' })),
  ];
}

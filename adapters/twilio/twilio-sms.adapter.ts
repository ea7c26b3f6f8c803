import type { TwilioConfig } from '../../config/channels/twilio.schema.js';
import { PermanentDeliveryError, type AdapterHealth, type ChannelAdapter, type InboundSink, type OutboundMessage } from '../types.js';
import type { AdapterStateStore } from '../../contracts/adapter-state.js';
import type { ChannelId } from '../../contracts/channel-ids.js';
import { isCallableNumber, maskPhone, moduleLogger, OptOutRegistry, TWILIO_WEBHOOK_PATH, type TwilioLogger } from './twilio-common.js';

/** The parameters of Twilio's `messages.create` that we use. */
export interface TwilioMessageCreateParams {
  to: string;
  body: string;
  from?: string;
  messagingServiceSid?: string;
  statusCallback?: string;
}

/**
 * The slice of the twilio client the adapter needs. The real client (`twilio(sid, token)`)
 * satisfies it; tests pass the real client too and intercept its HTTPS calls with nock.
 */
export interface TwilioMessagingClient {
  messages: { create(params: TwilioMessageCreateParams): Promise<{ sid: string; status?: string }> };
}

export interface TwilioSmsAdapterOptions {
  config: TwilioConfig;
  state: AdapterStateStore;
  logger: TwilioLogger;
  /** Defaults to the real twilio client, created (and the SDK loaded) on first send. */
  client?: TwilioMessagingClient;
}

/** Twilio's limit for one message body; longer bodies are rejected with 21617. */
const MAX_BODY_CHARS = 1600;

/**
 * Twilio error codes that mean the number itself cannot receive our SMS: the
 * recipient opted out (21610) or is not a mobile/SMS-capable number (21614). We
 * remember 21610 so later replies skip the REST call.
 */
const UNSUBSCRIBED = 21610;

/** Lazily creates the real client so the twilio SDK (≈0.7 s to import) loads only when the channel is used. */
async function createRealClient(config: TwilioConfig): Promise<TwilioMessagingClient> {
  const { default: twilio } = await import('twilio');
  // autoRetry stays off: the gateway's outbox owns retries and backoff, and a
  // hidden retry inside the SDK would hold an outbox lease for minutes.
  return twilio(config.accountSid, config.authToken, { autoRetry: false, timeout: 15_000 });
}

/** Whether a failed REST call may succeed later (throttling, Twilio outage, network, our credentials). */
function isRetriable(status: number | undefined): boolean {
  if (status === undefined) return true; // no HTTP answer at all: network error or timeout
  // 401: a rotated or wrong auth token; fixing the config lets the queued replies go out.
  return status === 401 || status === 408 || status === 429 || status >= 500;
}

/**
 * Outbound SMS through Twilio's Messages API (channel `sms`). Throws
 * {@link PermanentDeliveryError} when retrying cannot help (opted-out or invalid
 * number) and a plain Error when the outbox should retry with backoff.
 */
export class TwilioSmsAdapter implements ChannelAdapter {
  readonly id: ChannelId = 'sms';
  protected readonly config: TwilioConfig;
  protected readonly log: TwilioLogger;
  readonly optOuts: OptOutRegistry;
  private client?: TwilioMessagingClient;
  private clientPromise?: Promise<TwilioMessagingClient>;
  private lastFailure?: { at: string; detail: string };

  constructor(opts: TwilioSmsAdapterOptions) {
    this.config = opts.config;
    this.log = moduleLogger(opts.logger, 'adapters/twilio');
    this.optOuts = new OptOutRegistry(opts.state);
    this.client = opts.client;
  }

  /** Webhook-driven: inbound SMS arrives through `createTwilioRouter`. */
  async start(_sink: InboundSink): Promise<void> {}

  async stop(): Promise<void> {}

  async health(): Promise<AdapterHealth> {
    // No network probe: a health check must not spend Twilio API quota.
    if (this.lastFailure) return { status: 'degraded', detail: `last send failed at ${this.lastFailure.at}: ${this.lastFailure.detail}` };
    return { status: 'up' };
  }

  async send(out: OutboundMessage): Promise<{ externalId: string }> {
    // A reply to a phone call (the gateway maps voice → sms) must not go out from the
    // number the caller dialled: hotlines (400/800 numbers) usually cannot send SMS.
    const inbound = out.meta.inbound as Record<string, unknown> | undefined;
    const answersACall = out.channel === 'voice' || typeof inbound?.callSid === 'string';
    return this.sendSms(out, answersACall ? undefined : out.from);
  }

  /** The callback Twilio posts delivery receipts to (handled by the router's `POST /sms/status`). */
  statusCallbackUrl(): string {
    return `${this.config.publicBaseUrl}${TWILIO_WEBHOOK_PATH}/sms/status`;
  }

  protected async sendSms(out: OutboundMessage, from: string | undefined): Promise<{ externalId: string }> {
    const to = out.to;
    if (!isCallableNumber(to)) {
      // A caller who withheld their number (anonymous:CA…) or an address that is no phone number.
      throw new PermanentDeliveryError('no phone number to text: the caller withheld it or the address is not E.164', 'no_callback_number');
    }
    if (await this.optOuts.isOptedOut(to)) {
      // Sending to a number that texted STOP is both useless (Twilio answers 21610) and against carrier rules.
      throw new PermanentDeliveryError(`${maskPhone(to)} has opted out of SMS`, 'opted_out');
    }
    const params: TwilioMessageCreateParams = { to, body: this.body(out), statusCallback: this.statusCallbackUrl() };
    if (this.config.messagingServiceSid) {
      params.messagingServiceSid = this.config.messagingServiceSid;
      // Within a Messaging Service, From picks the sender from its pool: answer from the number the customer wrote to.
      if (from) params.from = from;
    } else {
      params.from = from ?? this.config.from;
    }
    const client = await this.getClient();
    try {
      const msg = await client.messages.create(params);
      this.lastFailure = undefined;
      this.log.info({ outboxId: out.id, ticket: out.ticketNumber, to: maskPhone(to), sid: msg.sid }, 'sms sent');
      return { externalId: msg.sid };
    } catch (err) {
      throw await this.classify(err, out);
    }
  }

  private body(out: OutboundMessage): string {
    let body = out.text.trim();
    // Customers quote the ticket number on any channel later; make sure every SMS carries it.
    if (out.ticketNumber && !body.includes(out.ticketNumber)) body = `${body}\n[${out.ticketNumber}]`;
    if (body.length > MAX_BODY_CHARS) {
      this.log.warn({ outboxId: out.id, chars: body.length }, 'sms body truncated to 1600 characters');
      body = `${body.slice(0, MAX_BODY_CHARS - 1)}…`;
    }
    return body;
  }

  protected async getClient(): Promise<TwilioMessagingClient> {
    if (this.client) return this.client;
    this.clientPromise ??= createRealClient(this.config);
    this.client = await this.clientPromise;
    return this.client;
  }

  /** The outbox's error for a failed REST call: retriable (plain Error) or not ({@link PermanentDeliveryError}). */
  protected async classify(err: unknown, out: OutboundMessage, what = 'sms'): Promise<Error> {
    const e = err as { status?: number; code?: number; message?: string };
    const status = typeof e.status === 'number' ? e.status : undefined;
    const code = typeof e.code === 'number' ? e.code : undefined;
    const detail = `${status ?? 'network'}${code ? `/${code}` : ''}: ${e.message ?? String(err)}`;
    if (isRetriable(status)) {
      this.lastFailure = { at: new Date().toISOString(), detail };
      this.log.warn({ outboxId: out.id, to: maskPhone(out.to), status, code }, `${what} send failed, will be retried`);
      const retry = new Error(`Twilio ${what === 'sms' ? 'send' : what} failed (${detail})`, { cause: err });
      return retry;
    }
    if (code === UNSUBSCRIBED) await this.optOuts.optOut(out.to, `twilio:${code}`);
    this.log.warn({ outboxId: out.id, to: maskPhone(out.to), status, code }, `${what} rejected permanently`);
    return new PermanentDeliveryError(`Twilio rejected the ${what === 'sms' ? 'SMS' : what} (${detail})`, code !== undefined ? String(code) : `http_${status}`);
  }
}

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { InboundMessage, InboundSink } from '../types.js';
import { newSessionId, type SessionSigner, type WidgetSession } from './session-token.js';
import type { TranscriptEntry, TranscriptReader } from './transcript.js';
import { reportedTimeZone } from './reported-time-zone.js';

/** Where the widget opens its socket. */
export const WIDGET_SOCKET_PATH = '/chat/ws';

const MAX_TEXT = 4000;
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const ORDER = /^[A-Za-z0-9-]{1,64}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
/** Messages a visitor may send per minute, however many sockets or reconnects; typing by hand never gets near it. */
const RATE_PER_MINUTE = 20;
/** Messages one network address may send per minute (several visitors behind one NAT, or one visitor dropping its token). */
const RATE_PER_ADDRESS_MINUTE = 60;
const HELLO_TIMEOUT_MS = 10_000;
const PING_INTERVAL_MS = 30_000;

/** The pre-chat fields a visitor may fill in before the first message. */
export interface PrechatProfile {
  name?: string;
  contact?: string;
  order?: string;
}

/** What the server pushes to a widget. */
export type WidgetEvent =
  | { type: 'session'; token: string }
  | { type: 'history'; ticketNumber?: string; statusToken?: string; entries: TranscriptEntry[] }
  | { type: 'accepted'; clientId: string }
  | ({ type: 'message'; id: string; role: TranscriptEntry['role']; text: string; at: string; ticketNumber?: string } & Pick<TranscriptEntry, 'kind' | 'csat'>)
  | { type: 'typing'; on: boolean }
  | { type: 'error'; code: 'invalid' | 'rate_limited' | 'unavailable' | 'no_session'; message: string; clientId?: string };

interface Client {
  socket: WebSocket;
  session?: WidgetSession;
  /** The peer's network address, for the per-address limit. */
  address: string;
  alive: boolean;
}

export interface WidgetServerOptions {
  signer: () => SessionSigner;
  sink: () => InboundSink | undefined;
  transcript?: TranscriptReader;
  allowedOrigins?: string[];
  logger: Logger;
}

/**
 * The widget's WebSocket endpoint. A browser says hello with its stored session
 * token (or none: a new visitor and conversation are made up); the token is the
 * only key to a conversation's history and live replies, so one visitor can never
 * read another's conversation.
 */
export class WidgetServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 });
  private readonly byConversation = new Map<string, Set<Client>>();
  /** Send times per visitor and per address: kept across reconnects, so closing a socket does not reset the limit. */
  private readonly perVisitor = new SlidingWindowLimit(RATE_PER_MINUTE, 60_000);
  private readonly perAddress = new SlidingWindowLimit(RATE_PER_ADDRESS_MINUTE, 60_000);
  private readonly log: Logger;
  private pinger?: NodeJS.Timeout;

  constructor(private readonly opts: WidgetServerOptions) {
    this.log = opts.logger.child({ module: 'adapters/webchat/widget' });
  }

  /** Takes WebSocket upgrades for {@link WIDGET_SOCKET_PATH} on the gateway's HTTP server; other upgrades are left alone. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== WIDGET_SOCKET_PATH) return;
      const origin = req.headers.origin;
      if (this.opts.allowedOrigins && (!origin || !this.opts.allowedOrigins.includes(origin))) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req.socket.remoteAddress ?? 'unknown'));
    });
    this.pinger = setInterval(() => this.ping(), PING_INTERVAL_MS);
    this.pinger.unref();
  }

  /** Pushes an event to every open widget of a conversation; returns how many got it. */
  deliver(conversationId: string, event: WidgetEvent): number {
    const clients = this.byConversation.get(conversationId);
    if (!clients) return 0;
    let n = 0;
    for (const c of clients) if (this.push(c, event)) n++;
    return n;
  }

  connections(): number {
    return this.wss.clients.size;
  }

  /** Drops every open socket (the HTTP server is closing; widgets reconnect to whichever process answers next). */
  disconnectAll(): void {
    for (const ws of this.wss.clients) ws.close(1012, 'server restarting');
    setTimeout(() => {
      for (const ws of this.wss.clients) ws.terminate();
    }, 1000).unref();
  }

  async close(): Promise<void> {
    if (this.pinger) clearInterval(this.pinger);
    for (const ws of this.wss.clients) ws.terminate();
    this.byConversation.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket, address: string): void {
    const client: Client = { socket, address, alive: true };
    const helloTimer = setTimeout(() => {
      if (!client.session) socket.close(4001, 'no hello');
    }, HELLO_TIMEOUT_MS);
    socket.on('pong', () => (client.alive = true));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return void this.push(client, { type: 'error', code: 'invalid', message: 'send JSON text frames' });
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString('utf8'));
      } catch {
        return void this.push(client, { type: 'error', code: 'invalid', message: 'not JSON' });
      }
      // `null`, `42`, `"x"` and `[]` are JSON too: only an object is a frame.
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return void this.push(client, { type: 'error', code: 'invalid', message: 'a frame is a JSON object with a "type"' });
      }
      const msg = parsed as Record<string, unknown>;
      // Nothing a visitor sends may escape this handler: an exception here would end the process.
      this.onFrame(client, msg).catch((err) => {
        this.log.error({ err }, 'widget frame failed');
        const clientId = typeof msg.clientId === 'string' && CLIENT_ID.test(msg.clientId) ? msg.clientId : undefined;
        this.push(client, { type: 'error', code: 'unavailable', message: 'the service is unavailable; please try again', clientId });
      });
    });
    socket.on('close', () => {
      clearTimeout(helloTimer);
      this.forget(client);
    });
    socket.on('error', () => this.forget(client));
  }

  private async onFrame(client: Client, msg: Record<string, unknown>): Promise<void> {
    switch (msg.type) {
      case 'hello': {
        // A bad or stale token is not an error the visitor can fix: they start a new conversation.
        const session = this.opts.signer().verify(msg.token) ?? { visitorId: newSessionId(), conversationId: newSessionId(), issuedAt: Date.now() };
        this.forget(client);
        client.session = session;
        let set = this.byConversation.get(session.conversationId);
        if (!set) this.byConversation.set(session.conversationId, (set = new Set()));
        set.add(client);
        // A fresh token on every hello: an active conversation never expires under the visitor.
        this.push(client, { type: 'session', token: this.opts.signer().issue(session) });
        await this.sendHistory(client);
        return;
      }
      case 'sync':
        if (!client.session) return void this.push(client, { type: 'error', code: 'no_session', message: 'say hello first' });
        await this.sendHistory(client);
        return;
      case 'message':
        await this.onMessage(client, msg);
        return;
      default:
        this.push(client, { type: 'error', code: 'invalid', message: 'unknown frame type' });
    }
  }

  private async sendHistory(client: Client): Promise<void> {
    const s = client.session!;
    const transcript = this.opts.transcript ? await this.opts.transcript('webchat', s.conversationId, visitorAddress(s.visitorId)) : undefined;
    this.push(client, { type: 'history', ticketNumber: transcript?.ticketNumber, statusToken: transcript?.statusToken, entries: transcript?.entries ?? [] });
  }

  private async onMessage(client: Client, msg: Record<string, unknown>): Promise<void> {
    const clientId = typeof msg.clientId === 'string' && CLIENT_ID.test(msg.clientId) ? msg.clientId : undefined;
    if (!client.session) return void this.push(client, { type: 'error', code: 'no_session', message: 'say hello first', clientId });
    if (!clientId) return void this.push(client, { type: 'error', code: 'invalid', message: 'clientId must be 8 to 64 letters, digits, _ or -' });
    const text = typeof msg.text === 'string' ? msg.text.trim() : '';
    if (!text || text.length > MAX_TEXT)
      return void this.push(client, { type: 'error', code: 'invalid', message: `write 1 to ${MAX_TEXT} characters`, clientId });
    const now = Date.now();
    if (!this.perVisitor.allows(client.session.visitorId, now) || !this.perAddress.allows(client.address, now)) {
      return void this.push(client, { type: 'error', code: 'rate_limited', message: 'too many messages; wait a minute', clientId });
    }

    const sink = this.opts.sink();
    if (!sink) return void this.push(client, { type: 'error', code: 'unavailable', message: 'web chat is not started', clientId });
    const s = client.session;
    const profile = prechat(msg.profile);
    const lang = msg.lang === 'zh' || msg.lang === 'en' ? msg.lang : undefined;
    const timeZone = reportedTimeZone(msg.timeZone);
    const at = new Date(now).toISOString();
    const inbound: InboundMessage = {
      channel: 'webchat',
      // The browser's id for the message: a resend after a reconnect is the same journal entry.
      externalId: `widget:${s.conversationId}:${clientId}`,
      receivedAt: at,
      from: { address: visitorAddress(s.visitorId), ...(profile.name ? { name: profile.name } : {}) },
      threadKey: s.conversationId,
      text,
      attachments: [],
      meta: {
        via: 'widget',
        conversationId: s.conversationId,
        ...(profile.contact ? { contact: profile.contact } : {}),
        ...(profile.order ? { orderNumber: profile.order } : {}),
        ...(lang ? { widgetLanguage: lang } : {}),
        // The browser's zone: quiet hours for progress messages are the visitor's night.
        ...(timeZone ? { timeZone } : {}),
        // The message the widget sends right after a rating given with its buttons: the gateway keeps it as the rating's comment.
        ...(msg.csatComment === true ? { csatComment: true } : {}),
      },
    };
    await sink(inbound);
    this.push(client, { type: 'accepted', clientId });
    // The visitor's other tabs show the message too; every tab shows that an answer is coming.
    for (const other of this.byConversation.get(s.conversationId) ?? []) {
      if (other !== client) this.push(other, { type: 'message', id: inbound.externalId, role: 'visitor', text, at });
    }
    this.deliver(s.conversationId, { type: 'typing', on: true });
  }

  private push(client: Client, event: WidgetEvent): boolean {
    if (client.socket.readyState !== client.socket.OPEN) return false;
    client.socket.send(JSON.stringify(event));
    return true;
  }

  private forget(client: Client): void {
    if (!client.session) return;
    const set = this.byConversation.get(client.session.conversationId);
    set?.delete(client);
    if (set && set.size === 0) this.byConversation.delete(client.session.conversationId);
  }

  private ping(): void {
    const now = Date.now();
    this.perVisitor.prune(now);
    this.perAddress.prune(now);
    for (const set of this.byConversation.values()) {
      for (const c of set) {
        if (!c.alive) {
          c.socket.terminate();
          continue;
        }
        c.alive = false;
        c.socket.ping();
      }
    }
  }
}

/** The stable address a widget visitor has in InboundMessage.from (identity kind "webchat"). */
export function visitorAddress(visitorId: string): string {
  return `visitor:${visitorId}`;
}

/** Pre-chat fields, trimmed and checked; a malformed field is dropped rather than failing the message. */
export function prechat(raw: unknown): { name?: string; contact?: { email?: string; phone?: string }; order?: string } {
  if (!raw || typeof raw !== 'object') return {};
  const p = raw as Record<string, unknown>;
  const str = (v: unknown, max: number) => (typeof v === 'string' && v.trim() && v.trim().length <= max ? v.trim() : undefined);
  const name = str(p.name, 128);
  const contactRaw = str(p.contact, 320);
  const order = str(p.order, 64);
  let contact: { email?: string; phone?: string } | undefined;
  if (contactRaw && EMAIL.test(contactRaw)) contact = { email: contactRaw.toLowerCase() };
  else if (contactRaw) {
    const phone = phoneE164(contactRaw);
    if (phone) contact = { phone };
  }
  return { name, contact, order: order && ORDER.test(order) ? order : undefined };
}

/** E.164 when we can tell; mainland mobiles without +86 get it (same rule as the gateway's identity resolution). */
function phoneE164(raw: string): string | undefined {
  const digits = raw.replace(/[\s().-]/g, '');
  if (/^\+\d{7,15}$/.test(digits)) return digits;
  if (/^00\d{7,15}$/.test(digits)) return `+${digits.slice(2)}`;
  if (/^1[3-9]\d{9}$/.test(digits)) return `+86${digits}`;
  return undefined;
}

/** At most `limit` events per key in any `windowMs`; an allowed event is counted. */
class SlidingWindowLimit {
  private readonly times = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  allows(key: string, now: number): boolean {
    const recent = (this.times.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.limit) {
      this.times.set(key, recent);
      return false;
    }
    recent.push(now);
    this.times.set(key, recent);
    return true;
  }

  /** Forgets keys with nothing in the window (memory stays bounded by recent senders). */
  prune(now: number): void {
    for (const [key, times] of this.times) if (times.every((t) => now - t >= this.windowMs)) this.times.delete(key);
  }
}

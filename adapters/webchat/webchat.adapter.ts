import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { WebchatConfig } from '../../config/channels/webchat.schema.js';
import { PermanentDeliveryError, type AdapterHealth, type ChannelAdapter, type InboundSink, type OutboundMessage } from '../types.js';
import type { AdapterStateStore } from '../../contracts/adapter-state.js';
import type { ClusterBus } from '../../contracts/cluster-bus.js';
import type { BotFrameworkChannel } from './bot-framework.js';
import { SessionSigner } from './session-token.js';
import { widgetMessageKind, type TranscriptEntry, type TranscriptReader } from './transcript.js';
import { WidgetServer, type WidgetEvent } from './widget-server.js';

export interface WebchatAdapterOptions {
  config: WebchatConfig;
  state: AdapterStateStore;
  logger: Logger;
  /** Reads a visitor's own conversation back (history after a reload). */
  transcript?: TranscriptReader;
  /** Carries replies to widget sockets held by the other gateway processes on the same database. */
  bus?: ClusterBus;
}

/** A reply for the widget sockets of one conversation, wherever they are connected. */
interface WidgetDelivery {
  conversationId: string;
  events: WidgetEvent[];
}

/** The visitor-facing role of an outgoing message, from the kind the gateway gave it. */
function roleOf(kind: unknown): TranscriptEntry['role'] {
  if (kind === 'agent_reply') return 'agent';
  if (kind === 'bot_answer' || kind === 'auto_reply') return 'bot';
  return 'system';
}

/**
 * The 'webchat' channel: the embeddable widget (WebSocket at /chat/ws) and the
 * Bot Framework endpoint (POST /api/messages, Teams and other Bot Framework
 * channels). Replies go back the way the customer's latest message came
 * (`meta.inbound.via`): a live push to the widget, or a Bot Framework message
 * through the stored conversation reference.
 */
export class WebchatAdapter implements ChannelAdapter {
  readonly id = 'webchat' as const;
  readonly widget: WidgetServer;
  private sink?: InboundSink;
  private signer?: SessionSigner;
  private botFramework?: BotFrameworkChannel;
  private readonly log: Logger;

  constructor(private readonly opts: WebchatAdapterOptions) {
    this.log = opts.logger.child({ module: 'adapters/webchat' });
    this.widget = new WidgetServer({
      signer: () => {
        if (!this.signer) throw new Error('web chat is not started');
        return this.signer;
      },
      sink: () => this.sink,
      transcript: opts.transcript,
      allowedOrigins: opts.config.allowedOrigins,
      logger: opts.logger,
    });
    opts.bus?.subscribe('webchat.deliver', (notice) => {
      const { conversationId, events } = notice as WidgetDelivery;
      for (const event of events) this.widget.deliver(conversationId, event);
    });
  }

  async start(sink: InboundSink): Promise<void> {
    this.sink = sink;
    this.signer = new SessionSigner(await this.sessionSecret(), this.opts.config.sessionMaxAgeMs);
    // botbuilder takes most of a second to import: load it here, not when the gateway module loads.
    const { BotFrameworkChannel } = await import('./bot-framework.js');
    this.botFramework = new BotFrameworkChannel({
      config: this.opts.config.botFramework,
      sink: () => this.sink,
      state: this.opts.state,
      logger: this.opts.logger,
    });
  }

  async stop(): Promise<void> {
    this.sink = undefined;
    await this.widget.close();
  }

  /** POST /api/messages; mount it at that path before the JSON body parser. Answers 503 until the adapter is started. */
  botRouter(): Router {
    const router = Router();
    let inner: Router | undefined;
    router.use((req, res, next) => {
      if (!this.botFramework) {
        res.status(503).json({ error: { code: 'unavailable', message: 'web chat is starting' } });
        return;
      }
      inner ??= this.botFramework.router();
      inner(req, res, next);
    });
    return router;
  }

  /** Takes the widget's WebSocket upgrades on the gateway's HTTP server; returns what drops the open sockets when it closes. */
  attach(server: Server): () => void {
    this.widget.attach(server);
    return () => this.widget.disconnectAll();
  }

  /** The session signer, once started (tests issue tokens with it). */
  get sessions(): SessionSigner | undefined {
    return this.signer;
  }

  async send(out: OutboundMessage): Promise<{ externalId: string }> {
    const inbound = (out.meta.inbound ?? {}) as Record<string, unknown>;
    if (inbound.via === 'botframework') {
      if (!this.botFramework) throw new Error('web chat is not started');
      return this.botFramework.send(out);
    }
    const conversationId = out.threadKey ?? (typeof inbound.conversationId === 'string' ? inbound.conversationId : undefined);
    if (!conversationId) throw new PermanentDeliveryError(`no web chat conversation for ${out.to}`, 'no_conversation');
    // The satisfaction question is marked (kind 'csat'), so the widget shows rating buttons without reading the text.
    const kind = widgetMessageKind(out.meta.kind);
    const events: WidgetEvent[] = [
      { type: 'typing', on: false },
      {
        type: 'message',
        id: `out-${out.id}`,
        role: roleOf(out.meta.kind),
        text: out.text,
        at: new Date().toISOString(),
        ticketNumber: out.ticketNumber,
        ...(kind ? { kind } : {}),
        ...(kind === 'csat' ? { csat: { open: true, score: null } } : {}),
      },
    ];
    // The visitor's socket may be held by another gateway process: the bus hands the reply to every process (this one included).
    if (this.opts.bus) this.opts.bus.publish('webchat.deliver', { conversationId, events } satisfies WidgetDelivery);
    else for (const event of events) this.widget.deliver(conversationId, event);
    // A visitor who is not connected now reads the reply from the transcript when the widget reconnects.
    this.log.debug({ conversationId }, 'web chat reply');
    return { externalId: `widget:${out.id}` };
  }

  async health(): Promise<AdapterHealth> {
    if (!this.signer) return { status: 'down', detail: 'not started' };
    return { status: 'up', detail: `${this.widget.connections()} widget connection(s)` };
  }

  /**
   * The configured secret, or one made once and kept in the state store so sessions survive restarts. Processes
   * starting together on one database agree on the first one stored, so a widget session is valid on all of them.
   */
  private async sessionSecret(): Promise<string> {
    if (this.opts.config.sessionSecret) return this.opts.config.sessionSecret;
    const stored = await this.opts.state.get<string>('sessionSecret');
    if (stored) return stored;
    const made = randomBytes(32).toString('base64url');
    const kept = this.opts.state.setIfAbsent
      ? await this.opts.state.setIfAbsent('sessionSecret', made)
      : (await this.opts.state.set('sessionSecret', made), made);
    if (kept === made)
      this.log.warn('WEBCHAT_SESSION_SECRET is not set: generated one and stored it in the database (every gateway process on it uses that one)');
    return kept;
  }
}

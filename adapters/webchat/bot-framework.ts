import express, { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import {
  ActivityHandler,
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  DeliveryModes,
  TurnContext,
  type Activity,
  type ConversationReference,
} from 'botbuilder';
import type { BotFrameworkConfig } from '../../config/channels/webchat.schema.js';
import { PermanentDeliveryError, type AdapterStateStore, type Attachment, type InboundMessage, type InboundSink, type OutboundMessage } from '../types.js';

/**
 * Turns a Bot Framework message activity into an InboundMessage, or undefined for
 * activities that carry nothing to record (typing, an empty message).
 */
export function activityToInbound(activity: Partial<Activity>, now = new Date()): InboundMessage | undefined {
  if (activity.type !== ActivityTypes.Message || !activity.conversation?.id || !activity.from?.id) return undefined;
  const text = (activity.text ?? '').trim();
  const attachments: Attachment[] = (activity.attachments ?? [])
    .filter((a) => typeof a.contentUrl === 'string' && a.contentUrl.length <= 4096)
    .map((a) => ({ name: a.name ?? 'attachment', contentType: a.contentType ?? 'application/octet-stream', size: 0, ref: a.contentUrl! }));
  if (!text && attachments.length === 0) return undefined;
  const reference = TurnContext.getConversationReference(activity);
  const conversationId = activity.conversation.id;
  return {
    channel: 'webchat',
    // Activity ids are unique within a conversation only (Teams uses timestamps), so the conversation qualifies them.
    externalId: `${conversationId}|${activity.id ?? activity.timestamp ?? now.toISOString()}`,
    receivedAt: activity.timestamp ? new Date(activity.timestamp).toISOString() : now.toISOString(),
    from: { address: `${activity.channelId ?? 'unknown'}:${activity.from.id}`, ...(activity.from.name ? { name: activity.from.name.slice(0, 256) } : {}) },
    ...(activity.recipient?.id ? { to: activity.recipient.id } : {}),
    threadKey: conversationId,
    text,
    ...(languageOf(activity.locale) ? { language: languageOf(activity.locale) } : {}),
    attachments,
    meta: {
      via: 'botframework',
      channelId: activity.channelId,
      activityId: activity.id,
      conversationReference: reference,
      ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
    },
  };
}

function languageOf(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  if (/^zh[-_](tw|hk|mo|hant)/i.test(locale)) return 'zh-Hant';
  if (/^zh/i.test(locale)) return 'zh-Hans';
  if (/^en/i.test(locale)) return 'en';
  return undefined;
}

/**
 * Turns that asked for `deliveryMode: expectReplies` wait here for the
 * acknowledgement, so it goes back in the HTTP response instead of a later call.
 */
export class ReplyWaiters {
  private readonly open = new Map<string, { buffer: Array<Partial<Activity>>; closed: boolean; wake?: () => void }>();
  private seq = 0;

  /** Registers a waiting turn and resolves with what arrived once something did (plus a short grace) or the wait ran out. */
  wait(conversationId: string, maxMs: number, graceMs = 150): Promise<Array<Partial<Activity>>> {
    const w: { buffer: Array<Partial<Activity>>; closed: boolean; wake?: () => void } = { buffer: [], closed: false };
    this.open.set(conversationId, w);
    return new Promise((resolve) => {
      const finish = () => {
        if (w.closed) return;
        w.closed = true; // from here on, replies go out as proactive messages
        if (this.open.get(conversationId) === w) this.open.delete(conversationId);
        clearTimeout(timer);
        resolve(w.buffer);
      };
      const timer = setTimeout(finish, maxMs);
      w.wake = () => setTimeout(finish, graceMs);
    });
  }

  /** Hands an outgoing activity to a waiting turn; returns its id, or undefined when no turn is waiting. */
  offer(conversationId: string, activity: Partial<Activity>): string | undefined {
    const w = this.open.get(conversationId);
    if (!w || w.closed) return undefined;
    const id = `expect-replies-${Date.now()}-${++this.seq}`;
    w.buffer.push({ ...activity, id });
    if (w.buffer.length === 1) w.wake?.();
    return id;
  }
}

/** The bot: message activities become journal entries; the conversation reference is kept for replies. */
export class WebchatBot extends ActivityHandler {
  constructor(deps: { sink: () => InboundSink | undefined; state: AdapterStateStore; waiters: ReplyWaiters; expectRepliesWaitMs: number; logger: Logger }) {
    super();
    this.onMessage(async (context, next) => {
      const inbound = activityToInbound(context.activity);
      if (inbound) {
        const sink = deps.sink();
        if (!sink) throw new Error('web chat is not started');
        const conversationId = inbound.threadKey!;
        await deps.state.set(`ref:${conversationId}`, inbound.meta.conversationReference);
        const expectReplies = context.activity.deliveryMode === DeliveryModes.ExpectReplies;
        // Register before the journal append: the acknowledgement can be sent before the append returns.
        const replies = expectReplies ? deps.waiters.wait(conversationId, deps.expectRepliesWaitMs) : undefined;
        // Durable before we answer: if the append fails the channel gets a 500 and redelivers.
        await sink(inbound);
        if (replies) {
          for (const activity of await replies) await context.sendActivity(activity);
        } else {
          await context.sendActivity({ type: ActivityTypes.Typing }).catch((err) => deps.logger.debug({ err }, 'typing indicator not sent'));
        }
      }
      await next();
    });
  }
}

/** The Bot Framework side of web chat: CloudAdapter, the bot, and proactive replies. */
export class BotFrameworkChannel {
  readonly adapter: CloudAdapter;
  readonly bot: WebchatBot;
  readonly waiters = new ReplyWaiters();
  private readonly log: Logger;

  constructor(private readonly deps: { config: BotFrameworkConfig; sink: () => InboundSink | undefined; state: AdapterStateStore; logger: Logger }) {
    this.log = deps.logger.child({ module: 'adapters/webchat/botframework' });
    const c = deps.config;
    // Without an app id the adapter accepts unauthenticated requests (Bot Framework Emulator, local development).
    const auth = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: c.appId ?? '',
      MicrosoftAppPassword: c.appPassword ?? '',
      MicrosoftAppType: c.appType,
      MicrosoftAppTenantId: c.tenantId ?? '',
    });
    this.adapter = new CloudAdapter(auth);
    this.adapter.onTurnError = async (context, err) => {
      this.log.error({ err, conversationId: context.activity.conversation?.id }, 'bot turn failed');
      throw err; // the request answers 500 and the channel retries; nothing was acknowledged
    };
    this.bot = new WebchatBot({ sink: deps.sink, state: deps.state, waiters: this.waiters, expectRepliesWaitMs: c.expectRepliesWaitMs, logger: this.log });
  }

  /** POST /api/messages (mount at that path, before any other body parser). */
  router(): Router {
    const router = Router();
    router.post('/', express.json({ limit: '1mb' }), async (req: Request, res: Response, next) => {
      try {
        // Answered here so a missing header is a plain 401, not a logged exception inside botbuilder.
        if (this.deps.config.appId && !req.get('authorization')) {
          res.status(401).json({ error: { code: 'unauthorized', message: 'Bot Framework requests must carry a Bot Connector token' } });
          return;
        }
        const body = req.body as { type?: unknown } | undefined;
        if (!body || typeof body !== 'object' || typeof body.type !== 'string') {
          res.status(400).json({ error: { code: 'bad_request', message: 'send a Bot Framework activity (JSON with a "type")' } });
          return;
        }
        await this.adapter.process(req, res, (context) => this.bot.run(context));
      } catch (err) {
        next(err);
      }
    });
    return router;
  }

  /** Sends a reply into the conversation: inside a waiting expectReplies turn, else as a proactive message. */
  async send(out: OutboundMessage): Promise<{ externalId: string }> {
    const inbound = (out.meta.inbound ?? {}) as { conversationReference?: Partial<ConversationReference> };
    const conversationId = out.threadKey ?? inbound.conversationReference?.conversation?.id;
    // The stored reference is the freshest (a channel may move a conversation to another serviceUrl).
    const reference = (conversationId && (await this.deps.state.get<Partial<ConversationReference>>(`ref:${conversationId}`))) || inbound.conversationReference;
    if (!conversationId || !reference?.serviceUrl) throw new PermanentDeliveryError(`no Bot Framework conversation reference for ${out.to}`, 'no_conversation_reference');
    const activity: Partial<Activity> = { type: ActivityTypes.Message, text: out.text, ...(out.language ? { locale: out.language.startsWith('zh') ? 'zh-CN' : 'en-US' } : {}) };

    const buffered = this.waiters.offer(conversationId, activity);
    if (buffered) return { externalId: buffered };

    let externalId: string | undefined;
    try {
      await this.adapter.continueConversationAsync(this.deps.config.appId ?? '', reference, async (context) => {
        const sent = await context.sendActivity(activity);
        externalId = sent?.id;
      });
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      // 403/404: the bot was removed from the conversation or it no longer exists; retrying cannot help.
      if (status === 400 || status === 403 || status === 404) throw new PermanentDeliveryError(`Bot Connector refused the reply (${status}): ${(err as Error).message}`, `botframework_${status}`);
      throw err;
    }
    return { externalId: externalId ?? `botframework:${out.id}` };
  }
}

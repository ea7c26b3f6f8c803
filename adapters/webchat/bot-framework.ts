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
import type { BotFrameworkConfig, ServiceUrlRule } from '../../config/channels/webchat.schema.js';
import { refuseDeepJson } from '../json-depth.js';
import { PermanentDeliveryError, type Attachment, type InboundMessage, type InboundSink, type OutboundMessage } from '../types.js';
import type { AdapterStateStore } from '../../contracts/adapter-state.js';
import { reportedTimeZone } from './reported-time-zone.js';

/** Control characters: no Bot Framework id carries one, and they break keys and log lines. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** `v` when it is a non-empty string of at most `max` characters without control characters. */
const plainString = (v: unknown, max: number): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= max && !CONTROL.test(v) ? v : undefined;

/**
 * Why a message activity's ids cannot be recorded, or undefined. The limits keep the derived
 * keys inside the columns they land in (`ref:<conversation>` in the 256-character state key,
 * `<conversation>|<activity>` as the 512-character externalId, `<channel>:<from>` as a 320-character address).
 */
export function activityIdProblem(activity: Partial<Activity>): string | undefined {
  const fields: Array<[string, unknown, number]> = [
    ['conversation.id', activity.conversation?.id, 200],
    ['from.id', activity.from?.id, 256],
    ['id', activity.id, 256],
    ['channelId', activity.channelId, 63],
    ['recipient.id', activity.recipient?.id, 320],
  ];
  for (const [name, value, max] of fields) {
    if (typeof value === 'string' && value.length > 0 && !plainString(value, max))
      return `${name} is not a Bot Framework id (over ${max} characters or control characters)`;
  }
  return undefined;
}

/**
 * Turns a Bot Framework message activity into an InboundMessage, or undefined for
 * activities that carry nothing to record (typing, an empty message, ids that are not text).
 * Only known fields of known types are read: the activity is whatever the sender posted.
 */
export function activityToInbound(activity: Partial<Activity>, now = new Date()): InboundMessage | undefined {
  if (activity.type !== ActivityTypes.Message) return undefined;
  const conversationId = plainString(activity.conversation?.id, 200);
  const fromId = plainString(activity.from?.id, 256);
  if (!conversationId || !fromId) return undefined;
  const body = typeof activity.text === 'string' ? activity.text.trim() : '';
  const attachments: Attachment[] = (Array.isArray(activity.attachments) ? activity.attachments : [])
    .filter((a) => a && typeof a === 'object' && typeof a.contentUrl === 'string' && a.contentUrl.length <= 4096)
    .slice(0, 50)
    .map((a) => ({
      name: typeof a.name === 'string' ? a.name.slice(0, 512) : 'attachment',
      contentType: typeof a.contentType === 'string' ? a.contentType.slice(0, 256) : 'application/octet-stream',
      size: 0,
      ref: a.contentUrl!,
    }));
  if (!body && attachments.length === 0) return undefined;
  const channelId = plainString(activity.channelId, 63) ?? 'unknown';
  const activityId = plainString(activity.id, 256);
  const fromName = typeof activity.from?.name === 'string' && activity.from.name ? activity.from.name.slice(0, 256) : undefined;
  const aadObjectId = plainString(activity.from?.aadObjectId, 256);
  const recipientId = plainString(activity.recipient?.id, 320);
  const language = languageOf(activity.locale);
  const sentAt = isoTime(activity.timestamp);
  const timeZone = reportedTimeZone(activity.localTimezone);
  return {
    channel: 'webchat',
    // Activity ids are unique within a conversation only (Teams uses timestamps), so the conversation qualifies them.
    externalId: `${conversationId}|${activityId ?? sentAt ?? now.toISOString()}`,
    receivedAt: sentAt ?? now.toISOString(),
    from: { address: `${channelId}:${fromId}`, ...(fromName ? { name: fromName } : {}) },
    ...(recipientId ? { to: recipientId } : {}),
    threadKey: conversationId,
    text: body,
    ...(language ? { language } : {}),
    attachments,
    meta: {
      via: 'botframework',
      channelId,
      activityId,
      conversationReference: conversationReferenceOf(activity, conversationId, fromId, activityId),
      ...(aadObjectId ? { aadObjectId } : {}),
      ...(timeZone ? { timeZone } : {}),
    },
  };
}

/**
 * What a reply needs to find the conversation again, built from known string fields only
 * (botbuilder's getConversationReference copies whole objects, whatever they hold).
 */
function conversationReferenceOf(
  activity: Partial<Activity>,
  conversationId: string,
  fromId: string,
  activityId: string | undefined,
): Partial<ConversationReference> {
  const pick = (o: unknown, keys: string[]): Record<string, string | boolean> => {
    const out: Record<string, string | boolean> = {};
    if (!o || typeof o !== 'object') return out;
    for (const k of keys) {
      const v = (o as Record<string, unknown>)[k];
      if (typeof v === 'boolean' || plainString(v, 256)) out[k] = v as string | boolean;
    }
    return out;
  };
  const recipientId = plainString(activity.recipient?.id, 320);
  return {
    ...(activityId ? { activityId } : {}),
    user: { ...pick(activity.from, ['name', 'role', 'aadObjectId']), id: fromId } as ConversationReference['user'],
    ...(recipientId ? { bot: { ...pick(activity.recipient, ['name', 'role']), id: recipientId } as ConversationReference['bot'] } : {}),
    conversation: {
      ...pick(activity.conversation, ['name', 'conversationType', 'tenantId', 'isGroup']),
      id: conversationId,
    } as ConversationReference['conversation'],
    channelId: plainString(activity.channelId, 63) ?? 'unknown',
    ...(plainString(activity.locale, 32) ? { locale: activity.locale } : {}),
    ...(plainString(activity.serviceUrl, 2048) ? { serviceUrl: activity.serviceUrl } : {}),
  };
}

function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * Why a reply may not go to `serviceUrl`, or undefined when it may. Replies are POSTed there
 * (with the bot's token when an app id is set), so only Microsoft's Bot Connector hosts and
 * the ones an operator added pass; the URL is compared after WHATWG parsing, which folds the
 * tricks (decimal IPs, `user@host`, upper case) into the host that would really be called.
 */
export function serviceUrlRefusal(serviceUrl: unknown, rules: readonly ServiceUrlRule[]): string | undefined {
  if (typeof serviceUrl !== 'string' || serviceUrl.length === 0) return 'the activity has no serviceUrl';
  if (serviceUrl.length > 2048) return 'the serviceUrl is over 2048 characters';
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return 'the serviceUrl is not a URL';
  }
  if (url.username || url.password) return 'the serviceUrl carries credentials';
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const host = url.hostname.toLowerCase();
  const allowed = rules.some(
    (r) =>
      r.protocol === url.protocol &&
      (r.port === '*' || r.port === port) &&
      (r.host.startsWith('*.') ? host.endsWith(r.host.slice(1)) && host.length > r.host.length - 1 : host === r.host),
  );
  return allowed
    ? undefined
    : `serviceUrl ${url.protocol}//${url.host.slice(0, 200)} is not a Bot Framework service (allowed: Microsoft's hosts and WEBCHAT_BOT_SERVICE_HOSTS)`;
}

function languageOf(locale: unknown): string | undefined {
  if (typeof locale !== 'string' || !locale) return undefined;
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

/** Activities nest a few levels (an Adaptive Card in an attachment maybe twenty); far more is not an activity. */
const MAX_JSON_DEPTH = 64;

/**
 * CloudAdapter with its turn runner in reach. The router authenticates the request itself and
 * then runs the turn: botbuilder's own process() console.errors every refused token with a stack
 * and answers 500 with the error text for anything else that goes wrong.
 */
class GatewayCloudAdapter extends CloudAdapter {
  runTurn(authenticated: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authenticated, activity, logic);
  }
}

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** The Bot Framework side of web chat: CloudAdapter, the bot, and proactive replies. */
export class BotFrameworkChannel {
  readonly adapter: GatewayCloudAdapter;
  readonly bot: WebchatBot;
  readonly waiters = new ReplyWaiters();
  private readonly auth: ConfigurationBotFrameworkAuthentication;
  private readonly log: Logger;

  constructor(private readonly deps: { config: BotFrameworkConfig; sink: () => InboundSink | undefined; state: AdapterStateStore; logger: Logger }) {
    this.log = deps.logger.child({ module: 'adapters/webchat/botframework' });
    const c = deps.config;
    // Without an app id the adapter accepts unauthenticated requests (Bot Framework Emulator, local development).
    this.auth = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: c.appId ?? '',
      MicrosoftAppPassword: c.appPassword ?? '',
      MicrosoftAppType: c.appType,
      MicrosoftAppTenantId: c.tenantId ?? '',
    });
    this.adapter = new GatewayCloudAdapter(this.auth);
    // The router hands turn errors to the gateway's error handler: a refused message is a 400,
    // an unavailable database a 503, anything else a logged 500 the channel retries.
    this.adapter.onTurnError = async (_context, err) => {
      throw err;
    };
    this.bot = new WebchatBot({ sink: deps.sink, state: deps.state, waiters: this.waiters, expectRepliesWaitMs: c.expectRepliesWaitMs, logger: this.log });
  }

  /** POST /api/messages (mount at that path, before any other body parser). */
  router(): Router {
    const router = Router();
    router.post(
      '/',
      express.json({ limit: '1mb', verify: refuseDeepJson(MAX_JSON_DEPTH, 'a Bot Framework activity') }),
      async (req: Request, res: Response, next) => {
        try {
          const appId = this.deps.config.appId;
          const authorization = req.get('authorization') ?? '';
          // Answered here so a missing header is a plain 401, not an exception inside botbuilder.
          if (appId && !authorization)
            return this.refuse(res, 401, 'unauthorized', 'Bot Framework requests must carry a Bot Connector token', 'no Authorization header');
          const body = req.body as Record<string, unknown> | undefined;
          if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.type !== 'string') {
            res.status(400).json({ error: { code: 'bad_request', message: 'send a Bot Framework activity (JSON with a "type")' } });
            return;
          }
          const activity = body as unknown as Activity;
          let authenticated: AuthenticateRequestResult;
          try {
            // Without an app id there is nothing to check a token against: any header is ignored, as the Emulator expects.
            authenticated = await this.auth.authenticateRequest(activity, appId ? authorization : '');
          } catch (err) {
            return this.refuseToken(res, err);
          }
          const refusal = serviceUrlRefusal(activity.serviceUrl, this.deps.config.serviceUrlRules);
          // The response names no host: the detail is for the operator's log, not for whoever posted it.
          if (refusal)
            return this.refuse(
              res,
              typeof activity.serviceUrl === 'string' && activity.serviceUrl ? 403 : 400,
              'service_url_not_allowed',
              'serviceUrl is not an allowed Bot Framework service',
              refusal,
            );
          // Only messages are recorded; typing, conversation updates, invokes… are acknowledged and dropped.
          if (activity.type !== ActivityTypes.Message) {
            res.status(200).end();
            return;
          }
          const problem = activityIdProblem(activity);
          if (problem) return this.refuse(res, 400, 'bad_request', problem, problem);
          const result = await this.adapter.runTurn(authenticated, activity, (context) => this.bot.run(context));
          res.status(result?.status ?? 200);
          if (result?.body !== undefined) res.json(result.body);
          else res.end();
        } catch (err) {
          next(err);
        }
      },
    );
    return router;
  }

  /** One warn line with the reason (no stack: a refusal is the sender's problem, not ours) and the JSON error. */
  private refuse(res: Response, status: number, code: string, message: string, reason: string): void {
    this.log.warn({ status, reason: reason.slice(0, 300) }, 'Bot Framework request refused');
    res.status(status).json({ error: { code, message } });
  }

  /**
   * A token botbuilder rejected (AuthenticationError, a 4xx status) is a 401. Anything else means
   * it could not be checked now (Microsoft's signing keys unreachable): 503, so the channel retries.
   */
  private refuseToken(res: Response, err: unknown): void {
    const status = (err as { statusCode?: unknown })?.statusCode;
    const reason = err instanceof Error ? err.message : String(err);
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return this.refuse(res, 401, 'unauthorized', 'the Bot Connector token was refused', reason);
    }
    res.set('Retry-After', '30');
    return this.refuse(res, 503, 'unavailable', 'the Bot Connector token could not be verified now; retry later', `token not verified: ${reason}`);
  }

  /** Sends a reply into the conversation: inside a waiting expectReplies turn, else as a proactive message. */
  async send(out: OutboundMessage): Promise<{ externalId: string }> {
    const inbound = (out.meta.inbound ?? {}) as { conversationReference?: Partial<ConversationReference> };
    const conversationId = out.threadKey ?? inbound.conversationReference?.conversation?.id;
    // The stored reference is the freshest (a channel may move a conversation to another serviceUrl).
    const reference = (conversationId && (await this.deps.state.get<Partial<ConversationReference>>(`ref:${conversationId}`))) || inbound.conversationReference;
    if (!conversationId || !reference?.serviceUrl)
      throw new PermanentDeliveryError(`no Bot Framework conversation reference for ${out.to}`, 'no_conversation_reference');
    // Checked again here: a reference stored before the allow-list (or edited in the database) must not be followed either.
    const refusal = serviceUrlRefusal(reference.serviceUrl, this.deps.config.serviceUrlRules);
    if (refusal) throw new PermanentDeliveryError(`reply not sent: ${refusal}`, 'service_url_not_allowed');
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      text: out.text,
      ...(out.language ? { locale: out.language.startsWith('zh') ? 'zh-CN' : 'en-US' } : {}),
    };

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
      if (status === 400 || status === 403 || status === 404)
        throw new PermanentDeliveryError(`Bot Connector refused the reply (${status}): ${(err as Error).message}`, `botframework_${status}`);
      throw err;
    }
    return { externalId: externalId ?? `botframework:${out.id}` };
  }
}

import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { WechatOfficialConfig } from '../../config/channels/wechat.schema.js';
import type { AdapterStateStore } from '../../contracts/adapter-state.js';
import type { InboundMessage, InboundSink } from '../types.js';
import { WechatMessageCrypto, signaturesMatch, wechatSignature } from './wechat-crypto.js';
import { boundPushFields } from './wechat-field-limits.js';
import { WechatXmlError, type WechatPushFields } from './wechat-official.normalize.js';
import { triageOfficialPush, type WechatPushDecision } from './wechat-official.triage.js';
import { passiveReplyBody, type PassiveReplyTarget } from './wechat-passive-reply.js';
import { WECHAT_PROMPTS, type WechatPrompts } from './wechat-prompts.js';
import { readPush, readPushBody } from './wechat-push-reader.js';
import { opensServiceWindow, recordInteraction } from './wechat-service-window.js';

/** What {@link createWechatRouter} needs. */
export interface WechatRouterDeps {
  config: WechatOfficialConfig;
  /** Durable journal append; a redelivery resolves `{ duplicate: true }`. */
  sink: InboundSink;
  logger: Logger;
  /**
   * An answer that is ready now (a FAQ match), sent as the passive reply. Called before
   * the journal append so the journaled message records what the customer was told in
   * `meta.passiveReply`; resolving `undefined` (or too late) means "answer later".
   */
  answerNow?: (msg: InboundMessage) => Promise<string | undefined>;
  /** How long to wait for `answerNow` (WeChat gives up on a push after 5 s). Default 3500 ms. */
  answerTimeoutMs?: number;
  /** The welcome and prompt texts (default Simplified Chinese, what Official Account followers read). */
  prompts?: WechatPrompts;
  /**
   * The `wechat` adapter state: each follower's last interaction is recorded there, so the
   * sending adapter knows who is still inside WeChat's 48-hour customer-service window.
   */
  state?: AdapterStateStore;
  /** Clock (default Date.now): interaction times, and how old a push's timestamp is. */
  now?: () => number;
}

// WeChat's passive text reply is cut off beyond 2048 bytes; a longer answer goes through the outbox instead.
const PASSIVE_REPLY_MAX_BYTES = 2048;

/**
 * A push whose signed `timestamp` is further than this from our clock (either way) is refused: the signature
 * covers only token, timestamp and nonce, so a captured push could otherwise be replayed for ever. WeChat's
 * own retries come within 15 s of the first try, with the same timestamp.
 */
export const MAX_PUSH_AGE_MS = 5 * 60_000;

/** Why a push's `timestamp` is not acceptable now, or undefined when it is within {@link MAX_PUSH_AGE_MS}. */
export function staleTimestamp(timestamp: string, nowMs: number): string | undefined {
  if (!/^\d{1,12}$/.test(timestamp)) return 'missing or malformed timestamp';
  const skewMs = nowMs - Number(timestamp) * 1000;
  if (skewMs > MAX_PUSH_AGE_MS) return `timestamp ${Math.round(skewMs / 1000)} s old (at most ${MAX_PUSH_AGE_MS / 1000} s)`;
  if (-skewMs > MAX_PUSH_AGE_MS) return `timestamp ${Math.round(-skewMs / 1000)} s in the future (at most ${MAX_PUSH_AGE_MS / 1000} s)`;
  return undefined;
}

function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' ? v : undefined;
}

/** An intake refusal (the gateway's BadRequestError): the message itself is unfit, retrying cannot help. */
function isRefusal(err: unknown): boolean {
  const status = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * The Official Account message-push endpoint (mounted at `/webhooks/wechat`):
 * `GET /` answers the server-URL check, `POST /` receives pushes in plaintext,
 * compatible or safe mode. A push is verified, decrypted, bounded (wechat-field-limits.ts)
 * and triaged (wechat-official.triage.ts) before WeChat gets its answer, within its 5 s:
 * - something the customer said is appended to the journal first, then answered with a
 *   passive text reply when `answerNow` has one, otherwise `success` (the reply then goes
 *   out through the customer-service API);
 * - a follow, a complaint-menu click or an empty message gets a prompt as the passive reply;
 * - other events get `success` and are dropped on purpose.
 * A push that opens WeChat's 48-hour customer-service window (a message, a follow, a menu
 * click, a QR scan) records the follower's interaction time in `state`.
 * What we cannot read gets a 4xx with our own short reason; only a journal failure gets a
 * 5xx, so that WeChat retries (three times in 15 s). A correctly signed push whose timestamp is
 * more than 5 minutes away from our clock is a replay (or a clock gone wrong): 401, nothing journaled.
 */
export function createWechatRouter(deps: WechatRouterDeps): Router {
  const { config, sink } = deps;
  const log = deps.logger.child({ module: 'adapters/wechat/official' });
  const crypto = config.aesKey && config.appId ? new WechatMessageCrypto(config.aesKey, config.appId) : undefined;
  const answerTimeoutMs = deps.answerTimeoutMs ?? 3500;
  const prompts = deps.prompts ?? WECHAT_PROMPTS['zh-CN'];
  const now = deps.now ?? Date.now;
  const router = express.Router();

  router.get('/', (req, res) => {
    const timestamp = queryString(req, 'timestamp') ?? '';
    const nonce = queryString(req, 'nonce') ?? '';
    const echostr = queryString(req, 'echostr');
    if (!echostr || !signaturesMatch(wechatSignature(config.token, timestamp, nonce), queryString(req, 'signature'))) {
      log.warn({ ip: req.ip }, 'wechat URL check with a bad signature');
      res.status(401).type('text/plain').send('bad signature');
      return;
    }
    res.type('text/plain').send(echostr);
  });

  router.post('/', readPushBody(log), async (req: Request, res: Response) => {
    const started = Date.now();
    const timestamp = queryString(req, 'timestamp') ?? '';
    const nonce = queryString(req, 'nonce') ?? '';
    const encrypted = queryString(req, 'encrypt_type') === 'aes';
    if (typeof req.body !== 'string' || req.body.length === 0) {
      res.status(400).type('text/plain').send('expected an XML body (Content-Type: text/xml)');
      return;
    }

    const reading = readPush(
      req.body,
      { timestamp, nonce, encrypted, signature: queryString(req, 'signature'), msgSignature: queryString(req, 'msg_signature') },
      config.token,
      crypto,
    );
    if (!reading.ok) {
      if (reading.status >= 500) log.error(reading.why);
      else log.warn({ ip: req.ip, reason: reading.answer, detail: reading.detail }, reading.why);
      res.status(reading.status).type('text/plain').send(reading.answer);
      return;
    }
    // Signed by WeChat, but when? The signature does not expire by itself (replay protection).
    const stale = staleTimestamp(timestamp, now());
    if (stale) {
      log.warn(
        { ip: req.ip, reason: stale },
        'wechat push refused as a replay: its signed timestamp is too far from our clock (if every push is refused, check the server clock)',
      );
      res.status(401).type('text/plain').send('stale timestamp');
      return;
    }

    let fields: WechatPushFields;
    let decision: WechatPushDecision;
    try {
      const bounded = boundPushFields(reading.fields);
      fields = bounded.fields;
      if (bounded.dropped.length > 0)
        log.warn({ fields: bounded.dropped, from: bounded.fields.FromUserName }, 'wechat push fields dropped: malformed or too long');
      decision = triageOfficialPush(bounded, { complaintMenuKeys: config.complaintMenuKeys, encrypted });
    } catch (err) {
      if (!(err instanceof WechatXmlError)) throw err;
      log.warn({ ip: req.ip, reason: err.message }, 'wechat push refused');
      res.status(400).type('text/plain').send(err.message);
      return;
    }

    if (deps.state && opensServiceWindow(fields)) {
      // Not worth failing the push for: without the time the adapter tries a customer-service
      // message first and falls back on WeChat's 45015.
      try {
        await recordInteraction(deps.state, fields.FromUserName!, now());
      } catch (err) {
        log.warn({ err, from: fields.FromUserName }, 'could not record the wechat follower interaction time');
      }
    }

    // Passive replies go to the customer (FromUserName) from our account (ToUserName); both
    // were checked by boundPushFields. Without ToUserName no valid reply exists: "success".
    const target: PassiveReplyTarget | undefined = fields.ToUserName
      ? { toUser: fields.FromUserName!, fromAccount: fields.ToUserName, crypto: encrypted ? crypto : undefined, token: config.token, timestamp, nonce }
      : undefined;
    const reply = (text: string | undefined) => {
      if (text === undefined || !target) res.type('text/plain').send('success');
      else res.type('application/xml').send(passiveReplyBody(target, text));
    };

    if (decision.action === 'acknowledge') {
      log.debug({ event: fields.Event, why: decision.why }, 'wechat push acknowledged and dropped');
      reply(undefined);
      return;
    }
    if (decision.action === 'prompt') {
      log.debug({ prompt: decision.prompt, why: decision.why }, 'wechat push answered with a prompt');
      reply(prompts[decision.prompt]);
      return;
    }

    const msg = decision.message;
    const answer = msg.text && deps.answerNow ? await answerWithin(deps.answerNow, msg, answerTimeoutMs, log) : undefined;
    if (answer !== undefined) msg.meta.passiveReply = answer;

    let result;
    try {
      result = await sink(msg);
    } catch (err) {
      if (isRefusal(err)) {
        // Intake refused what we built (a bug, or a rule newer than this adapter). WeChat's
        // retries would be refused the same way, so the customer is told instead.
        log.error({ err, externalId: msg.externalId }, 'intake refused a wechat message; the customer was asked to write again');
        reply(prompts.notReceived);
        return;
      }
      // Not durable, so not acknowledged: a 5xx makes WeChat retry (three times in 15 s).
      log.error({ err, externalId: msg.externalId }, 'journal append failed for a wechat push');
      res.status(500).type('text/plain').send('try again');
      return;
    }
    log.debug({ externalId: msg.externalId, duplicate: result.duplicate, ms: Date.now() - started }, 'wechat push journaled');
    // A retry (duplicate) still gets the answer: WeChat retries only when it did not
    // get our first response in time, so the customer has not seen it yet.
    reply(answer);
  });

  return router;
}

async function answerWithin(
  answerNow: (msg: InboundMessage) => Promise<string | undefined>,
  msg: InboundMessage,
  timeoutMs: number,
  log: Logger,
): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    const answer = await Promise.race([answerNow(msg), timeout]);
    if (typeof answer !== 'string' || answer.trim() === '') return undefined;
    if (Buffer.byteLength(answer, 'utf8') > PASSIVE_REPLY_MAX_BYTES) return undefined;
    return answer;
  } catch (err) {
    log.warn({ err, externalId: msg.externalId }, 'answerNow failed; answering later');
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

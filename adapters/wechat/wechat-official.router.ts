import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { WechatOfficialConfig } from '../../config/channels/wechat.schema.js';
import type { InboundMessage, InboundSink } from '../types.js';
import { WechatCryptoError, WechatMessageCrypto, signaturesMatch, wechatSignature } from './wechat-crypto.js';
import {
  WechatXmlError,
  buildEncryptedReplyXml,
  buildTextReplyXml,
  normalizeOfficialPush,
  parseWechatXml,
} from './wechat-official.normalize.js';

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
}

// WeChat's passive text reply is cut off beyond 2048 bytes; a longer answer goes through the outbox instead.
const PASSIVE_REPLY_MAX_BYTES = 2048;

function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The Official Account message-push endpoint (mounted at `/webhooks/wechat`):
 * `GET /` answers the server-URL check, `POST /` receives pushes in plaintext,
 * compatible or safe mode. A push is verified, normalized and appended to the journal
 * before WeChat gets its answer: a passive text reply when `answerNow` has one,
 * otherwise `success` (the reply then goes out through the customer-service API).
 */
export function createWechatRouter(deps: WechatRouterDeps): Router {
  const { config, sink } = deps;
  const log = deps.logger.child({ module: 'adapters/wechat/official' });
  const crypto = config.aesKey && config.appId ? new WechatMessageCrypto(config.aesKey, config.appId) : undefined;
  const answerTimeoutMs = deps.answerTimeoutMs ?? 3500;
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

  // WeChat posts `text/xml`; some proxies rewrite it to application/xml.
  router.post('/', express.text({ type: ['*/xml', 'text/plain'], limit: '256kb' }), async (req: Request, res: Response) => {
    const started = Date.now();
    const timestamp = queryString(req, 'timestamp') ?? '';
    const nonce = queryString(req, 'nonce') ?? '';
    const signature = queryString(req, 'signature');
    const encrypted = queryString(req, 'encrypt_type') === 'aes';
    if (typeof req.body !== 'string' || req.body.length === 0) {
      res.status(400).type('text/plain').send('expected an XML body (Content-Type: text/xml)');
      return;
    }

    let fields;
    try {
      const outer = parseWechatXml(req.body);
      if (encrypted) {
        if (!crypto) {
          // A safe-mode push we cannot read: 503 so WeChat retries while someone fixes the config.
          log.error('wechat safe-mode push received but WECHAT_AES_KEY / WECHAT_APP_ID are not configured');
          res.status(503).type('text/plain').send('safe mode is not configured');
          return;
        }
        const encrypt = outer.Encrypt;
        const msgSignature = queryString(req, 'msg_signature');
        const signedOk =
          encrypt !== undefined &&
          signaturesMatch(wechatSignature(config.token, timestamp, nonce, encrypt), msgSignature) &&
          // `signature` is sent alongside msg_signature; when present it must hold too.
          (signature === undefined || signaturesMatch(wechatSignature(config.token, timestamp, nonce), signature));
        if (!signedOk) {
          log.warn({ ip: req.ip }, 'wechat safe-mode push with a bad msg_signature');
          res.status(401).type('text/plain').send('bad signature');
          return;
        }
        fields = parseWechatXml(crypto.decrypt(encrypt));
      } else {
        if (!signaturesMatch(wechatSignature(config.token, timestamp, nonce), signature)) {
          log.warn({ ip: req.ip }, 'wechat push with a bad signature');
          res.status(401).type('text/plain').send('bad signature');
          return;
        }
        fields = outer;
      }
    } catch (err) {
      if (err instanceof WechatXmlError || err instanceof WechatCryptoError) {
        log.warn({ err: err.message }, 'unreadable wechat push');
        res.status(400).type('text/plain').send(err.message);
        return;
      }
      throw err;
    }

    let msg: InboundMessage | undefined;
    try {
      msg = normalizeOfficialPush(fields, { complaintMenuKeys: config.complaintMenuKeys, encrypted });
    } catch (err) {
      if (err instanceof WechatXmlError) {
        res.status(400).type('text/plain').send(err.message);
        return;
      }
      throw err;
    }
    if (!msg) {
      res.type('text/plain').send('success');
      return;
    }

    const answer = msg.text && deps.answerNow ? await answerWithin(deps.answerNow, msg, answerTimeoutMs, log) : undefined;
    if (answer !== undefined) msg.meta.passiveReply = answer;

    let result;
    try {
      result = await sink(msg);
    } catch (err) {
      // Not durable, so not acknowledged: a 5xx makes WeChat retry (three times in 15 s).
      log.error({ err, externalId: msg.externalId }, 'journal append failed for a wechat push');
      res.status(500).type('text/plain').send('try again');
      return;
    }
    log.debug({ externalId: msg.externalId, duplicate: result.duplicate, ms: Date.now() - started }, 'wechat push journaled');

    if (answer === undefined) {
      res.type('text/plain').send('success');
      return;
    }
    // A retry (duplicate) still gets the answer: WeChat retries only when it did not
    // get our first response in time, so the customer has not seen it yet.
    const replyXml = buildTextReplyXml({ toUser: msg.from.address, fromAccount: fields.ToUserName ?? '', text: answer });
    if (encrypted && crypto) {
      const encrypt = crypto.encrypt(replyXml);
      const replyTimestamp = timestamp || String(Math.floor(Date.now() / 1000));
      res.type('application/xml').send(
        buildEncryptedReplyXml({
          encrypt,
          signature: wechatSignature(config.token, replyTimestamp, nonce, encrypt),
          timestamp: replyTimestamp,
          nonce,
        }),
      );
      return;
    }
    res.type('application/xml').send(replyXml);
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

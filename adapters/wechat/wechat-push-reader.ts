import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { WechatCryptoError, type WechatMessageCrypto, signaturesMatch, wechatSignature } from './wechat-crypto.js';
import { WechatXmlError, parseWechatXml, type WechatPushFields } from './wechat-official.normalize.js';

/**
 * A push is a few hundred bytes. The longest text we keep (20,000 characters, see
 * wechat-field-limits.ts) is 60 KB of Chinese in UTF-8 and 80 KB once encrypted and base64'd
 * in safe mode. Anything bigger is refused (413) before it is parsed.
 */
export const MAX_PUSH_BYTES = 128 * 1024;

// WeChat posts `text/xml`; some proxies rewrite it to application/xml. WeChat never compresses
// a push, so a Content-Encoding is refused (415) rather than inflated (no zip bombs).
const textBody = express.text({ type: ['*/xml', 'text/plain'], limit: MAX_PUSH_BYTES, inflate: false });

const BODY_REFUSALS: Record<number, string> = {
  413: `body larger than ${MAX_PUSH_BYTES} bytes`,
  415: 'unsupported charset or content encoding',
};

/**
 * Reads the body as text, answering body-parser's own refusals here with a plain 4xx: left to
 * the default express handler they become an HTML page with a stack trace outside production.
 */
export function readPushBody(log: Logger): RequestHandler {
  return (req, res, next) =>
    textBody(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { status?: number; type?: string };
      const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
      log.warn({ type: e.type, status, ip: req.ip }, 'unreadable wechat push body');
      res
        .status(status)
        .type('text/plain')
        .send(BODY_REFUSALS[status] ?? 'unreadable body');
    });
}

/** The query parameters WeChat signs a push with. */
export interface PushQuery {
  timestamp: string;
  nonce: string;
  signature?: string;
  msgSignature?: string;
  /** `encrypt_type=aes`: safe or compatible mode. */
  encrypted: boolean;
}

export type PushReading =
  | { ok: true; fields: WechatPushFields }
  /** `answer` is our own wording (never the parser's); `detail` is for the log only. */
  | { ok: false; status: 400 | 401 | 503; answer: string; why: string; detail?: string };

/**
 * Verifies, decrypts and parses one push body. The plain `signature` (sent in every mode)
 * is checked before the body is parsed, so a forged request costs a sha1, not an XML parse.
 * In safe mode `msg_signature` must also cover the `Encrypt` text before it is decrypted.
 */
export function readPush(body: string, q: PushQuery, token: string, crypto: WechatMessageCrypto | undefined): PushReading {
  // Safe mode may come without `signature` (the published WXBizMsgCrypt sample has none); when present it must hold.
  if (!q.encrypted || q.signature !== undefined) {
    if (!signaturesMatch(wechatSignature(token, q.timestamp, q.nonce), q.signature)) return refuse(401, 'bad signature', 'wechat push with a bad signature');
  }
  try {
    const outer = parseWechatXml(body);
    if (!q.encrypted) return { ok: true, fields: outer };
    const encrypt = outer.Encrypt;
    if (encrypt === undefined || !signaturesMatch(wechatSignature(token, q.timestamp, q.nonce, encrypt), q.msgSignature)) {
      return refuse(401, 'bad signature', 'wechat safe-mode push with a bad msg_signature');
    }
    if (!crypto) {
      // Signed by WeChat but unreadable here: 503 so WeChat retries while someone fixes the config.
      return refuse(503, 'safe mode is not configured', 'wechat safe-mode push received but WECHAT_AES_KEY / WECHAT_APP_ID are not configured');
    }
    return { ok: true, fields: parseWechatXml(crypto.decrypt(encrypt)) };
  } catch (err) {
    if (err instanceof WechatXmlError || err instanceof WechatCryptoError) {
      // The parser's message quotes the input: logged bounded, and only in the log.
      const detail = err.cause instanceof Error ? err.cause.message.slice(0, 200) : undefined;
      return refuse(400, err.message, 'unreadable wechat push', detail);
    }
    throw err;
  }
}

function refuse(status: 400 | 401 | 503, answer: string, why: string, detail?: string): PushReading {
  return { ok: false, status, answer, why, detail };
}

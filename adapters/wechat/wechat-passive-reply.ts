import { type WechatMessageCrypto, wechatSignature } from './wechat-crypto.js';
import { buildEncryptedReplyXml, buildTextReplyXml } from './wechat-official.normalize.js';

/** What a passive reply (被动回复) needs from the push it answers. */
export interface PassiveReplyTarget {
  /** The customer's openid (the push's FromUserName). */
  toUser: string;
  /** Our account's original id (the push's ToUserName). */
  fromAccount: string;
  /** Safe mode: the reply must be encrypted and signed like the push was. */
  crypto?: WechatMessageCrypto;
  token: string;
  timestamp: string;
  nonce: string;
}

/** The body of a passive text reply: plain XML, or in safe mode the signed `Encrypt` envelope. */
export function passiveReplyBody(target: PassiveReplyTarget, text: string): string {
  const replyXml = buildTextReplyXml({ toUser: target.toUser, fromAccount: target.fromAccount, text });
  if (!target.crypto) return replyXml;
  const encrypt = target.crypto.encrypt(replyXml);
  const timestamp = target.timestamp || String(Math.floor(Date.now() / 1000));
  return buildEncryptedReplyXml({ encrypt, signature: wechatSignature(target.token, timestamp, target.nonce, encrypt), timestamp, nonce: target.nonce });
}

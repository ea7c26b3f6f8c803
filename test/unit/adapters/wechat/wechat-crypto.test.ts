import { readFileSync } from 'node:fs';
import { createCipheriv, createHash } from 'node:crypto';
import { expect } from 'chai';
import { WechatCryptoError, WechatMessageCrypto, signaturesMatch, wechatSignature } from '../../../../adapters/wechat/wechat-crypto.js';

/**
 * The Official Account sample published with Tencent's WXBizMsgCrypt SDK (Sample.py,
 * "测试解密接口"): token spamtest, AppID wx2c2769f8efd9abc2.
 */
const PUBLISHED = JSON.parse(readFileSync(new URL('../../../fixtures/wechat/published-vector.json', import.meta.url), 'utf8')) as Record<string, string>;

/** Encrypts per the spec, independently of the code under test. */
function specEncrypt(aesKey: string, appId: string, message: string, random = Buffer.alloc(16, 7)): string {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const body = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const raw = Buffer.concat([random, len, body, Buffer.from(appId)]);
  const pad = 32 - (raw.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([raw, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

describe('WeChat message crypto', () => {
  it('verifies the msg_signature of the published sample', () => {
    const sig = wechatSignature(PUBLISHED.token, PUBLISHED.timestamp, PUBLISHED.nonce, PUBLISHED.encrypt);
    expect(sig).to.equal(PUBLISHED.msgSignature);
    expect(signaturesMatch(sig, PUBLISHED.msgSignature)).to.equal(true);
  });

  it('decrypts the published sample to the text message it carries', () => {
    const xml = new WechatMessageCrypto(PUBLISHED.aesKey, PUBLISHED.appId).decrypt(PUBLISHED.encrypt);
    expect(xml).to.contain('<Content><![CDATA[abcdteT]]></Content>');
    expect(xml).to.contain('<MsgId>6054768590064713728</MsgId>');
    expect(xml).to.contain('<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>');
  });

  it('refuses the published sample under another AppID', () => {
    const c = new WechatMessageCrypto(PUBLISHED.aesKey, 'wx0000000000000000');
    expect(() => c.decrypt(PUBLISHED.encrypt)).to.throw(WechatCryptoError, /another AppID/);
  });

  it('decrypts a vector built from the spec with node:crypto, including Chinese text and a full padding block', () => {
    const key = 'kWxPEV2UEDyw2Q9QY5zJFLYlSv6oW1E3hT6Y5R9gZ8w';
    const appId = 'wx1234567890abcdef';
    // 16 + 4 + len + 18 ≡ 0 (mod 32) makes the padding a whole 32-byte block.
    for (const message of ['<xml><Content><![CDATA[包装破损，要求退款]]></Content></xml>', 'x'.repeat(26)]) {
      const encrypted = specEncrypt(key, appId, message);
      expect(new WechatMessageCrypto(key, appId).decrypt(encrypted)).to.equal(message);
    }
  });

  it('encrypts replies that the spec decryption reads back', () => {
    const key = PUBLISHED.aesKey;
    const c = new WechatMessageCrypto(key, PUBLISHED.appId);
    const encrypted = c.encrypt('<xml>您好</xml>', Buffer.alloc(16, 1));
    expect(encrypted).to.equal(specEncrypt(key, PUBLISHED.appId, '<xml>您好</xml>', Buffer.alloc(16, 1)));
    expect(c.decrypt(encrypted)).to.equal('<xml>您好</xml>');
  });

  it('rejects tampered ciphertext', () => {
    const c = new WechatMessageCrypto(PUBLISHED.aesKey, PUBLISHED.appId);
    const bytes = Buffer.from(PUBLISHED.encrypt, 'base64');
    bytes[bytes.length - 1] ^= 0xff;
    expect(() => c.decrypt(bytes.toString('base64'))).to.throw(WechatCryptoError);
  });

  it('computes the plain signature as sha1 of the sorted token, timestamp and nonce', () => {
    const expected = createHash('sha1').update(['1700000000', '42', 'tok3n'].sort().join('')).digest('hex');
    expect(wechatSignature('tok3n', '1700000000', '42')).to.equal(expected);
    expect(signaturesMatch(expected, expected.toUpperCase())).to.equal(true);
    expect(signaturesMatch(expected, undefined)).to.equal(false);
    expect(signaturesMatch(expected, 'abc')).to.equal(false);
  });
});

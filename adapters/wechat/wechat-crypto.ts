import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WeChat message signing and safe-mode encryption (消息加解密), written from the
 * Official Account spec with node:crypto:
 * - `signature` = sha1 of the lexically sorted token, timestamp and nonce, joined;
 * - `msg_signature` = the same over token, timestamp, nonce and the `Encrypt` text;
 * - AESKey = base64(EncodingAESKey + "="), 32 bytes; AES-256-CBC with IV = AESKey[0..16);
 * - plaintext = 16 random bytes ‖ uint32 big-endian length ‖ message ‖ AppID,
 *   PKCS#7-padded to a multiple of **32** bytes (not AES's 16).
 */

const BLOCK = 32;

/** sha1 hex of the sorted parts joined without separator. */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function signaturesMatch(expected: string, given: string | undefined): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given.toLowerCase()));
}

export class WechatCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatCryptoError';
  }
}

/** Encrypts and decrypts message bodies for one account (EncodingAESKey + AppID). */
export class WechatMessageCrypto {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(
    encodingAesKey: string,
    private readonly appId: string,
  ) {
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (encodingAesKey.length !== 43 || this.key.length !== 32) {
      throw new WechatCryptoError('EncodingAESKey must be 43 base64 characters (32 bytes once decoded)');
    }
    this.iv = this.key.subarray(0, 16);
  }

  /** Returns the message XML inside `Encrypt`; throws when padding, length or AppID are wrong. */
  decrypt(encrypted: string): string {
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
      // WeChat pads to 32-byte blocks, which node's PKCS#7 check (16-byte blocks) rejects.
      decipher.setAutoPadding(false);
      plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    } catch {
      throw new WechatCryptoError('cannot decrypt: not AES-256-CBC with this EncodingAESKey');
    }
    const pad = plain.length > 0 ? plain[plain.length - 1] : 0;
    if (pad < 1 || pad > BLOCK || pad > plain.length) throw new WechatCryptoError('bad padding');
    const content = plain.subarray(16, plain.length - pad);
    if (content.length < 4) throw new WechatCryptoError('truncated payload');
    const length = content.readUInt32BE(0);
    if (4 + length > content.length) throw new WechatCryptoError('bad message length');
    const message = content.subarray(4, 4 + length).toString('utf8');
    const appId = content.subarray(4 + length).toString('utf8');
    if (appId !== this.appId) throw new WechatCryptoError('message was encrypted for another AppID');
    return message;
  }

  /** Encrypts a reply XML; `random16` is for tests that need a fixed output. */
  encrypt(message: string, random16: Buffer = randomBytes(16)): string {
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    const unpadded = Buffer.concat([random16, length, body, Buffer.from(this.appId, 'utf8')]);
    const pad = BLOCK - (unpadded.length % BLOCK);
    const padded = Buffer.concat([unpadded, Buffer.alloc(pad, pad)]);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
  }
}

import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import type { InboundMessage, InboundSink } from '../../../adapters/types.js';
import { BadRequestError } from '../../../gateway/errors.js';
import { parseInboundMessage } from '../../../gateway/intake/inbound-message.schema.js';

export const silentLogger = pino({ level: 'silent' });

export const fixture = (name: string) => readFileSync(new URL(`../../fixtures/wechat/${name}`, import.meta.url), 'utf8');

/**
 * An in-memory journal with the real one's contract: the gateway's intake check first (an
 * invalid message is a 400 BadRequestError, as `Gateway.sink` throws it), then
 * UNIQUE(channel, external_id), a redelivery resolves duplicate: true.
 */
export function journalLikeSink(): { sink: InboundSink; rows: InboundMessage[]; calls: number; failNext: number } {
  const state = { rows: [] as InboundMessage[], calls: 0, failNext: 0, sink: undefined as unknown as InboundSink };
  const ids = new Map<string, string>();
  state.sink = async (m) => {
    state.calls++;
    if (state.failNext > 0) {
      state.failNext--;
      throw new Error('database is locked');
    }
    const parsed = parseInboundMessage(m);
    if (!parsed.ok) throw new BadRequestError(`invalid message from ${m.channel} adapter: ${parsed.problems.join('; ')}`);
    const key = `${m.channel}\u0000${m.externalId}`;
    const existing = ids.get(key);
    if (existing) return { id: existing, duplicate: true };
    const id = String(ids.size + 1);
    ids.set(key, id);
    state.rows.push(structuredClone(m));
    return { id, duplicate: false };
  };
  return state;
}

/** Serves a router on 127.0.0.1 the way the gateway mounts it. */
export async function serve(mount: string, router: express.Router): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use(mount, router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const sha1Sorted = (...parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');

/** Safe-mode encryption per the WeChat spec, written independently of the adapter's code. */
export function specEncrypt(aesKey: string, appId: string, message: string): string {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const body = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const raw = Buffer.concat([Buffer.from('0123456789abcdef'), len, body, Buffer.from(appId)]);
  const pad = 32 - (raw.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([raw, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/** Safe-mode decryption per the spec: returns the message and the AppID it was encrypted for. */
export function specDecrypt(aesKey: string, encrypted: string): { message: string; appId: string } {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
  const content = plain.subarray(16, plain.length - plain[plain.length - 1]);
  const len = content.readUInt32BE(0);
  return { message: content.subarray(4, 4 + len).toString('utf8'), appId: content.subarray(4 + len).toString('utf8') };
}

/** Wraps a value in CDATA the way WeChat does, splitting a "]]>" inside it so the section stays well formed. */
export const cdata = (value: string) => `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;

/** A push document from fields, every value in CDATA (WeChat does so for its strings). */
export function pushXml(fields: Record<string, string | undefined>): string {
  const body = Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `<${k}>${cdata(v)}</${k}>`)
    .join('');
  return `<xml>${body}</xml>`;
}

/** Now as WeChat writes a push's `timestamp`: seconds since the epoch. The router refuses one over 5 minutes old. */
export const nowSeconds = (ms = Date.now()) => String(Math.floor(ms / 1000));

/** Query string of a plaintext-mode push signed with `token`, stamped now unless `timestamp` is given. */
export function signedPushQuery(token: string, timestamp = nowSeconds(), nonce = '884512337'): string {
  return new URLSearchParams({ signature: sha1Sorted(token, timestamp, nonce), timestamp, nonce, openid: 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB' }).toString();
}

/** A safe-mode (encrypt_type=aes) push of `innerXml`, encrypted per the spec and signed. */
export function encryptedPush(account: { token: string; aesKey: string; appId: string }, innerXml: string, timestamp = nowSeconds(), nonce = '1507287364') {
  const encrypt = specEncrypt(account.aesKey, account.appId, innerXml);
  const query = new URLSearchParams({
    signature: sha1Sorted(account.token, timestamp, nonce),
    timestamp,
    nonce,
    encrypt_type: 'aes',
    msg_signature: sha1Sorted(account.token, timestamp, nonce, encrypt),
  }).toString();
  const body = `<xml><ToUserName><![CDATA[gh_3f1a2b4c5d6e]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  return { query, body, timestamp, nonce, encrypt };
}

/** The test account the webhook tests share: plaintext and safe mode, complaint menu key COMPLAINT. */
export const TEST_ACCOUNT = {
  token: 'gatewayToken2024',
  aesKey: 'kWxPEV2UEDyw2Q9QY5zJFLYlSv6oW1E3hT6Y5R9gZ8w',
  appId: 'wx1234567890abcdef',
  apiBase: 'https://api.weixin.qq.com',
  complaintMenuKeys: ['COMPLAINT'],
};

/** POSTs a push the way WeChat does (text/xml); the answer's status, content type and text. */
export async function postPush(url: string, query: string, body: string, contentType = 'text/xml') {
  const res = await fetch(`${url}?${query}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

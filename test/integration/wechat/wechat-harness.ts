import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import type { InboundMessage, InboundSink } from '../../../adapters/types.js';

export const silentLogger = pino({ level: 'silent' });

export const fixture = (name: string) => readFileSync(new URL(`../../fixtures/wechat/${name}`, import.meta.url), 'utf8');

/** An in-memory journal with the real one's contract: UNIQUE(channel, external_id), a redelivery resolves duplicate: true. */
export function journalLikeSink(): { sink: InboundSink; rows: InboundMessage[]; calls: number; failNext: number } {
  const state = { rows: [] as InboundMessage[], calls: 0, failNext: 0, sink: undefined as unknown as InboundSink };
  const ids = new Map<string, string>();
  state.sink = async (m) => {
    state.calls++;
    if (state.failNext > 0) {
      state.failNext--;
      throw new Error('database is locked');
    }
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

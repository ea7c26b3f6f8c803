/**
 * Test harness for the Twilio channel: a real express app on 127.0.0.1 with the
 * router mounted where the gateway mounts it, a journal-like sink that dedupes on
 * (channel, externalId), and a client that signs requests exactly as Twilio does
 * (twilio's own getExpectedTwilioSignature).
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { XMLParser } from 'fast-xml-parser';
import { pino } from 'pino';
import twilio from 'twilio';
import { twilioConfigFromEnv, type TwilioConfig } from '../../../config/channels/twilio.schema.js';
import { createTwilioRouter, type TwilioRouterDeps } from '../../../adapters/twilio/twilio.router.js';
import type { InboundMessage, InboundSink } from '../../../adapters/types.js';
import type { AdapterStateStore } from '../../../contracts/adapter-state.js';

export const ACCOUNT_SID = 'AC' + 'a'.repeat(32);
export const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const PUBLIC_BASE_URL = 'https://support.example.test';
export const SMS_FROM = '+14155550100';
export const ONCALL = '+8613700000009';
export const AGENT = '+14155550303';

export const silentLogger = pino({ level: 'silent' });

export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: SMS_FROM,
    TWILIO_ONCALL_NUMBER: ONCALL,
    PUBLIC_BASE_URL,
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string | undefined> = {}): TwilioConfig {
  const config = twilioConfigFromEnv(testEnv(overrides));
  if (!config) throw new Error('test config must be complete');
  return config;
}

/** An in-memory {@link AdapterStateStore} (values are cloned, as a database round trip would). */
export class MemoryStateStore implements AdapterStateStore {
  readonly values = new Map<string, string>();
  async get<T>(key: string): Promise<T | undefined> {
    const v = this.values.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async set<T>(key: string, value: T): Promise<void> {
    this.values.set(key, JSON.stringify(value));
  }
}

/** Behaves like the intake journal: UNIQUE(channel, external_id), `duplicate: true` on a repeat. */
export class DedupingSink {
  readonly messages: InboundMessage[] = [];
  appends = 0;
  failing = false;
  readonly sink: InboundSink = async (m) => {
    this.appends++;
    if (this.failing) throw new Error('journal unavailable');
    // Round-trip through JSON like a database column would: catches non-serialisable meta.
    const stored = JSON.parse(JSON.stringify(m)) as InboundMessage;
    const i = this.messages.findIndex((x) => x.channel === m.channel && x.externalId === m.externalId);
    if (i >= 0) return { id: String(i + 1), duplicate: true };
    this.messages.push(stored);
    return { id: String(this.messages.length), duplicate: false };
  };
}

export interface TestApp {
  localUrl: string;
  journal: DedupingSink;
  state: MemoryStateStore;
  config: TwilioConfig;
  statuses: Array<{ sid: string; status: string; errorCode?: string }>;
  /** POSTs form params signed for PUBLIC_BASE_URL + path, as Twilio would. */
  post(path: string, params: Record<string, string>, opts?: PostOptions): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export interface PostOptions {
  /** Sign with this token instead of the real one (a forger). */
  token?: string;
  /** Sign these params but send `params` (a body altered in transit). */
  signedParams?: Record<string, string>;
  /** Sign for this absolute URL instead of PUBLIC_BASE_URL + path. */
  signedUrl?: string;
  signature?: string | null;
}

export async function startTwilioApp(deps: Partial<Omit<TwilioRouterDeps, 'sink' | 'state' | 'logger'>> = {}): Promise<TestApp> {
  const journal = new DedupingSink();
  const state = new MemoryStateStore();
  const config = deps.config ?? testConfig();
  const statuses: TestApp['statuses'] = [];
  const app = express();
  app.use(
    '/webhooks/twilio',
    createTwilioRouter({
      isBusinessHours: () => true,
      onDeliveryStatus: async (sid, status, errorCode) => {
        statuses.push({ sid, status, errorCode });
      },
      ...deps,
      config,
      sink: journal.sink,
      state,
      logger: silentLogger,
    }),
  );
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const localUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    localUrl,
    journal,
    state,
    config,
    statuses,
    async post(path, params, opts = {}) {
      const signedUrl = opts.signedUrl ?? `${PUBLIC_BASE_URL}${path}`;
      const signature =
        opts.signature !== undefined ? opts.signature : twilio.getExpectedTwilioSignature(opts.token ?? AUTH_TOKEN, signedUrl, opts.signedParams ?? params);
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (signature !== null) headers['x-twilio-signature'] = signature;
      const res = await fetch(`${localUrl}${path}`, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
      return { status: res.status, text: await res.text() };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Form fields as a client posts them: a repeated field is an array. */
export type FormFields = Record<string, string | string[]>;

export interface SignedPostOptions {
  /** Send this body instead of the url-encoded `params` (the signature still covers `params`). */
  body?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
  /** null: no X-Twilio-Signature header at all. */
  signature?: string | null;
}

/** `params` url-encoded, repeated fields once per value. */
export function formBody(params: FormFields): string {
  return new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x]))).toString();
}

/**
 * POSTs to `baseUrl + path`, signed for PUBLIC_BASE_URL + path exactly as Twilio signs
 * (twilio's own getExpectedTwilioSignature, which covers repeated fields too).
 */
export async function postSigned(
  baseUrl: string,
  path: string,
  params: FormFields,
  opts: SignedPostOptions = {},
): Promise<{ status: number; text: string; contentType: string }> {
  const signature = opts.signature !== undefined ? opts.signature : twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, params);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: opts.body ?? formBody(params) });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}

/** One TwiML element: verb name, attributes, text and nested verbs, in document order. */
export interface TwimlNode {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: TwimlNode[];
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false });

/** Parses a TwiML document with a real XML parser; returns the `<Response>` element. */
export function parseTwiml(xml: string): TwimlNode {
  type Raw = Record<string, unknown> & { ':@'?: Record<string, string> };
  const toNode = (raw: Raw): TwimlNode | undefined => {
    const name = Object.keys(raw).find((k) => k !== ':@');
    if (!name || name === '#text' || name.startsWith('?')) return undefined;
    const content = raw[name] as Raw[];
    const text = content
      .filter((c) => '#text' in c)
      .map((c) => String(c['#text']))
      .join('');
    return { name, attrs: raw[':@'] ?? {}, text, children: content.map(toNode).filter((n): n is TwimlNode => !!n) };
  };
  const doc = parser.parse(xml) as Raw[];
  const response = doc.map(toNode).find((n) => n?.name === 'Response');
  if (!response) throw new Error(`not a TwiML document: ${xml}`);
  return response;
}

/** All descendants named `name`, depth first. */
export function findAll(node: TwimlNode, name: string): TwimlNode[] {
  return node.children.flatMap((c) => [...(c.name === name ? [c] : []), ...findAll(c, name)]);
}

export function fixture(name: string): Record<string, string> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/twilio/${name}.json`, import.meta.url), 'utf8')) as Record<string, string>;
}

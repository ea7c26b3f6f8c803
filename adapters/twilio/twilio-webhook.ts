import type { Request, Response } from 'express';
import type TwilioSdkDefault from 'twilio';
import type { z } from 'zod';
import type { TwilioConfig } from '../../config/channels/twilio.schema.js';
import type { InboundSink } from '../types.js';
import type { AdapterStateStore } from '../../contracts/adapter-state.js';
import type { OptOutRegistry, TwilioLogger } from './twilio-common.js';
import { parseParams } from './twilio-params.schema.js';

export type TwilioSdk = typeof TwilioSdkDefault;
/**
 * The form fields as parsed, for the signature check only: strings, or arrays where a field is
 * repeated. Routes read fields only through their schema (twilio-params.schema.ts).
 */
export type TwilioParams = Record<string, unknown>;

/** Dependencies of createTwilioRouter; the gateway's composition root provides them. */
export interface TwilioRouterDeps {
  config: TwilioConfig;
  /** The durable journal append; the router answers Twilio only after it resolved. */
  sink: InboundSink;
  /** Opt-out state (STOP / START). */
  state: AdapterStateStore;
  logger: TwilioLogger;
  /** Severity-1 (personal safety) classification of what a caller said; a keyword list by default. */
  isUrgent?: (text: string) => boolean | Promise<boolean>;
  /** The SLA calendar; by default TWILIO_BUSINESS_HOURS in TWILIO_TIME_ZONE. */
  isBusinessHours?: (now: Date) => boolean;
  /** Delivery receipts of our outbound SMS (queued, sent, delivered, undelivered, failed). */
  onDeliveryStatus?: (externalId: string, status: string, errorCode?: string) => Promise<void>;
}

/** What the SMS and voice webhook routes share (built once by createTwilioRouter). */
export interface TwilioRouteContext extends Pick<TwilioRouterDeps, 'config' | 'sink' | 'onDeliveryStatus'> {
  log: TwilioLogger;
  optOuts: OptOutRegistry;
  isUrgent: NonNullable<TwilioRouterDeps['isUrgent']>;
  isBusinessHours: NonNullable<TwilioRouterDeps['isBusinessHours']>;
}

let sdkPromise: Promise<TwilioSdk> | undefined;
/** The SDK takes ~0.7 s to import: load it only once the Twilio channel is actually configured. */
export function loadSdk(): Promise<TwilioSdk> {
  sdkPromise ??= import('twilio').then((m) => m.default);
  return sdkPromise;
}

export function sendTwiml(res: Response, twiml: { toString(): string }): void {
  res.status(200).type('text/xml').send(twiml.toString());
}

/** An empty TwiML answer: Twilio expects one, and nothing is to be said back. */
export async function emptyMessaging(res: Response): Promise<void> {
  const sdk = await loadSdk();
  sendTwiml(res, new sdk.twiml.MessagingResponse());
}

/**
 * The request's form fields checked against the webhook's schema, or undefined once a 400
 * naming the field has been sent: only Twilio (or whoever holds the auth token) gets this far,
 * so the reason shows up in Twilio's debugger, not to the public.
 */
export function readParams<T extends z.ZodType>(schema: T, req: Request, res: Response, log: TwilioLogger): z.output<T> | undefined {
  const parsed = parseParams(schema, req.body);
  if (parsed.ok) return parsed.params;
  log.warn({ path: req.path, problem: parsed.problem }, 'refused a signed Twilio webhook with invalid fields');
  res.status(400).type('text/plain').send(`Invalid Twilio webhook: ${parsed.problem}`);
  return undefined;
}

/**
 * True when the journal refused the message itself (the gateway's sink throws a 4xx error for
 * a message that is not valid): a retry would fail the same way, unlike a database outage.
 */
export function isRefusal(err: unknown): boolean {
  const status = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Drops undefined fields so `meta` stays readable in the journal. */
export function compact(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

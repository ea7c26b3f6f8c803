import type { Server } from 'node:http';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { AdapterStateStore } from '../contracts/adapter-state.js';
import type { ClusterBus } from '../contracts/cluster-bus.js';
import type { RateCounter } from '../contracts/rate-counter.js';
import type { AttachmentStore } from './email/email.adapter.js';
import type { ChannelAdapter, InboundMessage, InboundSink } from './types.js';
import type { TranscriptReader } from './webchat/transcript.js';

/** What the gateway lends the channels: the journal, durable state, and a few decisions only it can make. */
export interface ChannelHooks {
  env: Record<string, string | undefined>;
  sink: InboundSink;
  /** Durable key-value state under a per-channel prefix. */
  state(prefix: string): AdapterStateStore;
  logger: Logger;
  /** Severity-1 (personal safety) by the nlp classifier: a hotline call goes straight to the on-call lead. */
  isUrgent?: (text: string) => boolean;
  /** The SLA business calendar. */
  isBusinessHours?: (now: Date) => boolean;
  /** Provider delivery receipts for our outbound messages. */
  onDeliveryStatus?: (channel: string, externalId: string, status: string, errorCode?: string) => Promise<void>;
  /** A bot answer that is ready now (FAQ), for channels that can answer inside the request. */
  answerNow?: (message: InboundMessage) => Promise<string | undefined>;
  /** Where inbound attachment bytes are kept (files on disk by default). */
  attachmentStore?: AttachmentStore;
  /** A web chat visitor's own conversation (their messages and the replies to them), for the widget's history after a reload. */
  transcript?: TranscriptReader;
  /** Notices to the other gateway processes on the same database (a widget reply for a socket held by another process). */
  bus?: ClusterBus;
  /** Counts shared by every gateway process (the database): the e-mail sender limit. */
  rateCounter?: RateCounter;
}

/** Everything the switched-on channels hand the gateway. */
export interface ChannelSetup {
  adapters: ChannelAdapter[];
  /** Webhook routers, mounted before the JSON body parser (they verify signatures over their own bodies). */
  webhooks: Array<{ path: string; router: Router }>;
  /** Called once the HTTP server listens (WebSocket upgrades); may return what to call when the server closes. */
  onServer: Array<(server: Server) => void | (() => void)>;
}

/** What one channel hands the gateway: its adapters, and webhooks or server hooks when it has any. */
export type ChannelParts = Pick<ChannelSetup, 'adapters'> & Partial<Pick<ChannelSetup, 'webhooks' | 'onServer'>>;

/**
 * Builds one switched-on channel from its typed settings (what its `config/channels/<id>.channel.ts` `fromEnv`
 * returned) and the gateway's hooks.
 */
export type ChannelSetUp<Config> = (config: Config, hooks: ChannelHooks) => ChannelParts;

import type { Server } from 'node:http';
import type { Router } from 'express';
import type { Logger } from 'pino';
import { emailConfigFromEnv } from '../config/channels/email.schema.js';
import { twilioConfigFromEnv } from '../config/channels/twilio.schema.js';
import { webchatConfigFromEnv } from '../config/channels/webchat.schema.js';
import { wechatConfigFromEnv } from '../config/channels/wechat.schema.js';
import { EmailAdapter, type AttachmentStore } from './email/email.adapter.js';
import { createTwilioRouter } from './twilio/twilio.router.js';
import { TwilioSmsAdapter } from './twilio/twilio-sms.adapter.js';
import { TwilioVoiceAdapter } from './twilio/twilio-voice.adapter.js';
import type { ChannelAdapter, InboundMessage, InboundSink } from './types.js';
import type { AdapterStateStore } from '../contracts/adapter-state.js';
import type { TranscriptReader } from './webchat/transcript.js';
import { WebchatAdapter } from './webchat/webchat.adapter.js';
import { WechatAdapter } from './wechat/wechat.adapter.js';
import { createWechatRouter } from './wechat/wechat-official.router.js';
import { WechatOfficialAdapter } from './wechat/wechat-official.adapter.js';
import { WechatyAdapter } from './wechat/wechaty.adapter.js';

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
}

export interface ChannelSetup {
  adapters: ChannelAdapter[];
  /** Webhook routers, mounted before the JSON body parser (they verify signatures over their own bodies). */
  webhooks: Array<{ path: string; router: Router }>;
  /** Called once the HTTP server listens (WebSocket upgrades); may return what to call when the server closes. */
  onServer: Array<(server: Server) => void | (() => void)>;
}

/**
 * Every channel, listed by hand. A channel is switched on by its environment
 * variables (see .env.example); an unconfigured channel loads nothing.
 */
export function setUpChannels(hooks: ChannelHooks): ChannelSetup {
  const setup: ChannelSetup = { adapters: [], webhooks: [], onServer: [] };

  const email = emailConfigFromEnv(hooks.env);
  if (email)
    setup.adapters.push(new EmailAdapter({ config: email, state: hooks.state('email'), logger: hooks.logger, attachmentStore: hooks.attachmentStore }));

  const twilio = twilioConfigFromEnv(hooks.env);
  if (twilio) {
    const state = hooks.state('twilio');
    setup.adapters.push(new TwilioSmsAdapter({ config: twilio, state, logger: hooks.logger }));
    setup.adapters.push(new TwilioVoiceAdapter({ config: twilio, state, logger: hooks.logger }));
    setup.webhooks.push({
      path: '/webhooks/twilio',
      router: createTwilioRouter({
        config: twilio,
        sink: hooks.sink,
        state,
        logger: hooks.logger,
        isUrgent: hooks.isUrgent,
        isBusinessHours: hooks.isBusinessHours,
        onDeliveryStatus: hooks.onDeliveryStatus && ((externalId, status, code) => hooks.onDeliveryStatus!('sms', externalId, status, code)),
      }),
    });
  }

  const wechat = wechatConfigFromEnv(hooks.env);
  if (wechat) {
    // One state for both: the router records followers' last interaction, the adapter reads it (the 48-hour window).
    const state = hooks.state('wechat');
    const official = wechat.officialAccount && new WechatOfficialAdapter({ config: wechat.officialAccount, state, logger: hooks.logger });
    const wechaty = wechat.wechaty && new WechatyAdapter({ config: wechat.wechaty, logger: hooks.logger });
    setup.adapters.push(new WechatAdapter({ official, wechaty }, hooks.logger));
    if (wechat.officialAccount) {
      setup.webhooks.push({
        path: '/webhooks/wechat',
        router: createWechatRouter({ config: wechat.officialAccount, sink: hooks.sink, logger: hooks.logger, answerNow: hooks.answerNow, state }),
      });
    }
  }

  // Web chat is on unless WEBCHAT_ENABLED=false: the widget works on a fresh start.
  const webchat = webchatConfigFromEnv(hooks.env);
  if (webchat) {
    const adapter = new WebchatAdapter({ config: webchat, state: hooks.state('webchat'), logger: hooks.logger, transcript: hooks.transcript });
    setup.adapters.push(adapter);
    setup.webhooks.push({ path: '/api/messages', router: adapter.botRouter() });
    setup.onServer.push((server) => adapter.attach(server));
  }

  return setup;
}

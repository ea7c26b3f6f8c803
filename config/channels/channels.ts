import type { ChannelConfigDescriptor } from './channel-config.js';
import { emailChannelConfig } from './email.channel.js';
import { twilioChannelConfig } from './twilio.channel.js';
import { webchatChannelConfig } from './webchat.channel.js';
import { wechatChannelConfig } from './wechat.channel.js';

/**
 * Every channel's configuration, listed by hand: the config loader checks each one's environment, the logger redacts
 * their secret keys, and `adapters/channels.ts` must give each id a setup (the compiler refuses a missing or extra one).
 */
export const CHANNEL_CONFIGS = [emailChannelConfig, twilioChannelConfig, wechatChannelConfig, webchatChannelConfig] as const;

type Descriptor = (typeof CHANNEL_CONFIGS)[number];

/** A channel's configuration name: `email`, `twilio`, `wechat`, `webchat`. */
export type ChannelConfigId = Descriptor['id'];

/** The typed settings each channel's `fromEnv` builds, by id. */
export type ChannelSettings = { [D in Descriptor as D['id']]: D extends ChannelConfigDescriptor<string, infer Config> ? Config : never };

/** Every environment variable a channel declares secret. */
export const CHANNEL_SECRET_KEYS: readonly string[] = CHANNEL_CONFIGS.flatMap((d) => d.secretKeys);

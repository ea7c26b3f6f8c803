import type { z } from 'zod';
import type { ChannelId } from '../../contracts/channel-ids.js';

/**
 * What the configuration knows about one channel: its environment variables, which of them are secrets, how it is
 * switched on, and how its typed settings are built. The config loader checks every channel with it, the logger
 * redacts its secret keys, and `adapters/channels.ts` pairs it, by `id`, with the setup that builds the channel's
 * adapters (kept there so that loading the configuration loads no vendor SDK).
 */
export interface ChannelConfigDescriptor<Id extends string = string, Config = unknown, Key extends string = string> {
  /** The channel's configuration name: its durable state prefix and the word in config problems ("twilio channel: …"). */
  readonly id: Id;
  /** The message channels (contracts/channel-ids.ts) its adapters serve: Twilio serves two. */
  readonly channels: readonly ChannelId[];
  /** Its environment variables, as strings (see `.env.example`). */
  readonly envSchema: z.ZodObject;
  /** The variables holding secrets: logged as `[redacted]` by name, and their values cut out of any log text. */
  readonly secretKeys: readonly Key[];
  /** One line for an operator: which variables switch the channel on, and where it is documented. */
  readonly setupNote: string;
  /**
   * The typed settings from environment-style strings; `undefined` when the channel is off. Throws a ZodError naming
   * the variable when the channel is half-configured or a value is malformed.
   */
  fromEnv(env: Record<string, string | undefined>): Config | undefined;
}

/**
 * Declares a channel's configuration. Only a variable of `envSchema` can be named a secret (a typo does not compile),
 * and `Config` is taken from `fromEnv`, so the adapter side's setup is checked against the settings it will get.
 */
export function defineChannelConfig<const Id extends string, Shape extends z.ZodRawShape, Config>(descriptor: {
  id: Id;
  channels: readonly ChannelId[];
  envSchema: z.ZodObject<Shape>;
  secretKeys: readonly (keyof Shape & string)[];
  setupNote: string;
  fromEnv: (env: Record<string, string | undefined>) => Config | undefined;
}): ChannelConfigDescriptor<Id, Config, keyof Shape & string> {
  return descriptor;
}

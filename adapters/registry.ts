import { CHANNEL_CONFIGS, type ChannelConfigId, type ChannelSettings } from '../config/channels/channels.js';
import { CHANNEL_SETUPS } from './channels.js';
import type { ChannelHooks, ChannelParts, ChannelSetup } from './channel-setup.js';

export type { ChannelHooks, ChannelSetup } from './channel-setup.js';

/**
 * Every channel of `config/channels/channels.ts`, in its order, built by its setup in `./channels.ts`. A channel is
 * switched on by its environment variables (each descriptor's `setupNote`, and .env.example); an unconfigured channel
 * loads nothing.
 */
export function setUpChannels(hooks: ChannelHooks): ChannelSetup {
  const setup: ChannelSetup = { adapters: [], webhooks: [], onServer: [] };
  for (const channel of CHANNEL_CONFIGS) {
    const config = channel.fromEnv(hooks.env);
    if (config === undefined) continue;
    const parts = setUpOne(channel.id, config, hooks);
    setup.adapters.push(...parts.adapters);
    setup.webhooks.push(...(parts.webhooks ?? []));
    setup.onServer.push(...(parts.onServer ?? []));
  }
  return setup;
}

/** The channel's setup, given the settings its own `fromEnv` built (the id ties the two together for the compiler). */
function setUpOne<Id extends ChannelConfigId>(id: Id, config: ChannelSettings[Id], hooks: ChannelHooks): ChannelParts {
  return CHANNEL_SETUPS[id](config, hooks);
}

import type { ChannelConfigId, ChannelSettings } from '../config/channels/channels.js';
import type { ChannelSetUp } from './channel-setup.js';
import { setUpEmail } from './email/email.setup.js';
import { setUpTwilio } from './twilio/twilio.setup.js';
import { setUpWebchat } from './webchat/webchat.setup.js';
import { setUpWechat } from './wechat/wechat.setup.js';

/**
 * How each channel of `config/channels/channels.ts` is built, by its id, listed by hand. The type asks for exactly
 * the configured ids, each with a setup taking that channel's settings: a channel added on one side only does not
 * compile.
 */
export const CHANNEL_SETUPS: { readonly [Id in ChannelConfigId]: ChannelSetUp<ChannelSettings[Id]> } = {
  email: setUpEmail,
  twilio: setUpTwilio,
  wechat: setUpWechat,
  webchat: setUpWebchat,
};

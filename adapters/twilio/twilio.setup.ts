import type { TwilioConfig } from '../../config/channels/twilio.schema.js';
import type { ChannelSetUp } from '../channel-setup.js';
import { TwilioSmsAdapter } from './twilio-sms.adapter.js';
import { TwilioVoiceAdapter } from './twilio-voice.adapter.js';
import { createTwilioRouter } from './twilio.router.js';

/** The Twilio channel (configured by config/channels/twilio.channel.ts): SMS and voice adapters and their webhooks. */
export const setUpTwilio: ChannelSetUp<TwilioConfig> = (config, hooks) => {
  const state = hooks.state('twilio');
  return {
    adapters: [new TwilioSmsAdapter({ config, state, logger: hooks.logger }), new TwilioVoiceAdapter({ config, state, logger: hooks.logger })],
    webhooks: [
      {
        path: '/webhooks/twilio',
        router: createTwilioRouter({
          config,
          sink: hooks.sink,
          state,
          logger: hooks.logger,
          isUrgent: hooks.isUrgent,
          isBusinessHours: hooks.isBusinessHours,
          onDeliveryStatus: hooks.onDeliveryStatus && ((externalId, status, code) => hooks.onDeliveryStatus!('sms', externalId, status, code)),
        }),
      },
    ],
  };
};

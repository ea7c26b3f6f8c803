import { defineChannelConfig } from './channel-config.js';
import { twilioConfigFromEnv, twilioEnvSchema } from './twilio.schema.js';

/** The Twilio channel's configuration (SMS and voice); its adapters and webhooks are built in adapters/twilio/twilio.setup.ts. */
export const twilioChannelConfig = defineChannelConfig({
  id: 'twilio',
  channels: ['sms', 'voice'],
  envSchema: twilioEnvSchema,
  secretKeys: ['TWILIO_AUTH_TOKEN', 'TWILIO_WEBHOOK_SHARED_KEY_SECRET'],
  setupNote:
    'SMS and voice, on when TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is set; then both, TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID, and PUBLIC_BASE_URL are needed (.env.example "SMS and voice (Twilio)", README "Channels")',
  fromEnv: twilioConfigFromEnv,
});

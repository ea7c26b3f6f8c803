import { defineChannelConfig } from './channel-config.js';
import { webchatConfigFromEnv, webchatEnvSchema } from './webchat.schema.js';

/** The web chat channel's configuration (widget and Bot Framework); its adapter and routes are built in adapters/webchat/webchat.setup.ts. */
export const webchatChannelConfig = defineChannelConfig({
  id: 'webchat',
  channels: ['webchat'],
  envSchema: webchatEnvSchema,
  secretKeys: ['MICROSOFT_APP_PASSWORD', 'WEBCHAT_SESSION_SECRET'],
  setupNote:
    'on unless WEBCHAT_ENABLED=false; MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD make /api/messages require a Bot Connector token (.env.example "Web chat", README "Channels")',
  fromEnv: webchatConfigFromEnv,
});

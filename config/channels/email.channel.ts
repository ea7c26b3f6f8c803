import { defineChannelConfig } from './channel-config.js';
import { emailConfigFromEnv, emailEnvSchema } from './email.schema.js';

/** The e-mail channel's configuration; its adapter is built in adapters/email/email.setup.ts. */
export const emailChannelConfig = defineChannelConfig({
  id: 'email',
  channels: ['email'],
  envSchema: emailEnvSchema,
  // The SMTP login falls back to the IMAP one, so both passwords are secrets whichever is set.
  secretKeys: ['EMAIL_PASSWORD', 'EMAIL_SMTP_PASSWORD'],
  setupNote: 'on when EMAIL_IMAP_HOST, EMAIL_USER and EMAIL_PASSWORD are set; replies need EMAIL_SMTP_HOST (.env.example "E-mail channel", README "Channels")',
  fromEnv: emailConfigFromEnv,
});

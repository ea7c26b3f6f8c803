import type { EmailConfig } from '../../config/channels/email.schema.js';
import type { ChannelSetUp } from '../channel-setup.js';
import { EmailAdapter } from './email.adapter.js';

/** The e-mail channel (configured by config/channels/email.channel.ts): one adapter reads the mailbox and sends the replies. */
export const setUpEmail: ChannelSetUp<EmailConfig> = (config, hooks) => ({
  adapters: [
    new EmailAdapter({ config, state: hooks.state('email'), logger: hooks.logger, attachmentStore: hooks.attachmentStore, rateCounter: hooks.rateCounter }),
  ],
});

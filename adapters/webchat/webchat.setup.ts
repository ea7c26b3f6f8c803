import type { WebchatConfig } from '../../config/channels/webchat.schema.js';
import type { ChannelSetUp } from '../channel-setup.js';
import { WebchatAdapter } from './webchat.adapter.js';

/**
 * The web chat channel (configured by config/channels/webchat.channel.ts): the widget's WebSocket, attached once the
 * server listens, and the Bot Framework endpoint.
 */
export const setUpWebchat: ChannelSetUp<WebchatConfig> = (config, hooks) => {
  const adapter = new WebchatAdapter({ config, state: hooks.state('webchat'), logger: hooks.logger, transcript: hooks.transcript, bus: hooks.bus });
  return {
    adapters: [adapter],
    webhooks: [{ path: '/api/messages', router: adapter.botRouter() }],
    onServer: [(server) => adapter.attach(server)],
  };
};

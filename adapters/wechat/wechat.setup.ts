import type { WechatConfig } from '../../config/channels/wechat.schema.js';
import type { ChannelSetUp } from '../channel-setup.js';
import { WechatAdapter } from './wechat.adapter.js';
import { createWechatRouter } from './wechat-official.router.js';
import { WechatOfficialAdapter } from './wechat-official.adapter.js';
import { WechatyAdapter } from './wechaty.adapter.js';

/**
 * The WeChat channel (configured by config/channels/wechat.channel.ts): one adapter over the Official Account and
 * wechaty, whichever are configured, and the Official Account's push webhook.
 */
export const setUpWechat: ChannelSetUp<WechatConfig> = (config, hooks) => {
  // One state for both: the router records followers' last interaction, the adapter reads it (the 48-hour window).
  const state = hooks.state('wechat');
  const official = config.officialAccount && new WechatOfficialAdapter({ config: config.officialAccount, state, logger: hooks.logger });
  const wechaty = config.wechaty && new WechatyAdapter({ config: config.wechaty, logger: hooks.logger });
  return {
    adapters: [new WechatAdapter({ official, wechaty }, hooks.logger)],
    webhooks: config.officialAccount
      ? [
          {
            path: '/webhooks/wechat',
            router: createWechatRouter({ config: config.officialAccount, sink: hooks.sink, logger: hooks.logger, answerNow: hooks.answerNow, state }),
          },
        ]
      : [],
  };
};

import { defineChannelConfig } from './channel-config.js';
import { wechatConfigFromEnv, wechatEnvSchema } from './wechat.schema.js';

/** The WeChat channel's configuration (Official Account and wechaty); its adapter and webhook are built in adapters/wechat/wechat.setup.ts. */
export const wechatChannelConfig = defineChannelConfig({
  id: 'wechat',
  channels: ['wechat'],
  envSchema: wechatEnvSchema,
  // The Token signs every push and the EncodingAESKey decrypts it: both are as secret as the AppSecret.
  secretKeys: ['WECHAT_TOKEN', 'WECHAT_AES_KEY', 'WECHAT_APP_SECRET', 'WECHATY_PUPPET_SERVICE_TOKEN'],
  setupNote:
    'the Official Account is on when WECHAT_TOKEN is set, wechaty when WECHATY_PUPPET is set (.env.example "WeChat Official Account" and "WeChat personal / WeCom account", README "Channels")',
  fromEnv: wechatConfigFromEnv,
});

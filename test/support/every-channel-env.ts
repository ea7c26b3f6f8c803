/**
 * An environment that switches every channel of config/channels/channels.ts on, with every secret variable set to a
 * distinct value of at least 8 characters (none a part of another), for tests of the channel list and of log
 * redaction. Nothing here reaches a network: adapters are built, never started.
 */
export const EVERY_CHANNEL_ENV: Readonly<Record<string, string>> = {
  EMAIL_IMAP_HOST: '127.0.0.1',
  EMAIL_USER: 'complaints@example.com',
  EMAIL_PASSWORD: 'imap-pass-Qv7Lm2Rx',
  EMAIL_SMTP_HOST: '127.0.0.1',
  EMAIL_SMTP_PASSWORD: 'smtp-pass-Hw4Tz9Kc',
  TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
  TWILIO_AUTH_TOKEN: 'f3a9c2e1d4b5a69788776655443322aa',
  TWILIO_FROM: '+14155550100',
  TWILIO_WEBHOOK_SHARED_KEY_SECRET: 'shared-key-Pm3Vd8Ws',
  PUBLIC_BASE_URL: 'https://support.example.com',
  WECHAT_TOKEN: 'wxPushTokenJ5n',
  WECHAT_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  WECHAT_APP_ID: 'wx1234567890abcdef',
  WECHAT_APP_SECRET: 'appsecret-Ty6Bq1Gz0Nf4',
  WECHATY_PUPPET: 'wechaty-puppet-service',
  WECHATY_PUPPET_SERVICE_TOKEN: 'puppet-token-Ur2Ke7Yh',
  WEBCHAT_ENABLED: 'true',
  MICROSOFT_APP_ID: '7e1c3d52-9b0a-4f6e-8d21-3c4b5a697f80',
  MICROSOFT_APP_PASSWORD: 'bot-password-Xs8Jf3Lp',
  WEBCHAT_SESSION_SECRET: 'session-secret-Cd5Nv0Wq-at-least-32-chars',
};

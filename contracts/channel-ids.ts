/**
 * The channels a message can come in on: a contract every layer shares (adapters, the config schemas,
 * nlp's FAQ channels, storage, the gateway). Lives here, importing nothing of ours, so that no layer has to
 * import another one for it.
 */
export const CHANNEL_IDS = ['email', 'sms', 'voice', 'webchat', 'webform', 'wechat', 'api'] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

import { z } from 'zod';

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());
const commaList = z.string().transform((s) =>
  s
    .split(/[,，]/) // a full-width comma is easy to type in a Chinese .env file
    .map((p) => p.trim())
    .filter(Boolean),
);

/**
 * Words that make a group message a complaint even without an @mention. Simplified and
 * Traditional forms are both listed because community groups mix them (投诉 = 投訴).
 */
export const DEFAULT_COMPLAINT_CUES = [
  '投诉',
  '投訴',
  '退款',
  '退货',
  '退貨',
  '坏了',
  '壞了',
  '差评',
  '差評',
  '质量问题',
  '質量問題',
  '维权',
  '維權',
  '客服',
  '骗子',
  '騙子',
  'complaint',
  'complain',
  'refund',
  'broken',
  'scam',
] as const;

/**
 * Menu keys (`EventKey` of a `CLICK` event) that mean "I want to complain / talk to
 * support". A click on any other menu item is answered "success" and dropped (it carries no words of the customer).
 */
export const DEFAULT_COMPLAINT_MENU_KEYS = ['COMPLAINT', 'CONTACT_SUPPORT', 'CUSTOMER_SERVICE', '投诉', '联系客服'] as const;

/**
 * What a template message field can be filled with, from the outbound message:
 * - `title`: WECHAT_UPDATE_TEMPLATE_TITLE;
 * - `ticketNumber`: the ticket number;
 * - `summary`: the text's first sentence (the status link taken out: it is the template's link);
 * - `rest`: the text after that sentence;
 * - `text`: the whole text;
 * - `subject`: the ticket subject;
 * - `time`: when it is sent, `YYYY-MM-DD HH:mm` China time (UTC+8).
 */
export const TEMPLATE_FIELD_SOURCES = ['title', 'ticketNumber', 'summary', 'rest', 'text', 'subject', 'time'] as const;
export type TemplateFieldSource = (typeof TEMPLATE_FIELD_SOURCES)[number];

/** One `data` field of the template message: its key in the template, what fills it, and at most how many characters. */
export interface TemplateField {
  field: string;
  source: TemplateFieldSource;
  maxChars: number;
}

/** Values longer than this are cut with "…" unless the mapping gives a limit (`keyword2=summary:20`). */
export const DEFAULT_TEMPLATE_FIELD_MAX_CHARS = 200;

/** The classic layout (first / keyword1 / keyword2 / remark). */
export const DEFAULT_TEMPLATE_FIELDS = 'first=title,keyword1=ticketNumber,keyword2=summary,remark=rest';

export const DEFAULT_TEMPLATE_TITLE = '您的工单有新进展';

/**
 * WECHAT_UPDATE_TEMPLATE_FIELDS: comma list of `field=source` or `field=source:maxChars`,
 * e.g. `thing1=summary:20,character_string2=ticketNumber,time3=time` for a template with
 * WeChat's newer typed keys (a `thing` holds at most 20 characters).
 */
const templateFields = z.string().transform((s, ctx): TemplateField[] => {
  const fields: TemplateField[] = [];
  for (const item of s
    .split(/[,，]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z][A-Za-z0-9_]{0,31})\s*=\s*([A-Za-z]+)(?:\s*:\s*([0-9]{1,4}))?$/.exec(item);
    const source = m?.[2] as TemplateFieldSource | undefined;
    const maxChars = m?.[3] === undefined ? DEFAULT_TEMPLATE_FIELD_MAX_CHARS : Number(m[3]);
    if (!m || !TEMPLATE_FIELD_SOURCES.includes(source!) || maxChars < 1) {
      ctx.addIssue({
        code: 'custom',
        message: `"${item}" is not field=source[:maxChars] with a source among ${TEMPLATE_FIELD_SOURCES.join(', ')}`,
      });
      return z.NEVER;
    }
    if (fields.some((f) => f.field === m[1])) {
      ctx.addIssue({ code: 'custom', message: `the field ${m[1]} is listed twice` });
      return z.NEVER;
    }
    fields.push({ field: m[1]!, source: source!, maxChars });
  }
  if (fields.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'at least one field=source' });
    return z.NEVER;
  }
  return fields;
});

/**
 * The WeChat channel's environment variables (strings, as in `.env`). Two independent
 * parts: the Official Account (服务号) webhook + customer-service API, switched on by
 * `WECHAT_TOKEN`, and wechaty for a personal/WeCom account, switched on by
 * `WECHATY_PUPPET`. An empty value counts as unset.
 */
export const wechatEnvSchema = z.object({
  /** The Token set in the Official Account console (服务器配置): 3–32 letters or digits. */
  WECHAT_TOKEN: optional(z.string().regex(/^[A-Za-z0-9]{3,32}$/, '3 to 32 letters or digits, as in the Official Account console')),
  /** EncodingAESKey (43 characters) for safe mode (安全模式) and compatible mode. */
  WECHAT_AES_KEY: optional(z.string().regex(/^[A-Za-z0-9]{43}$/, 'the 43-character EncodingAESKey from the Official Account console')),
  /** AppID (wx…). Needed for safe mode (the decrypted message names it) and for the customer-service API. */
  WECHAT_APP_ID: optional(z.string().regex(/^wx[0-9a-zA-Z]{14,30}$/, 'the AppID, wx followed by 16 letters or digits')),
  /** AppSecret, for fetching access tokens for the customer-service message API. */
  WECHAT_APP_SECRET: optional(z.string().min(16, 'the 32-character AppSecret')),
  /** API origin; a proxy or a test server may stand in for it. */
  WECHAT_API_BASE: z.preprocess(emptyAsUndefined, z.url().default('https://api.weixin.qq.com')),
  /** Comma list of menu EventKeys that open a complaint (see DEFAULT_COMPLAINT_MENU_KEYS). */
  WECHAT_COMPLAINT_MENU_KEYS: z.preprocess(emptyAsUndefined, commaList.default([...DEFAULT_COMPLAINT_MENU_KEYS])),
  /**
   * The template message (模板消息) sent instead of a customer-service message when the customer last wrote more than
   * 48 hours ago (WeChat refuses those: 45015). Without it such a message fails for good, recorded on the ticket.
   */
  WECHAT_UPDATE_TEMPLATE_ID: optional(z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'the template ID from the Official Account console (模板消息)')),
  /** How the message fills the template's fields (see TEMPLATE_FIELD_SOURCES); default DEFAULT_TEMPLATE_FIELDS. */
  WECHAT_UPDATE_TEMPLATE_FIELDS: z.preprocess(emptyAsUndefined, templateFields.default(templateFields.parse(DEFAULT_TEMPLATE_FIELDS))),
  /** The `title` source: a short heading. */
  WECHAT_UPDATE_TEMPLATE_TITLE: z.preprocess(emptyAsUndefined, z.string().max(200).default(DEFAULT_TEMPLATE_TITLE)),
  /** The template message's link when the message carries no status link. */
  PUBLIC_BASE_URL: optional(z.url()),
  /** The wechaty puppet package, e.g. wechaty-puppet-service (WeCom/pad tokens) or wechaty-puppet-wechat4u. */
  WECHATY_PUPPET: optional(z.string().regex(/^(@[a-z0-9-]+\/)?wechaty-puppet-[a-z0-9-]+$/, 'a puppet package name such as wechaty-puppet-service')),
  WECHATY_PUPPET_SERVICE_TOKEN: optional(z.string().min(1)),
  /** Name of the wechaty memory card (session file), so a restart does not need a new QR scan. */
  WECHATY_NAME: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('complaint-gateway'),
  ),
  /** Where agents' replies to a group complaint go: back into the room with an @mention, or privately to the customer. */
  WECHATY_GROUP_REPLY: z.preprocess(emptyAsUndefined, z.enum(['room', 'private']).default('room')),
  /** Comma list of words that make a group message a complaint without an @mention. */
  WECHATY_COMPLAINT_CUES: z.preprocess(emptyAsUndefined, commaList.default([...DEFAULT_COMPLAINT_CUES])),
});

export type WechatEnv = z.infer<typeof wechatEnvSchema>;

/** Official Account (服务号) settings: the message-push webhook and the customer-service API. */
export interface WechatOfficialConfig {
  token: string;
  /** Present when safe or compatible mode is set up; plaintext pushes are accepted either way. */
  aesKey?: string;
  appId?: string;
  appSecret?: string;
  /** Without a trailing slash. */
  apiBase: string;
  complaintMenuKeys: string[];
  /** The template message for customers outside the 48-hour customer-service window; none: such messages fail for good. */
  updateTemplate?: WechatTemplateConfig;
  /** PUBLIC_BASE_URL without a trailing slash: the template message's link when the message has no status link. */
  publicBaseUrl?: string;
}

/** WECHAT_UPDATE_TEMPLATE_ID, _FIELDS and _TITLE. */
export interface WechatTemplateConfig {
  templateId: string;
  fields: TemplateField[];
  title: string;
}

/** wechaty settings for a personal or WeCom account. */
export interface WechatyConfig {
  puppet: string;
  puppetToken?: string;
  name: string;
  groupReply: 'room' | 'private';
  complaintCues: string[];
}

export interface WechatConfig {
  officialAccount?: WechatOfficialConfig;
  wechaty?: WechatyConfig;
}

function fail(name: string, message: string): never {
  throw new z.ZodError([{ code: 'custom', path: [name], message, input: undefined }]);
}

/**
 * Builds the WeChat settings from environment-style strings. Returns `undefined` when
 * neither part is configured; throws a ZodError naming the variable when a part is
 * configured but incomplete or malformed.
 */
export function wechatConfigFromEnv(env: Record<string, string | undefined>): WechatConfig | undefined {
  const e = wechatEnvSchema.parse(env);
  const config: WechatConfig = {};
  if (e.WECHAT_TOKEN) {
    // The decrypted payload ends with the AppID, and we check it: without it a
    // message encrypted for another account would be accepted.
    if (e.WECHAT_AES_KEY && !e.WECHAT_APP_ID) fail('WECHAT_APP_ID', 'WECHAT_APP_ID is required when WECHAT_AES_KEY is set');
    if (e.WECHAT_APP_SECRET && !e.WECHAT_APP_ID) fail('WECHAT_APP_ID', 'WECHAT_APP_ID is required when WECHAT_APP_SECRET is set');
    // Template messages go through the API like customer-service messages: they need its credentials.
    if (e.WECHAT_UPDATE_TEMPLATE_ID && !e.WECHAT_APP_SECRET)
      fail('WECHAT_APP_SECRET', 'WECHAT_APP_ID and WECHAT_APP_SECRET are required when WECHAT_UPDATE_TEMPLATE_ID is set');
    config.officialAccount = {
      token: e.WECHAT_TOKEN,
      aesKey: e.WECHAT_AES_KEY,
      appId: e.WECHAT_APP_ID,
      appSecret: e.WECHAT_APP_SECRET,
      apiBase: e.WECHAT_API_BASE.replace(/\/+$/, ''),
      complaintMenuKeys: e.WECHAT_COMPLAINT_MENU_KEYS,
      updateTemplate: e.WECHAT_UPDATE_TEMPLATE_ID
        ? { templateId: e.WECHAT_UPDATE_TEMPLATE_ID, fields: e.WECHAT_UPDATE_TEMPLATE_FIELDS, title: e.WECHAT_UPDATE_TEMPLATE_TITLE }
        : undefined,
      publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    };
  } else if (e.WECHAT_AES_KEY || e.WECHAT_APP_SECRET) {
    fail('WECHAT_TOKEN', 'WECHAT_TOKEN is required when the Official Account is configured (WECHAT_AES_KEY or WECHAT_APP_SECRET is set)');
  }
  if (e.WECHATY_PUPPET) {
    // wechaty-puppet-service cannot log in without its token; other puppets log in by QR scan.
    if (e.WECHATY_PUPPET === 'wechaty-puppet-service' && !e.WECHATY_PUPPET_SERVICE_TOKEN) {
      fail('WECHATY_PUPPET_SERVICE_TOKEN', 'WECHATY_PUPPET_SERVICE_TOKEN is required with wechaty-puppet-service');
    }
    config.wechaty = {
      puppet: e.WECHATY_PUPPET,
      puppetToken: e.WECHATY_PUPPET_SERVICE_TOKEN,
      name: e.WECHATY_NAME,
      groupReply: e.WECHATY_GROUP_REPLY,
      complaintCues: e.WECHATY_COMPLAINT_CUES,
    };
  }
  return config.officialAccount || config.wechaty ? config : undefined;
}

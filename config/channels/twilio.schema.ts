import { z } from 'zod';

/** The two IVR languages: Twilio's `<Say>`/`<Gather>` language codes. */
export const VOICE_LANGUAGES = ['zh-CN', 'en-US'] as const;
export type VoiceLanguage = (typeof VOICE_LANGUAGES)[number];

/**
 * A Twilio SID: a two-letter type prefix (AC account, MG messaging service, SM/MM message,
 * CA call, RE recording, TR transcription) and 32 hex digits, 34 characters in all. The
 * config and every webhook field holding a SID are checked against this one shape.
 */
export function twilioSid(...prefixes: string[]) {
  return z.string().regex(new RegExp(`^(?:${prefixes.join('|')})[0-9a-fA-F]{32}$`), `${prefixes.join(' or ')} followed by 32 hex digits`);
}

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number such as +8613800138000');
const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());
const commaList = z.string().transform((s) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
);

/**
 * The Twilio channel's environment variables (strings, as in `.env`). Everything is
 * optional: the channel is simply off until the account SID, auth token and a sender
 * are set. An empty value counts as unset so a blank line in `.env` does no harm.
 */
export const twilioEnvSchema = z.object({
  TWILIO_ACCOUNT_SID: optional(twilioSid('AC')),
  TWILIO_AUTH_TOKEN: optional(z.string().min(16, 'the 32-character auth token from the Twilio console')),
  /** Our SMS sender number. Either this or TWILIO_MESSAGING_SERVICE_SID. */
  TWILIO_FROM: optional(e164),
  TWILIO_MESSAGING_SERVICE_SID: optional(twilioSid('MG')),
  /** Who answers safety emergencies (menu 9, or speech classified severity 1), around the clock. */
  TWILIO_ONCALL_NUMBER: optional(e164),
  /** Menu 3 ("talk to an agent") during business hours; without it callers leave a voicemail. */
  TWILIO_AGENT_NUMBER: optional(e164),
  /** The public https origin Twilio calls (and signs requests for), e.g. https://support.example.com. */
  PUBLIC_BASE_URL: optional(z.url()),
  /** Language of the greeting when the caller's number says nothing (zh-CN or en-US). */
  TWILIO_VOICE_DEFAULT_LANGUAGE: z.preprocess(emptyAsUndefined, z.enum(VOICE_LANGUAGES).default('zh-CN')),
  /** Caller number prefixes greeted in Chinese; every other caller is greeted in English. */
  TWILIO_VOICE_ZH_PREFIXES: z.preprocess(emptyAsUndefined, commaList.default(['+86', '+852', '+853', '+886'])),
  TWILIO_VOICE_ZH_VOICE: z.preprocess(emptyAsUndefined, z.string().default('Polly.Zhiyu')),
  TWILIO_VOICE_EN_VOICE: z.preprocess(emptyAsUndefined, z.string().default('Polly.Joanna')),
  /** `<Say language>` for the Chinese voice: Polly.Zhiyu is listed by Twilio under cmn-CN, not zh-CN. */
  TWILIO_VOICE_ZH_SAY_LANGUAGE: z.preprocess(emptyAsUndefined, z.string().default('cmn-CN')),
  /** Company name spoken in the greeting. */
  TWILIO_VOICE_BRAND_ZH: z.preprocess(emptyAsUndefined, z.string().default('客户服务中心')),
  TWILIO_VOICE_BRAND_EN: z.preprocess(emptyAsUndefined, z.string().default('customer service')),
  /** Longest voicemail, in seconds. */
  TWILIO_VOICEMAIL_MAX_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(10).max(3600).default(120)),
  /**
   * Used only when the gateway does not inject its SLA calendar: business hours as
   * `Mon-Fri 09:00-18:00` in TWILIO_TIME_ZONE.
   */
  TWILIO_BUSINESS_HOURS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)-(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{2}:\d{2}-\d{2}:\d{2}$/, 'like Mon-Fri 09:00-18:00')
      .default('Mon-Fri 09:00-18:00'),
  ),
  TWILIO_TIME_ZONE: z.preprocess(emptyAsUndefined, z.string().default('Asia/Shanghai')),
  /** SharedKey secret for webhooks signed with a SharedKey (X-Twilio-Webhooks-Signature-Settings); optional. */
  TWILIO_WEBHOOK_SHARED_KEY_SECRET: optional(z.string().min(1)),
  /** Reply to HELP / 帮助 by SMS. */
  TWILIO_SMS_HELP_TEXT_ZH: z.preprocess(
    emptyAsUndefined,
    z.string().default('投诉请直接回复短信描述问题；紧急安全问题请致电客服热线。回复"退订"停止接收短信。'),
  ),
  TWILIO_SMS_HELP_TEXT_EN: z.preprocess(
    emptyAsUndefined,
    z.string().default('Reply with a description of your problem to file a complaint; call our hotline for safety emergencies. Reply STOP to opt out.'),
  ),
});

export type TwilioEnv = z.infer<typeof twilioEnvSchema>;

/** Business hours for the default calendar: days of week (0 = Sunday) and minutes since midnight. */
export interface WeeklyHours {
  days: number[];
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

/** The typed Twilio channel settings every part of `adapters/twilio/` receives. */
export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** Our sender number, when no Messaging Service is set (or the fallback sender). */
  from?: string;
  messagingServiceSid?: string;
  onCallNumber?: string;
  agentNumber?: string;
  /** Without a trailing slash. Signatures are checked against this origin + the request path. */
  publicBaseUrl: string;
  voice: {
    defaultLanguage: VoiceLanguage;
    zhPrefixes: string[];
    voices: Record<VoiceLanguage, string>;
    /** `<Say language>` per IVR language (speech recognition always uses the IVR language itself). */
    sayLanguages: Record<VoiceLanguage, string>;
    brand: Record<VoiceLanguage, string>;
    voicemailMaxSeconds: number;
  };
  businessHours: WeeklyHours;
  webhookSharedKeySecret?: string;
  helpText: Record<VoiceLanguage, string>;
}

const DAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function parseWeeklyHours(spec: string, timeZone: string): WeeklyHours {
  const [dayRange, timeRange] = spec.split(' ');
  const [firstDay, lastDay] = dayRange.split('-').map((d) => DAY_INDEX[d]);
  const days: number[] = [];
  // Ranges may wrap the week (Sat-Sun, Fri-Mon).
  for (let d = firstDay; ; d = (d + 1) % 7) {
    days.push(d);
    if (d === lastDay) break;
  }
  const [startMinute, endMinute] = timeRange.split('-').map((t) => {
    const [h, m] = t.split(':').map(Number);
    return h * 60 + m;
  });
  return { days, startMinute, endMinute, timeZone };
}

/**
 * Builds the Twilio settings from environment-style strings. Returns `undefined`
 * when the channel is not configured (no account SID or auth token); throws a
 * ZodError naming the variable when it is configured but incomplete or malformed.
 */
export function twilioConfigFromEnv(env: Record<string, string | undefined>): TwilioConfig | undefined {
  const e = twilioEnvSchema.parse(env);
  if (!e.TWILIO_ACCOUNT_SID && !e.TWILIO_AUTH_TOKEN) return undefined;
  const missing: string[] = [];
  if (!e.TWILIO_ACCOUNT_SID) missing.push('TWILIO_ACCOUNT_SID');
  if (!e.TWILIO_AUTH_TOKEN) missing.push('TWILIO_AUTH_TOKEN');
  if (!e.TWILIO_FROM && !e.TWILIO_MESSAGING_SERVICE_SID) missing.push('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID');
  // Twilio signs the public URL it calls; without it no webhook could be verified.
  if (!e.PUBLIC_BASE_URL) missing.push('PUBLIC_BASE_URL');
  if (missing.length > 0) {
    throw new z.ZodError(
      missing.map((name) => ({
        code: 'custom' as const,
        path: [name],
        message: `${name} is required when the Twilio channel is configured`,
        input: undefined,
      })),
    );
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: e.TWILIO_TIME_ZONE });
  } catch {
    throw new z.ZodError([{ code: 'custom', path: ['TWILIO_TIME_ZONE'], message: `unknown time zone ${e.TWILIO_TIME_ZONE}`, input: e.TWILIO_TIME_ZONE }]);
  }
  return {
    accountSid: e.TWILIO_ACCOUNT_SID!,
    authToken: e.TWILIO_AUTH_TOKEN!,
    from: e.TWILIO_FROM,
    messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
    onCallNumber: e.TWILIO_ONCALL_NUMBER,
    agentNumber: e.TWILIO_AGENT_NUMBER,
    publicBaseUrl: e.PUBLIC_BASE_URL!.replace(/\/+$/, ''),
    voice: {
      defaultLanguage: e.TWILIO_VOICE_DEFAULT_LANGUAGE,
      zhPrefixes: e.TWILIO_VOICE_ZH_PREFIXES,
      voices: { 'zh-CN': e.TWILIO_VOICE_ZH_VOICE, 'en-US': e.TWILIO_VOICE_EN_VOICE },
      sayLanguages: { 'zh-CN': e.TWILIO_VOICE_ZH_SAY_LANGUAGE, 'en-US': 'en-US' },
      brand: { 'zh-CN': e.TWILIO_VOICE_BRAND_ZH, 'en-US': e.TWILIO_VOICE_BRAND_EN },
      voicemailMaxSeconds: e.TWILIO_VOICEMAIL_MAX_SECONDS,
    },
    businessHours: parseWeeklyHours(e.TWILIO_BUSINESS_HOURS, e.TWILIO_TIME_ZONE),
    webhookSharedKeySecret: e.TWILIO_WEBHOOK_SHARED_KEY_SECRET,
    helpText: { 'zh-CN': e.TWILIO_SMS_HELP_TEXT_ZH, 'en-US': e.TWILIO_SMS_HELP_TEXT_EN },
  };
}

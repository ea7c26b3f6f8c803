import { z } from 'zod';

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());
const commaList = z.string().transform((s) =>
  s
    .split(/[,，]/)
    .map((p) => p.trim().replace(/\/+$/, ''))
    .filter(Boolean),
);

/**
 * The web chat channel's environment variables (strings, as in `.env`). Web chat is
 * on by default so the widget works on a fresh `npm start`; the Bot Framework
 * credentials are optional (without `MICROSOFT_APP_ID` the `/api/messages`
 * endpoint is open, for local development with the Bot Framework Emulator).
 */
export const webchatEnvSchema = z.object({
  /** "false" switches the widget and the Bot Framework endpoint off. */
  WEBCHAT_ENABLED: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).default('true')),
  /** Azure Bot registration: with an app id set, every /api/messages request must carry a valid Bot Connector token. */
  MICROSOFT_APP_ID: optional(z.string().min(1)),
  MICROSOFT_APP_PASSWORD: optional(z.string().min(1)),
  MICROSOFT_APP_TENANT_ID: optional(z.string().min(1)),
  MICROSOFT_APP_TYPE: z.preprocess(emptyAsUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant')),
  /**
   * Signs widget session tokens (at least 32 characters). When unset, a secret is
   * generated once and kept in the gateway's state store, so sessions survive restarts.
   */
  WEBCHAT_SESSION_SECRET: optional(z.string().min(32, 'at least 32 characters')),
  /** How long a widget session (and so its conversation) can be resumed. */
  WEBCHAT_SESSION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(365).default(30)),
  /** Comma list of site origins allowed to open the widget socket (e.g. https://shop.example.com); empty allows any. */
  WEBCHAT_ALLOWED_ORIGINS: z.preprocess(emptyAsUndefined, commaList.optional()),
  /** With deliveryMode expectReplies, how long a Bot Framework turn waits for the acknowledgement to return it in the response. */
  WEBCHAT_EXPECT_REPLIES_WAIT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(15_000).default(5000)),
});

export type WebchatEnv = z.infer<typeof webchatEnvSchema>;

/** Bot Framework (Azure Bot) credentials; all optional for local development. */
export interface BotFrameworkConfig {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  expectRepliesWaitMs: number;
}

export interface WebchatConfig {
  botFramework: BotFrameworkConfig;
  /** Undefined: derive one and keep it in the state store. */
  sessionSecret?: string;
  sessionMaxAgeMs: number;
  /** Undefined: any origin may embed the widget. */
  allowedOrigins?: string[];
}

function fail(name: string, message: string): never {
  throw new z.ZodError([{ code: 'custom', path: [name], message, input: undefined }]);
}

/**
 * Builds the web chat settings from environment-style strings. Returns `undefined`
 * only when `WEBCHAT_ENABLED=false`; throws a ZodError naming the variable when a
 * value is malformed or the Bot Framework credentials are incomplete.
 */
export function webchatConfigFromEnv(env: Record<string, string | undefined>): WebchatConfig | undefined {
  const e = webchatEnvSchema.parse(env);
  if (e.WEBCHAT_ENABLED === 'false') return undefined;
  if (e.MICROSOFT_APP_ID && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !e.MICROSOFT_APP_PASSWORD) {
    fail('MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID (unless MICROSOFT_APP_TYPE=UserAssignedMSI)');
  }
  if (e.MICROSOFT_APP_TYPE === 'SingleTenant' && e.MICROSOFT_APP_ID && !e.MICROSOFT_APP_TENANT_ID) {
    fail('MICROSOFT_APP_TENANT_ID', 'MICROSOFT_APP_TENANT_ID is required with MICROSOFT_APP_TYPE=SingleTenant');
  }
  if (!e.MICROSOFT_APP_ID && e.MICROSOFT_APP_PASSWORD) fail('MICROSOFT_APP_ID', 'MICROSOFT_APP_ID is required when MICROSOFT_APP_PASSWORD is set');
  return {
    botFramework: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
      expectRepliesWaitMs: e.WEBCHAT_EXPECT_REPLIES_WAIT_MS,
    },
    sessionSecret: e.WEBCHAT_SESSION_SECRET,
    sessionMaxAgeMs: e.WEBCHAT_SESSION_DAYS * 86_400_000,
    allowedOrigins: e.WEBCHAT_ALLOWED_ORIGINS,
  };
}

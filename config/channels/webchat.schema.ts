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
 * Where a Bot Framework activity's `serviceUrl` may point: the gateway POSTs its replies
 * (with the bot's token, when an app id is set) to that URL, so an unchecked one is an SSRF.
 * `host` is exact, or `*.` + a domain for any of its subdomains (not the domain itself).
 */
export interface ServiceUrlRule {
  protocol: 'https:' | 'http:';
  host: string;
  /** `'*'`: any port; a number: only that one. */
  port: number | '*';
}

/**
 * Microsoft's Bot Connector hosts: every channel (Web Chat, Direct Line, Slack, Facebook…) under
 * botframework.com, its US Government twin, and Teams (smba.trafficmanager.net for the public
 * cloud, smba.infra.* for GCC, GCC High and DoD). Only the exact Teams host: any Azure customer
 * can register <name>.trafficmanager.net, so a wildcard there would let anyone in. HTTPS on 443 only.
 */
export const BOT_FRAMEWORK_SERVICE_HOSTS: readonly ServiceUrlRule[] = [
  '*.botframework.com',
  '*.botframework.azure.us',
  'smba.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
].map((host) => ({ protocol: 'https:' as const, host, port: 443 }));

const SERVICE_HOST_ENTRY =
  /^(?:(https?):\/\/)?((?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?\/?$/i;

/** One WEBCHAT_BOT_SERVICE_HOSTS entry (`[http://]host[:port|:*]`, host may be `*.domain`), or undefined when malformed. */
export function parseServiceHostEntry(entry: string): ServiceUrlRule | undefined {
  const m = SERVICE_HOST_ENTRY.exec(entry.trim());
  if (!m) return undefined;
  const protocol = (m[1]?.toLowerCase() ?? 'https') === 'http' ? 'http:' : 'https:';
  const port = m[3] === '*' ? '*' : m[3] ? Number(m[3]) : protocol === 'https:' ? 443 : 80;
  if (port !== '*' && (port < 1 || port > 65535)) return undefined;
  return { protocol, host: m[2]!.toLowerCase(), port };
}

const serviceHostList = z.string().transform((s, ctx) => {
  const rules: ServiceUrlRule[] = [];
  for (const entry of s
    .split(/[,，]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const rule = parseServiceHostEntry(entry);
    if (rule) rules.push(rule);
    else
      ctx.addIssue({
        code: 'custom',
        message: `"${entry.slice(0, 100)}" is not a host: write host, *.domain, host:port, host:* or http://host:* (comma list)`,
      });
  }
  return rules;
});

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
  /**
   * More hosts a Bot Framework activity's serviceUrl may name, besides Microsoft's (comma list):
   * `host` (HTTPS, port 443), `*.domain`, `host:8443`, `host:*` (any port), `http://localhost:*`
   * (the Bot Framework Emulator listens on plain HTTP, on a port it picks).
   */
  WEBCHAT_BOT_SERVICE_HOSTS: z.preprocess(emptyAsUndefined, serviceHostList.optional()),
});

export type WebchatEnv = z.infer<typeof webchatEnvSchema>;

/** Bot Framework (Azure Bot) credentials; all optional for local development. */
export interface BotFrameworkConfig {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  expectRepliesWaitMs: number;
  /** Where replies may go: {@link BOT_FRAMEWORK_SERVICE_HOSTS} plus WEBCHAT_BOT_SERVICE_HOSTS. */
  serviceUrlRules: readonly ServiceUrlRule[];
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
      serviceUrlRules: [...BOT_FRAMEWORK_SERVICE_HOSTS, ...(e.WEBCHAT_BOT_SERVICE_HOSTS ?? [])],
    },
    sessionSecret: e.WEBCHAT_SESSION_SECRET,
    sessionMaxAgeMs: e.WEBCHAT_SESSION_DAYS * 86_400_000,
    allowedOrigins: e.WEBCHAT_ALLOWED_ORIGINS,
  };
}

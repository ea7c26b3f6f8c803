import pino, { type Logger } from 'pino';
import { CHANNEL_SECRET_KEYS } from '../config/channels/channels.js';

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
// E.164 and CN mobile numbers (with or without +86), keeping a prefix and the last 4 digits.
const PHONE = /(\+?\d{2})[\d -]{4,}(\d{4})\b/g;

/** Masks e-mail addresses and phone numbers so log lines carry no contact details. */
export function maskPii(text: string): string {
  return text.replace(EMAIL, '$1***@$2').replace(PHONE, '$1****$2');
}

/**
 * Credentials that can turn up in free text (an error quoting a URL or a header, a message with its status link):
 * our API tokens (`gw_` + 32 characters), `Bearer …`/`Basic …` values, the status page's link token (`/t/…`),
 * signed widget session tokens and JWTs (base64url JSON: `eyJ…`), and credential-named query parameters
 * as in a query string or `name=value` text (WeChat's `access_token=`, OIDC's `code=` and `state=`, `signature=`…).
 */
const TOKEN_PATTERNS: Array<[RegExp, string]> = [
  [/\bgw_[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])/g, 'gw_[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/\/t\/[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])/g, '/t/[redacted]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)?/g, '[redacted]'],
  [/(?<=^|[?&\s(,;])(access_token|refresh_token|id_token|token|code|state|secret|password|key|signature|msg_signature)=[^&\s#"'<>),;]+/gi, '$1=[redacted]'],
];

/** Cuts token-shaped credentials out of text (see TOKEN_PATTERNS). */
export function maskTokens(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TOKEN_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Names of fields and settings that hold secrets: `TWILIO_AUTH_TOKEN`, `appSecret`, `password`, `authorization`… */
const SECRET_NAME = /(secret|token|password|passwd|apikey|authorization|cookie|aeskey|privatekey)$/;

const bareName = (name: string) => name.toLowerCase().replace(/[_-]/g, '');

/** The variables the channels declare secret (config/channels/*.channel.ts), whatever they are called. */
const DECLARED_SECRETS = new Set(CHANNEL_SECRET_KEYS.map(bareName));

/**
 * Does this field or environment variable name hold a secret? A channel's declared secret key, or a name like a
 * secret's (case, `_` and `-` ignored, so `EMAIL_PASSWORD` and `emailPassword` are the same name).
 */
export function isSecretName(name: string): boolean {
  const bare = bareName(name);
  return DECLARED_SECRETS.has(bare) || SECRET_NAME.test(bare);
}

/**
 * The configured secret values (environment variables with secret names, see {@link isSecretName}), to be cut out of
 * any log text. Values under 8 characters are left out: cutting every `abc` out of the logs would hide more than it
 * protects (WECHAT_TOKEN may legally be that short; such a value is still redacted as a named field).
 */
export function configuredSecrets(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => isSecretName(k) && typeof v === 'string' && v.length >= 8)
    .map(([, v]) => v!);
}

function maskText(text: string, secrets: readonly string[]): string {
  // Secrets first: the phone mask would otherwise alter a long run of digits inside one.
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  // Tokens before the phone mask too: a token's digits are not a phone number to keep the end of.
  return maskPii(maskTokens(out));
}

function maskDeep(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return maskText(value, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: maskText(value.message, secrets), stack: value.stack && maskText(value.stack, secrets) };
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, isSecretName(k) && v != null && v !== '' ? '[redacted]' : maskDeep(v, secrets, depth + 1)]),
  );
}

/**
 * pino JSON logs: every field and message is passed through {@link maskPii}; a field with a secret's name
 * (token, secret, password, authorization…, or a key a channel declares secret) is logged as `[redacted]`, and so
 * is any configured secret value (`secrets`, from {@link configuredSecrets}) wherever it appears in a message, field
 * or stack.
 */
export function createLogger(level: string, destination?: pino.DestinationStream, options: { secrets?: readonly string[] } = {}): Logger {
  const secrets = options.secrets ?? [];
  return pino(
    {
      level,
      base: { service: 'complaint-gateway' },
      formatters: { log: (obj) => maskDeep(obj, secrets) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskText(a, secrets) : a)) as Parameters<typeof method>;
          return method.apply(this, masked);
        },
      },
    },
    destination,
  );
}

export type { Logger };

import pino, { type Logger } from 'pino';

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
// E.164 and CN mobile numbers (with or without +86), keeping a prefix and the last 4 digits.
const PHONE = /(\+?\d{2})[\d -]{4,}(\d{4})\b/g;

/** Masks e-mail addresses and phone numbers so log lines carry no contact details. */
export function maskPii(text: string): string {
  return text.replace(EMAIL, '$1***@$2').replace(PHONE, '$1****$2');
}

/** Names of fields and settings that hold secrets: `TWILIO_AUTH_TOKEN`, `appSecret`, `password`, `authorization`… */
const SECRET_NAME = /(secret|token|password|passwd|apikey|authorization|cookie|aeskey|privatekey)$/;

/** Does this field or environment variable name hold a secret? (case, `_` and `-` ignored) */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.toLowerCase().replace(/[_-]/g, ''));
}

/** The configured secret values (environment variables with secret names), to be cut out of any log text. */
export function configuredSecrets(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => isSecretName(k) && typeof v === 'string' && v.length >= 8)
    .map(([, v]) => v!);
}

function maskText(text: string, secrets: readonly string[]): string {
  // Secrets first: the phone mask would otherwise alter a long run of digits inside one.
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  return maskPii(out);
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
 * (token, secret, password, authorization…) is logged as `[redacted]`, and so is any configured secret
 * value (`secrets`, from {@link configuredSecrets}) wherever it appears in a message, field or stack.
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

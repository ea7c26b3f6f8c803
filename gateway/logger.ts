import pino, { type Logger } from 'pino';

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
// E.164 and CN mobile numbers (with or without +86), keeping a prefix and the last 4 digits.
const PHONE = /(\+?\d{2})[\d -]{4,}(\d{4})\b/g;

/** Masks e-mail addresses and phone numbers so log lines carry no contact details. */
export function maskPii(text: string): string {
  return text.replace(EMAIL, '$1***@$2').replace(PHONE, '$1****$2');
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPii(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: maskPii(value.message), stack: value.stack && maskPii(value.stack) };
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, depth + 1)]));
}

/** pino JSON logs; every field and message is passed through {@link maskPii}. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'complaint-gateway' },
      formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskPii(a) : a)) as Parameters<typeof method>;
          return method.apply(this, masked);
        },
      },
    },
    destination,
  );
}

export type { Logger };

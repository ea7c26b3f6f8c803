import { z } from 'zod';

/**
 * Deployment settings from the environment (and `.env`). Channel credentials are
 * validated by each channel's own schema in `config/channels/`.
 */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'sqlite:<path> or postgres://user@host:port/db')
    .default('sqlite:./data/gateway.sqlite'),
  GATEWAY_ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_BASE_URL: z.url().optional(),
  /** A model trained with `gateway train`, used where the keyword rules are not confident. */
  GATEWAY_NLP_MODEL: z.string().min(1).optional(),
  /** Set to "false" to run the HTTP intake without the pipeline and outbox workers (e.g. a second intake-only node). */
  GATEWAY_WORKERS: z.enum(['true', 'false']).default('true'),
  /**
   * How gateway processes sharing one database tell each other about changes (console live updates, widget replies,
   * revoked tokens, applied config): `postgres` (LISTEN/NOTIFY, the default on PostgreSQL), `redis://host:6379`, or
   * `local` (this process only; the default and the only choice on SQLite).
   */
  EVENT_BUS: z
    .string()
    .regex(/^(local|postgres|rediss?:\/\/.+)$/, 'local, postgres or redis://host:port')
    .optional(),
  /** This process's stable name for its work claims (default host:port); see gateway/process-identity.ts. */
  GATEWAY_PROCESS_NAME: z
    .string()
    .regex(/^[\w.:#-]{1,100}$/, 'letters, digits and . : # - _ (at most 100)')
    .optional(),
  /** How long a console session lasts without a request (sliding), in hours; fractions allowed. */
  CONSOLE_SESSION_HOURS: z.coerce.number().positive('more than 0').max(720, 'at most 720 (30 days)').default(12),
  /** Where inbound attachments are kept as files; default: `attachments/` beside the SQLite file, or ./data/attachments. */
  ATTACHMENT_DIR: z.string().min(1).optional(),
  /** The largest attachment kept, in bytes (larger ones are listed on the message, not stored). */
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024, 'at least 1024')
    .max(1024 * 1024 * 1024, 'at most 1 GiB')
    .default(10 * 1024 * 1024),
  /** Comma-separated MIME types kept, replacing the default list (storage/attachment-files.ts). */
  ATTACHMENT_TYPES: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/, 'a MIME type such as image/png')).min(1, 'at least one type'))
    .optional(),
});

export type EnvSettings = z.infer<typeof envSchema>;

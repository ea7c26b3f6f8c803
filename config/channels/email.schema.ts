import { z } from 'zod';
import { checkMailbox } from '../../adapters/email/mailbox.js';

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(1).max(65535);

/*
 * Copy into .env.example:
 *
 * # --- E-mail channel (IMAP in, SMTP out). Off unless EMAIL_IMAP_HOST, EMAIL_USER and EMAIL_PASSWORD are set.
 * # IMAP server of the complaints mailbox. SECURE=true means implicit TLS (port 993); false talks plain/STARTTLS (143).
 * EMAIL_IMAP_HOST=imap.example.com
 * EMAIL_IMAP_PORT=993
 * EMAIL_IMAP_SECURE=true
 * # Mailbox login (also used for SMTP unless EMAIL_SMTP_USER/EMAIL_SMTP_PASSWORD are set).
 * EMAIL_USER=complaints@example.com
 * EMAIL_PASSWORD=
 * # Folder to read (default INBOX).
 * EMAIL_IMAP_MAILBOX=INBOX
 * # After a mail is in the journal: move it to this folder (created if missing); empty = flag it \Seen and leave it.
 * EMAIL_PROCESSED_FOLDER=
 * # Polling fallback when IDLE is missing or silent, in seconds (IDLE is used whenever the server offers it).
 * EMAIL_POLL_SECONDS=60
 * # When the server's UIDVALIDITY changes (mailbox recreated): "halt" reports the channel down until an operator
 * # looks; "resync" re-reads the whole mailbox (the journal drops what it already has, by Message-ID).
 * EMAIL_ON_UIDVALIDITY_CHANGE=halt
 * # SMTP server for replies. SECURE=true = implicit TLS (465); false = STARTTLS when offered (587/25).
 * EMAIL_SMTP_HOST=smtp.example.com
 * EMAIL_SMTP_PORT=465
 * EMAIL_SMTP_SECURE=true
 * EMAIL_SMTP_USER=
 * EMAIL_SMTP_PASSWORD=
 * # From header of replies, e.g. "Customer Service <complaints@example.com>": one address. Defaults to EMAIL_USER.
 * EMAIL_FROM=
 * # Attachments larger than this are not kept (listed in meta.droppedAttachments). Default 5 MiB.
 * EMAIL_MAX_ATTACHMENT_BYTES=5242880
 * # Per-sender rate limit: at most this many mails per sender per hour become complaints; the rest are logged and skipped.
 * EMAIL_SENDER_RATE_LIMIT_PER_HOUR=30
 * # Brand name in the reply templates.
 * EMAIL_BRAND_ZH=客户服务中心
 * EMAIL_BRAND_EN=Customer Service
 */

/**
 * The e-mail channel's environment variables (strings, as in `.env`). The channel is
 * off until EMAIL_IMAP_HOST, EMAIL_USER and EMAIL_PASSWORD are set; an empty value
 * counts as unset so a blank line in `.env` does no harm.
 */
export const emailEnvSchema = z.object({
  EMAIL_IMAP_HOST: optional(z.string().min(1)),
  EMAIL_IMAP_PORT: withDefault(port.default(993)),
  EMAIL_IMAP_SECURE: withDefault(bool.default(true)),
  EMAIL_IMAP_MAILBOX: withDefault(z.string().min(1).default('INBOX')),
  EMAIL_USER: optional(z.string().min(1)),
  EMAIL_PASSWORD: optional(z.string().min(1)),
  EMAIL_PROCESSED_FOLDER: optional(z.string().min(1)),
  EMAIL_POLL_SECONDS: withDefault(z.coerce.number().min(1).max(3600).default(60)),
  EMAIL_ON_UIDVALIDITY_CHANGE: withDefault(z.enum(['halt', 'resync']).default('halt')),
  EMAIL_SMTP_HOST: optional(z.string().min(1)),
  EMAIL_SMTP_PORT: withDefault(port.default(465)),
  EMAIL_SMTP_SECURE: withDefault(bool.default(true)),
  EMAIL_SMTP_USER: optional(z.string().min(1)),
  EMAIL_SMTP_PASSWORD: optional(z.string().min(1)),
  EMAIL_FROM: optional(z.string().min(3)),
  EMAIL_MAX_ATTACHMENT_BYTES: withDefault(
    z.coerce
      .number()
      .int()
      .min(0)
      .default(5 * 1024 * 1024),
  ),
  EMAIL_SENDER_RATE_LIMIT_PER_HOUR: withDefault(z.coerce.number().int().min(1).default(30)),
  EMAIL_BRAND_ZH: withDefault(z.string().default('客户服务中心')),
  EMAIL_BRAND_EN: withDefault(z.string().default('Customer Service')),
});

export type EmailEnv = z.infer<typeof emailEnvSchema>;

/** One IMAP mailbox the adapter polls. */
export const emailMailboxSchema = z.object({
  host: z.string().min(1),
  port: port,
  secure: z.boolean(),
  user: z.string().min(1),
  password: z.string().min(1),
  /** IMAP folder to read. */
  mailbox: z.string().min(1).default('INBOX'),
  /** Move processed mail here; unset = flag `\Seen` in place. */
  processedFolder: z.string().min(1).optional(),
});

/**
 * The typed e-mail config the adapter receives. `mailboxes` usually holds the one
 * mailbox from the environment; more can come from gateway.yaml (`channels.email.mailboxes`)
 * validated with this same schema.
 */
export const emailConfigSchema = z
  .object({
    mailboxes: z.array(emailMailboxSchema).min(1),
    smtp: z
      .object({
        host: z.string().min(1),
        port: port,
        secure: z.boolean(),
        user: z.string().optional(),
        password: z.string().optional(),
      })
      .optional(),
    /** From header of our replies; its address is also how we recognise our own mail looping back. */
    from: z.string().min(3),
    pollSeconds: z.number().positive().default(60),
    onUidValidityChange: z.enum(['halt', 'resync']).default('halt'),
    maxAttachmentBytes: z
      .number()
      .int()
      .min(0)
      .default(5 * 1024 * 1024),
    senderRateLimitPerHour: z.number().int().min(1).default(30),
    brand: z.object({ zh: z.string(), en: z.string() }).default({ zh: '客户服务中心', en: 'Customer Service' }),
  })
  .superRefine((c, ctx) => {
    // Checked at start-up, not at the first reply: with SMTP on, every reply goes out From this address.
    const from = checkMailbox(c.from);
    if (c.smtp && !from.ok) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: `EMAIL_FROM (EMAIL_USER when it is unset) must be one e-mail address such as "Customer Service <complaints@example.com>": ${from.problem}`,
      });
    }
  });

export type EmailMailboxConfig = z.infer<typeof emailMailboxSchema>;
export type EmailConfig = z.infer<typeof emailConfigSchema>;
/** What callers may pass (defaults filled in by {@link emailConfigSchema}). */
export type EmailConfigInput = z.input<typeof emailConfigSchema>;

/**
 * Builds the e-mail config from process.env-style variables, or `undefined` when the
 * channel is not configured (no IMAP host, user or password). Throws a ZodError naming
 * the variable when a value is malformed.
 */
export function emailConfigFromEnv(env: Record<string, string | undefined>): EmailConfig | undefined {
  const e = emailEnvSchema.parse(env);
  if (!e.EMAIL_IMAP_HOST || !e.EMAIL_USER || !e.EMAIL_PASSWORD) return undefined;
  return emailConfigSchema.parse({
    mailboxes: [
      {
        host: e.EMAIL_IMAP_HOST,
        port: e.EMAIL_IMAP_PORT,
        secure: e.EMAIL_IMAP_SECURE,
        user: e.EMAIL_USER,
        password: e.EMAIL_PASSWORD,
        mailbox: e.EMAIL_IMAP_MAILBOX,
        processedFolder: e.EMAIL_PROCESSED_FOLDER,
      },
    ],
    smtp: e.EMAIL_SMTP_HOST
      ? {
          host: e.EMAIL_SMTP_HOST,
          port: e.EMAIL_SMTP_PORT,
          secure: e.EMAIL_SMTP_SECURE,
          user: e.EMAIL_SMTP_USER ?? e.EMAIL_USER,
          password: e.EMAIL_SMTP_PASSWORD ?? e.EMAIL_PASSWORD,
        }
      : undefined,
    from: e.EMAIL_FROM ?? e.EMAIL_USER,
    pollSeconds: e.EMAIL_POLL_SECONDS,
    onUidValidityChange: e.EMAIL_ON_UIDVALIDITY_CHANGE,
    maxAttachmentBytes: e.EMAIL_MAX_ATTACHMENT_BYTES,
    senderRateLimitPerHour: e.EMAIL_SENDER_RATE_LIMIT_PER_HOUR,
    brand: { zh: e.EMAIL_BRAND_ZH, en: e.EMAIL_BRAND_EN },
  });
}

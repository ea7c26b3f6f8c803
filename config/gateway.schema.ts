import { z } from 'zod';
import { CHANNEL_IDS } from '../adapters/types.js';

const byteSize = z
  .union([z.number().int().positive(), z.string().regex(/^\d+(b|kb|mb)$/i, 'a size such as 512kb or 1mb')])
  .describe('request body limit');

/** `config/gateway.yaml`: runtime settings a support lead or operator may tune. */
export const gatewaySchema = z
  .object({
    server: z
      .object({
        bodyLimit: byteSize.default('1mb'),
        trustProxy: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    channels: z
      .object({
        // A single-consumer source (IMAP mailbox, WeChat login) is polled by the process holding
        // its lease; a standby process takes over this long after the holder dies.
        leaseSeconds: z.number().min(1).default(30),
      })
      .strict()
      .prefault({}),
    intake: z
      .object({
        groupCommitMaxBatch: z.number().int().min(1).max(5000).default(256),
      })
      .strict()
      .prefault({}),
    form: z
      .object({
        rateLimit: z
          .object({
            windowSeconds: z.number().int().positive().default(60),
            max: z.number().int().positive().default(5),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    pipeline: z
      .object({
        batchSize: z.number().int().min(1).max(1000).default(100),
        // Messages committed per transaction (short, so intake appends are not held back on SQLite).
        transactionSize: z.number().int().min(1).max(1000).default(20),
        // SQLite has one writer: shorter transactions let intake appends in between.
        sqliteTransactionSize: z.number().int().min(1).max(1000).default(5),
        // Transactions in parallel on PostgreSQL (SQLite has one writer: always 1).
        concurrency: z.number().int().min(1).max(32).default(1),
        pollIntervalMs: z.number().int().min(10).default(200),
        leaseSeconds: z.number().positive().default(30),
        maxAttempts: z.number().int().min(1).default(5),
      })
      .strict()
      .prefault({}),
    outbox: z
      .object({
        batchSize: z.number().int().min(1).max(1000).default(50),
        pollIntervalMs: z.number().int().min(10).default(500),
        leaseSeconds: z.number().positive().default(60),
        maxAttempts: z.number().int().min(1).default(8),
        backoffSeconds: z.array(z.number().nonnegative()).min(1).default([5, 30, 120, 600, 1800]),
      })
      .strict()
      .prefault({}),
    dedupe: z
      .object({
        // A message joins the customer's open ticket about the same problem within this window.
        windowDays: z.number().positive().default(7),
        // Text similarity (0–1) at or above which two messages are the same problem.
        threshold: z.number().gt(0).lt(1).default(0.225),
      })
      .strict()
      .prefault({}),
    incidents: z
      .object({
        enabled: z.boolean().default(true),
        minTickets: z.number().int().min(2).default(10),
        windowMinutes: z.number().positive().default(30),
        threshold: z.number().gt(0).lt(1).default(0.15),
        severity: z.number().int().min(1).max(4).default(1),
        queue: z.string().min(1).default('crisis'),
        // Texts sent to every member's customer when an incident is resolved with notify.
        resolvedTemplates: z
          .object({ zh: z.string(), en: z.string() })
          .strict()
          .default({ zh: '您反映的问题（工单 {ticketNumber}）已解决，感谢您的耐心。', en: 'The problem you reported (ticket {ticketNumber}) has been resolved. Thank you for your patience.' }),
      })
      .strict()
      .prefault({}),
    sla: z
      .object({
        // How often the SLA worker looks for warnings and breaches.
        checkIntervalSeconds: z.number().positive().default(30),
      })
      .strict()
      .prefault({}),
    tickets: z
      .object({
        numberPrefix: z.string().regex(/^[A-Z]{1,4}$/, 'one to four capital letters').default('C'),
        timeZone: z
          .string()
          .refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai')
          .default('Asia/Shanghai'),
        defaultQueue: z.string().min(1).default('general'),
      })
      .strict()
      .prefault({}),
    acknowledgement: z
      .object({
        channels: z.array(z.enum(CHANNEL_IDS)).default(['email', 'sms', 'webchat', 'webform', 'wechat']),
        templates: z
          .object({ zh: z.string().includes('{ticketNumber}'), en: z.string().includes('{ticketNumber}') })
          .strict()
          .default({
            zh: '您好，我们已收到您的投诉，工单号 {ticketNumber}。',
            en: 'We have received your complaint. Your ticket number is {ticketNumber}.',
          }),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type GatewaySettings = z.infer<typeof gatewaySchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

import { z } from 'zod';
import { CHANNEL_IDS } from '../contracts/channel-ids.js';

const byteSize = z.union([z.number().int().positive(), z.string().regex(/^\d+(b|kb|mb)$/i, 'a size such as 512kb or 1mb')]).describe('request body limit');

const RESOLVED_NO_SURVEY = { zh: '您的工单 {ticketNumber} 已解决。{statusLink}', en: 'Your ticket {ticketNumber} has been resolved. {statusLink}' };

/** A retention period: days, months or years (`90d`, `18m`, `3y`), counted on the calendar. */
const retentionPeriod = z.string().regex(/^[1-9]\d{0,4}[dmy]$/, 'a period such as 90d, 18m or 3y');

/** `config/gateway.yaml`: runtime settings a support lead or operator may tune. */
export const gatewaySchema = z
  .object({
    server: z
      .object({
        bodyLimit: byteSize.default('1mb'),
        trustProxy: z.boolean().default(false),
        // Sites that may show the web form (/complaint) in a frame, e.g. [https://shop.example.com]; by default none.
        formFrameAncestors: z
          .array(z.string().regex(/^https?:\/\/(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/, 'an origin such as https://shop.example.com'))
          .default([]),
      })
      .strict()
      .prefault({}),
    // Who sees customers' phone numbers and e-mail addresses in full, and who sees no message text (issue 23).
    masking: z
      .object({
        fullContactRoles: z.array(z.enum(['agent', 'lead', 'admin', 'finance', 'integration'])).default(['lead', 'admin']),
        fullContactQueues: z.array(z.string().min(1)).default([]),
        noTextRoles: z.array(z.enum(['agent', 'lead', 'admin', 'finance', 'integration'])).default(['finance']),
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
        // SQLite has one connection: a transaction goes this many messages at a time and ends as soon
        // as anything else waits for the connection (an intake append, an agent's request), or after
        // sqliteTransactionMaxMs.
        sqliteTransactionSize: z.number().int().min(1).max(1000).default(5),
        sqliteTransactionMaxMs: z.number().int().min(0).max(10_000).default(250),
        // Transactions in parallel on PostgreSQL, at most half the connection pool (SQLite has one writer: always 1).
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
        resolvedTemplates: z.object({ zh: z.string(), en: z.string() }).strict().default({
          zh: '您反映的问题（工单 {ticketNumber}）已解决，感谢您的耐心。',
          en: 'The problem you reported (ticket {ticketNumber}) has been resolved. Thank you for your patience.',
        }),
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
        numberPrefix: z
          .string()
          .regex(/^[A-Z]{1,4}$/, 'one to four capital letters')
          .default('C'),
        timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
        defaultQueue: z.string().min(1).default('general'),
      })
      .strict()
      .prefault({}),
    customerUpdates: z
      .object({
        enabled: z.boolean().default(true),
        // Channels progress messages go out on (the status page always shows progress).
        channels: z.array(z.enum(CHANNEL_IDS)).default(['email', 'sms', 'webchat', 'webform', 'wechat']),
        // Messages that would go out in these hours (the customer's time zone) wait until the end.
        quietHours: z
          .object({
            start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
            end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
            timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
          })
          .strict()
          .nullable()
          .default({ start: '21:00', end: '08:00', timeZone: 'Asia/Shanghai' }),
        // At most this many progress messages to one customer per hour; more are skipped (the status page has them).
        maxPerCustomerPerHour: z.number().int().min(1).default(3),
        // A message that is only one of these stops progress messages to that customer (on every channel).
        optOutWords: z.array(z.string().min(1)).default(['stop', 'unsubscribe', '退订', '取消订阅', '退订通知', 'td']),
        // How a customer who phoned the hotline is asked for a rating on resolve: by SMS to the caller's number (the reply
        // SMS is the rating), by an outbound call whose keypad answer is the rating (Twilio voice; else SMS), or not at all.
        voiceSurvey: z.enum(['sms', 'call', 'off']).default('sms'),
        // Templates by status change; {ticketNumber} and {statusLink} are filled in.
        templates: z
          .object({
            handling: z.object({ zh: z.string(), en: z.string() }).strict(),
            waiting: z.object({ zh: z.string(), en: z.string() }).strict(),
            resolved: z.object({ zh: z.string(), en: z.string() }).strict(),
            reopened: z.object({ zh: z.string(), en: z.string() }).strict(),
            // The resolved message when no rating is asked (csat off, or a caller with voiceSurvey off).
            resolvedNoSurvey: z.object({ zh: z.string(), en: z.string() }).strict().default(RESOLVED_NO_SURVEY),
          })
          .strict()
          .default({
            handling: { zh: '您的工单 {ticketNumber} 正在处理中。{statusLink}', en: 'Your ticket {ticketNumber} is being handled. {statusLink}' },
            waiting: {
              zh: '您的工单 {ticketNumber} 需要您补充信息，请直接回复本消息。{statusLink}',
              en: 'Your ticket {ticketNumber} needs a reply from you: just answer this message. {statusLink}',
            },
            resolved: {
              zh: '您的工单 {ticketNumber} 已解决。请回复 1–5 为本次服务打分（5 = 非常满意），也可以附上意见。{statusLink}',
              en: 'Your ticket {ticketNumber} has been resolved. Please rate our service from 1 to 5 (5 = very satisfied) by replying, with a comment if you like. {statusLink}',
            },
            reopened: {
              zh: '您的工单 {ticketNumber} 已重新打开，我们会继续跟进。{statusLink}',
              en: 'Your ticket {ticketNumber} has been reopened; we are on it again. {statusLink}',
            },
            resolvedNoSurvey: RESOLVED_NO_SURVEY,
          }),
      })
      .strict()
      .prefault({}),
    csat: z
      .object({
        enabled: z.boolean().default(true),
        // A reply within this many days of the question is read as the answer.
        replyWindowDays: z.number().positive().default(7),
        // A score at or below this reopens the ticket and sends it to `escalateQueue`.
        lowScore: z.number().int().min(1).max(4).default(2),
        escalateQueue: z.string().min(1).default('supervisors'),
        thanks: z.object({ zh: z.string(), en: z.string() }).strict().default({ zh: '感谢您的评价！', en: 'Thank you for your rating!' }),
        sorry: z.object({ zh: z.string(), en: z.string() }).strict().default({
          zh: '很抱歉没能让您满意，主管会尽快联系您（工单 {ticketNumber}）。',
          en: 'We are sorry we did not get it right. A supervisor will contact you shortly (ticket {ticketNumber}).',
        }),
      })
      .strict()
      .prefault({}),
    retention: z
      .object({
        // Off only under a legal hold: then finished tickets keep their text until switched back on.
        enabled: z.boolean().default(true),
        // How long a finished ticket (closed, or resolved and never closed) keeps its text and attachments.
        closedTickets: retentionPeriod.default('3y'),
        // The same per category code (categories.yaml, or OTHER), for categories kept longer or shorter.
        byCategory: z.record(z.string().min(1), retentionPeriod).default({}),
        // How often the job looks for tickets past their period.
        checkIntervalHours: z.number().positive().default(24),
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

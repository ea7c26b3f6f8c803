import { z } from 'zod';
import type { InboundMessage } from '../../adapters/types.js';
import { CHANNEL_IDS } from '../../contracts/channel-ids.js';
import { cleanLine, cleanMeta, cleanText } from './clean-text.js';

/** The body of POST /api/v1/messages, and the check every adapter's output passes before the journal. */
export const inboundMessageSchema = z
  .object({
    channel: z.enum(CHANNEL_IDS).default('api'),
    externalId: z.string().trim().min(1, 'externalId is required: the id your system gives this message').max(512),
    receivedAt: z.iso.datetime({ offset: true, message: 'receivedAt must be an ISO-8601 date-time' }).optional(),
    from: z
      .object({
        address: z.string().trim().min(1, 'from.address is required').max(320),
        name: z.string().max(256).optional(),
      })
      .strict(),
    to: z.string().max(320).optional(),
    threadKey: z.string().max(512).optional(),
    subject: z.string().max(2000).optional(),
    text: z.string({ message: 'text is required' }).max(1_000_000),
    language: z.string().max(16).optional(),
    attachments: z
      .array(
        z.object({ name: z.string().max(512), contentType: z.string().max(256), size: z.number().int().nonnegative(), ref: z.string().max(4096) }).strict(),
      )
      .max(50)
      .default([]),
    meta: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .refine((m) => m.text.trim().length > 0 || m.attachments.length > 0 || (m.subject ?? '').trim().length > 0, {
    message: 'text is empty: send the complaint text (or at least a subject or an attachment)',
    path: ['text'],
  });

export type InboundMessageInput = z.input<typeof inboundMessageSchema>;

/** Validates and fills defaults; throws a readable message listing each problem. */
export function parseInboundMessage(input: unknown, now = new Date()): { ok: true; message: InboundMessage } | { ok: false; problems: string[] } {
  const cleaned = cleanInbound(input);
  if (!cleaned.ok) return { ok: false, problems: [cleaned.problem] };
  const result = inboundMessageSchema.safeParse(cleaned.value);
  if (!result.success) {
    return { ok: false, problems: result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) };
  }
  const m = result.data;
  return {
    ok: true,
    message: { ...m, receivedAt: m.receivedAt ? new Date(m.receivedAt).toISOString() : now.toISOString() } as InboundMessage,
  };
}

const ONE_LINE_FIELDS = ['externalId', 'receivedAt', 'to', 'threadKey', 'language', 'channel'] as const;

/**
 * The message with control characters removed from every string (one-line fields lose line
 * breaks too) and `meta` bounded, before validation: what is stored is what every database and
 * every later stage can take. Anything that is not an object is left for the schema to refuse.
 */
function cleanInbound(input: unknown): { ok: true; value: unknown } | { ok: false; problem: string } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { ok: true, value: input };
  const m: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const key of ONE_LINE_FIELDS) if (typeof m[key] === 'string') m[key] = cleanLine(m[key]);
  if (typeof m.text === 'string') m.text = cleanText(m.text);
  if (typeof m.subject === 'string') m.subject = cleanLine(m.subject);
  if (m.from && typeof m.from === 'object' && !Array.isArray(m.from)) {
    const from: Record<string, unknown> = { ...(m.from as Record<string, unknown>) };
    if (typeof from.address === 'string') from.address = cleanLine(from.address);
    if (typeof from.name === 'string') from.name = cleanLine(from.name);
    m.from = from;
  }
  if (Array.isArray(m.attachments)) {
    m.attachments = m.attachments.map((a) => {
      if (!a || typeof a !== 'object') return a;
      const c: Record<string, unknown> = { ...(a as Record<string, unknown>) };
      for (const key of ['name', 'contentType', 'ref']) if (typeof c[key] === 'string') c[key] = cleanLine(c[key] as string);
      return c;
    });
  }
  if (m.meta && typeof m.meta === 'object' && !Array.isArray(m.meta)) {
    const meta = cleanMeta(m.meta as Record<string, unknown>);
    if (!meta.ok) return { ok: false, problem: `meta: ${meta.problem}` };
    m.meta = meta.value;
  }
  return { ok: true, value: m };
}

import { z } from 'zod';
import { CHANNEL_IDS, type InboundMessage } from '../../adapters/types.js';

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
      .array(z.object({ name: z.string().max(512), contentType: z.string().max(256), size: z.number().int().nonnegative(), ref: z.string().max(4096) }).strict())
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
  const result = inboundMessageSchema.safeParse(input);
  if (!result.success) {
    return { ok: false, problems: result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) };
  }
  const m = result.data;
  return {
    ok: true,
    message: { ...m, receivedAt: m.receivedAt ? new Date(m.receivedAt).toISOString() : now.toISOString() } as InboundMessage,
  };
}

import { parseInboundMessage } from '../../gateway/intake/inbound-message.schema.js';
import type { JournalEntry } from '../../storage/journal.store.js';
import { complaintTexts } from '../intake/complaint-texts.js';

/**
 * Regular customers: messages 0 … SENDERS-1 (the warm-up) open one ticket each; after that every
 * NEW_EVERY-th message comes from a customer never seen before and the others are follow-ups that
 * join their sender's open ticket, so about 1 in NEW_EVERY messages opens a ticket, as in bench/intake's
 * 20,000-message drain (1,000 tickets). Opening a ticket costs several times a follow-up.
 */
export const SENDERS = 200;
const NEW_EVERY = 20;

function sender(n: number): string {
  return n >= SENDERS && n % NEW_EVERY === 0 ? `new-${n}` : String(n % SENDERS);
}

const TEXTS = complaintTexts();

/** The JSON body of `POST /api/v1/messages` for message number `n`. */
export function messageBody(externalId: string, n: number): Record<string, unknown> {
  const t = TEXTS[n % TEXTS.length]!;
  return {
    channel: 'api',
    externalId,
    from: { address: `customer-${sender(n)}@example.test`, name: `Customer ${sender(n)}` },
    subject: t.language === 'zh' ? '投诉' : 'Complaint',
    text: t.text,
    language: t.language,
  };
}

/** Journal rows as the HTTP intake would append them, for messages `from` … `from + count - 1`. */
export function journalEntries(prefix: string, from: number, count: number, now = new Date()): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (let n = from; n < from + count; n++) {
    const parsed = parseInboundMessage(messageBody(`${prefix}-${n}`, n), now);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    out.push({
      channel: parsed.message.channel,
      externalId: parsed.message.externalId,
      receivedAt: Date.parse(parsed.message.receivedAt),
      payload: parsed.message,
    });
  }
  return out;
}

import { readFileSync } from 'node:fs';
import { parseInboundMessage } from '../../gateway/intake/inbound-message.schema.js';
import type { JournalEntry } from '../../storage/journal.store.js';
import { parseCsvObjects } from '../../nlp/csv.js';
import { sharedData } from '../shared-data.js';

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

/** bench/intake's bodies: CFPB narratives (English) and waimai_10k complaints (Chinese), alternating. */
function complaintTexts(): Array<{ text: string; language: string }> {
  const csv = (file: string) => parseCsvObjects(readFileSync(sharedData(file), 'utf8'));
  const cfpb = csv('cfpb/sample.csv')
    .map((r) => r.narrative ?? '')
    .filter((t) => t.trim().length > 0)
    .slice(0, 500);
  const waimai = csv('waimai_10k/sample.csv')
    .filter((r) => r.label === '0')
    .map((r) => r.review ?? '')
    .filter((t) => t.trim().length > 0)
    .slice(0, 500);
  const out: Array<{ text: string; language: string }> = [];
  for (let i = 0; i < Math.max(cfpb.length, waimai.length); i++) {
    if (cfpb[i]) out.push({ text: cfpb[i]!, language: 'en' });
    if (waimai[i]) out.push({ text: waimai[i]!, language: 'zh' });
  }
  return out;
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

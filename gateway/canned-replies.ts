import { VARIABLE, type CannedRepliesConfig, type CannedReply, type CannedReplyLanguage, type CannedReplyVariable } from '../config/canned-replies.schema.js';
import type { CustomerStore } from '../storage/customer.store.js';
import type { Db } from '../storage/db.js';
import type { Ticket } from '../storage/ticket.store.js';
import { templateLanguage } from './reply-target.js';

export type CannedReplyValues = Partial<Record<CannedReplyVariable, string | null>>;

/** Where an empty value was, while the text around it is tidied (no template holds a NUL). */
const GAP = '\u0000';

/**
 * Fills a canned reply's variables. A value the ticket lacks becomes empty text, and the spacing it
 * leaves is tidied ("Hello {{customerName}}, we" → "Hello, we"). Whatever the braces hold, none survive:
 * the config check refuses unknown variables, and this never lets one through should that check change.
 */
export function renderCannedReply(template: string, values: CannedReplyValues): string {
  return template
    .replace(VARIABLE, (_whole, name: string) => values[name as CannedReplyVariable]?.trim() || GAP)
    .replace(/[ \t]*\u0000[ \t]*(?=[,.!?;:，。！？；：)）])/g, '')
    .replace(/([ \t]*)\u0000([ \t]*)/g, (_gap, before: string, after: string) => (before || after ? ' ' : ''))
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/** Whether an entry is offered on a ticket: its queue and category are among those the entry names (if it names any). */
export function offeredOn(entry: CannedReply, ticket: Pick<Ticket, 'queue' | 'category'>): boolean {
  if (entry.queues && !entry.queues.includes(ticket.queue)) return false;
  if (entry.categories && !entry.categories.includes(ticket.category ?? 'OTHER')) return false;
  return true;
}

/** A canned reply ready for the reply box. */
export interface RenderedCannedReply {
  id: string;
  language: CannedReplyLanguage;
  title: string;
  text: string;
}

/** The canned replies of the active config, rendered for one ticket and agent. */
export class CannedReplies {
  constructor(
    private readonly deps: {
      db: Db;
      customers: CustomerStore;
      config: () => CannedRepliesConfig;
    },
  ) {}

  /**
   * Every entry offered on `ticket` (every entry when there is none), in `lang` — by default the
   * ticket's language — with the ticket's values filled in.
   */
  async render(ticket: Ticket | undefined, agentName: string, lang?: CannedReplyLanguage): Promise<RenderedCannedReply[]> {
    const language = lang ?? (ticket ? templateLanguage(ticket.language) : 'zh');
    const values = ticket ? await this.valuesOf(ticket) : {};
    values.agentName = agentName;
    return this.deps
      .config()
      .replies.filter((entry) => !ticket || offeredOn(entry, ticket))
      .map((entry) => ({ id: entry.id, language, title: entry.title[language], text: renderCannedReply(entry.text[language], values) }));
  }

  private async valuesOf(ticket: Ticket): Promise<CannedReplyValues> {
    const [customer, order] = await Promise.all([
      this.deps.customers.get(this.deps.db, ticket.customerId),
      this.deps.db('ticket_orders').where({ ticket_id: ticket.id }).orderBy('order_number').first('order_number'),
    ]);
    return { ticketNumber: ticket.number, customerName: customer?.displayName ?? null, orderNumber: order?.order_number ?? null };
  }
}

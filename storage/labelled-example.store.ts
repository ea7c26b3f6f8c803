import type { Knex } from 'knex';

type Conn = Knex | Knex.Transaction;

/** Who gave the label: an agent's or lead's correction in the API (the only source so far). */
export type LabelSource = 'agent';

/** A ticket's text with the label a person gave it: training material for the statistical model. */
export interface LabelledExample {
  id: number;
  ticketId: number;
  /** What the classifier saw: the first customer message's subject and text. */
  text: string;
  category: string;
  subcategory: string | null;
  language: string | null;
  /** The actor, as in ticket events (`agent:li.lei`). */
  labelledBy: string;
  labelledAt: number;
  source: LabelSource;
}

export type NewLabelledExample = Omit<LabelledExample, 'id' | 'source'> & { source?: LabelSource };

/**
 * Labelled history (DESIGN.md, wave 2): one current example per ticket, replaced when the
 * ticket is relabelled (the earlier labels stay in its ticket events). Training reads it;
 * the pipeline never does.
 */
export class LabelledExampleStore {
  /** Stores the ticket's example, or replaces the one it had. Returns the example's id. */
  async record(db: Conn, e: NewLabelledExample): Promise<number> {
    const row = {
      ticket_id: e.ticketId,
      text: e.text,
      category: e.category,
      subcategory: e.subcategory,
      language: e.language,
      labelled_by: e.labelledBy,
      labelled_at: e.labelledAt,
      source: e.source ?? 'agent',
    };
    const [inserted] = await db('labelled_examples')
      .insert(row)
      .onConflict('ticket_id')
      .merge(['text', 'category', 'subcategory', 'language', 'labelled_by', 'labelled_at', 'source'])
      .returning('id');
    return Number(typeof inserted === 'object' ? inserted.id : inserted);
  }

  async forTicket(db: Conn, ticketId: number): Promise<LabelledExample | undefined> {
    const row = await db('labelled_examples').where({ ticket_id: ticketId }).first();
    return row ? toExample(row) : undefined;
  }

  /**
   * Tickets people finished as the rules filed them: resolved or closed, never relabelled (no labelled
   * example), newest first, each with its first customer message (subject and text, as the classifier
   * read it) and the category it kept. Training uses them to learn how often the rules are right.
   */
  async confirmed(db: Conn, limit: number): Promise<Array<{ ticketId: number; text: string; category: string }>> {
    const tickets: Array<{ id: number; category: string }> = await db('tickets as t')
      .leftJoin('labelled_examples as le', 'le.ticket_id', 't.id')
      .whereNull('le.id')
      .whereIn('t.status', ['resolved', 'closed'])
      .whereNotNull('t.category')
      .orderBy('t.id', 'desc')
      .limit(limit)
      .select('t.id', 't.category');
    const out: Array<{ ticketId: number; text: string; category: string }> = [];
    for (let i = 0; i < tickets.length; i += 500) {
      const chunk = tickets.slice(i, i + 500);
      const firsts = await db('messages')
        .whereIn(
          'id',
          db('messages')
            .min('id')
            .whereIn(
              'ticket_id',
              chunk.map((t) => t.id),
            )
            .andWhere('direction', 'in')
            .groupBy('ticket_id'),
        )
        .select('ticket_id', 'subject', 'text');
      const byTicket = new Map(firsts.map((m: { ticket_id: number; subject: string | null; text: string }) => [Number(m.ticket_id), m]));
      for (const t of chunk) {
        const m = byTicket.get(Number(t.id));
        if (m?.text) out.push({ ticketId: Number(t.id), text: m.subject ? `${m.subject}\n${m.text}` : m.text, category: t.category });
      }
    }
    return out;
  }

  /** Every current example, oldest label first (training order does not matter; a stable one helps diffs). */
  async all(db: Conn): Promise<LabelledExample[]> {
    return (await db('labelled_examples').orderBy('id')).map(toExample);
  }
}

function toExample(r: Record<string, any>): LabelledExample {
  return {
    id: Number(r.id),
    ticketId: Number(r.ticket_id),
    text: r.text,
    category: r.category,
    subcategory: r.subcategory ?? null,
    language: r.language ?? null,
    labelledBy: r.labelled_by,
    labelledAt: Number(r.labelled_at),
    source: r.source,
  };
}

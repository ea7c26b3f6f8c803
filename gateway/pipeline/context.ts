import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { InboundMessage } from '../../adapters/types.js';
import type { Identity } from '../../storage/customer.store.js';
import type { Ticket } from '../../storage/ticket.store.js';
import type { RouteDecision } from '../../nlp/routing/engine.js';

/** What the classify stage learns about a message (filled by nlp). */
export interface Understanding {
  category: string;
  subcategory?: string;
  severity: number;
  emotion: number;
  language: string;
  confidence: number;
  entities: Record<string, unknown>;
  evidence: unknown[];
  /** The understanding version that classified it (gateway/understanding-version.ts); kept on the ticket for replay. */
  classifiedWith?: string;
}

/** The routing decision (nlp/routing/engine.ts) with the assignee resolved. */
export type RouteResult = RouteDecision & { assignee?: string };

/** A reply the pipeline sends before any agent sees the ticket (bot answer, acknowledgement). */
export interface PipelineReply {
  author: 'bot' | 'system';
  kind: 'acknowledgement' | 'bot_answer' | 'auto_reply' | 'csat_thanks' | 'csat_sorry';
  text: string;
  meta?: Record<string, unknown>;
}

/** The state one journal row accumulates on its way through the stages. */
export interface IntakeContext {
  readonly journalId: number;
  readonly message: InboundMessage;
  /** Every read and write of a stage goes through this transaction. */
  readonly trx: Knex.Transaction;
  readonly now: number;
  readonly log: Logger;
  /** Text prepared for matching (simplified, folded) and the detected language. */
  normalizedText?: string;
  language?: string;
  identities: Identity[];
  customerId?: number;
  /** Created by this message (no tickets, standard tier). */
  customerIsNew?: boolean;
  /** Order numbers in the message (text, form field). */
  orderNumbers?: string[];
  /** "Same problem" signature of the message (dedupe, incidents). */
  signature?: { features: string[]; minhash: number[]; bands: string[] };
  /** An existing ticket this message joins (thread, ticket number, duplicate). */
  ticket?: Ticket;
  attachReason?: string;
  /** The customer asked for a person after a bot answer. */
  handoff?: boolean;
  /** The customer answered the satisfaction question with this rating. */
  csat?: { score: 1 | 2 | 3 | 4 | 5; comment: string | null };
  /** The customer commented on the rating they just gave (the box under the widget's rating buttons). */
  csatComment?: string;
  /** The customer asked for no more progress messages ("STOP", "退订"). */
  optOut?: boolean;
  /** What the FAQ bot made of the message (for stats and the agent's view). */
  faq?: { entryId?: string; score: number; answered: boolean; withheld?: boolean; suggestedLink?: string };
  /** Joined by quoting a ticket number from an address that is not the ticket's customer. */
  unverifiedSender?: boolean;
  understanding?: Understanding;
  customerTier?: string;
  /** Set when the message belongs to a surge (incident). */
  incidentId?: number;
  /**
   * Other pipeline transactions run beside this one (PostgreSQL: more lanes, or another process working on the
   * journal when the batch was claimed). Surge detection then keeps its lock for one message, not a whole chunk.
   */
  sideBySide?: boolean;
  /**
   * Set by a stage that took a lock other transactions wait for until this one commits (on PostgreSQL, surge
   * detection taking the surge lock or linking member tickets): the pipeline commits after this message instead
   * of going on with the rest of its chunk in the same transaction.
   */
  endTransaction?: boolean;
  route?: RouteResult;
  replies: PipelineReply[];
  tags: string[];
}

/**
 * When the customer sent the message (its `receivedAt`), never later than `now`: windows that
 * are about the customer's own timeline (dedupe: "the same problem within 7 days") are measured
 * from here, so a late, replayed or back-filled message is judged by when it was written, not by
 * when the pipeline happened to see it.
 */
export function messageTime(message: Pick<InboundMessage, 'receivedAt'>, now: number): number {
  const at = Date.parse(message.receivedAt);
  return Number.isFinite(at) ? Math.min(at, now) : now;
}

export type Next = () => Promise<void>;

/** One step of the pipeline. A stage that settles the message does not call `next`. */
export interface Stage {
  readonly name: string;
  run(ctx: IntakeContext, next: Next): Promise<void>;
  /**
   * Optional pure CPU work for a message the stage will see later (no I/O, no state the
   * run depends on): the worker calls it while the database is busy with earlier messages.
   * `ahead.joinsTicket` is the worker's guess that the message will join a ticket rather than
   * open one: work only a new ticket needs is then left until the stage runs, if it does.
   */
  prepare?(message: InboundMessage, ahead: { joinsTicket: boolean }): void;
}

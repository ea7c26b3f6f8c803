/** One line of a web chat conversation as the visitor sees it. */
export interface TranscriptEntry {
  id: string;
  role: 'visitor' | 'agent' | 'bot' | 'system';
  text: string;
  /** ISO-8601. */
  at: string;
  /**
   * What the widget does with the line beside showing it: `csat` is the satisfaction question
   * (it shows rating buttons), `csat_thanks` the thanks (or apology) for a rating. Absent: a plain line.
   */
  kind?: WidgetMessageKind;
  /** On a `csat` line: whether it can still be answered, and the score the ticket has (null: none yet). */
  csat?: { open: boolean; score: number | null };
}

export type WidgetMessageKind = 'csat' | 'csat_thanks';

/** The widget's marker for a message of the gateway's `meta.kind`, when it has one. */
export function widgetMessageKind(kind: unknown): WidgetMessageKind | undefined {
  if (kind === 'csat_survey') return 'csat';
  if (kind === 'csat_thanks' || kind === 'csat_sorry') return 'csat_thanks';
  return undefined;
}

/** A visitor's own conversation, read back from the ticket store on reconnect. */
export interface ChatTranscript {
  ticketNumber?: string;
  /** The ticket's status-page token; only given when the ticket was opened from this conversation. */
  statusToken?: string;
  entries: TranscriptEntry[];
}

/**
 * Reads one conversation back: the messages the visitor `address` sent in thread
 * `threadKey` and the replies addressed to them there, nothing else on the ticket.
 */
export type TranscriptReader = (channel: 'webchat', threadKey: string, address: string) => Promise<ChatTranscript | undefined>;

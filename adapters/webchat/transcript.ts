/** One line of a web chat conversation as the visitor sees it. */
export interface TranscriptEntry {
  id: string;
  role: 'visitor' | 'agent' | 'bot' | 'system';
  text: string;
  /** ISO-8601. */
  at: string;
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

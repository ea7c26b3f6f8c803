import { widgetMessageKind, type TranscriptEntry } from '../adapters/webchat/transcript.js';
import type { GatewaySettings } from '../config/gateway.schema.js';
import type { Message, Ticket } from '../storage/ticket.store.js';

const DAY_MS = 86_400_000;

/**
 * The widget's markers for a chat transcript's lines: the satisfaction question (`csat`) with
 * whether it can still be answered — only the latest one, on a resolved ticket not rated yet,
 * within `csat.replyWindowDays` of the question (what the pipeline reads as an answer) — and the
 * score the ticket has; and the thanks for a rating (`csat_thanks`).
 */
export function chatSurveyMarkers(
  ticket: Pick<Ticket, 'status' | 'csat' | 'csatRequestedAt'>,
  messages: Array<Pick<Message, 'id' | 'direction' | 'meta'>>,
  csat: GatewaySettings['csat'],
  now: number,
): (m: Pick<Message, 'id' | 'direction' | 'meta'>) => Pick<TranscriptEntry, 'kind' | 'csat'> {
  const kindOf = (m: Pick<Message, 'direction' | 'meta'>) => (m.direction === 'out' ? widgetMessageKind(m.meta.kind) : undefined);
  const latest = messages.filter((m) => kindOf(m) === 'csat').at(-1)?.id;
  const open =
    csat.enabled &&
    ticket.status === 'resolved' &&
    ticket.csat === null &&
    ticket.csatRequestedAt !== null &&
    ticket.csatRequestedAt >= now - csat.replyWindowDays * DAY_MS;
  return (m) => {
    const kind = kindOf(m);
    if (kind !== 'csat') return kind ? { kind } : {};
    return m.id === latest ? { kind, csat: { open, score: ticket.csat } } : { kind, csat: { open: false, score: null } };
  };
}

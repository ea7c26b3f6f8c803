import type { Customer } from '../../storage/customer.store.js';
import type { Message, Ticket, TicketEvent } from '../../storage/ticket.store.js';
import { attachmentUrl } from './attachment-url.js';
import type { FieldMask } from './contact-view.js';
import { notesOf } from './internal-note-view.js';

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());

/** A ticket as the queue API shows it; `mask` decides what the asker sees of its subject (see ContactView). */
export function ticketSummary(t: Ticket, mask: FieldMask) {
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    category: t.category,
    subcategory: t.subcategory,
    severity: t.severity,
    emotion: t.emotion,
    priority: t.priority,
    queue: t.queue,
    assignee: t.assignee,
    customerId: t.customerId,
    channels: t.channels,
    language: t.language,
    subject: mask.text(t.subject),
    tags: t.tags,
    incidentId: t.incidentId,
    messageCount: t.messageCount,
    firstResponseDueAt: iso(t.firstResponseDueAt),
    resolutionDueAt: iso(t.resolutionDueAt),
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
    lastMessageAt: iso(t.lastMessageAt),
  };
}

/**
 * A ticket with its whole story, as `mask` lets the asker see it: contact details masked (identities, addresses,
 * and wherever they are written in messages, notes, events and the classification) unless the asker may see them,
 * no message text at all for a role that sees none. `privacy` tells the console what was held back.
 */
export function ticketDetail(t: Ticket, messages: Message[], events: TicketEvent[], customer: Customer | undefined, mask: FieldMask, mayReveal = false) {
  return {
    ...ticketSummary(t, mask),
    confidence: t.confidence,
    understanding: mask.deep(t.understanding),
    firstRespondedAt: iso(t.firstRespondedAt),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    csat: t.csat,
    csatComment: mask.text(t.csatComment),
    csatAt: iso(t.csatAt),
    csatRequestedAt: iso(t.csatRequestedAt),
    customer: customer && { id: customer.id, name: customer.displayName, tier: customer.tier, identities: customer.identities.map((i) => mask.identity(i)) },
    messages: messages.map((m) => ({
      id: m.id,
      direction: m.direction,
      author: m.author,
      authorId: m.authorId,
      channel: m.channel,
      from: mask.address(m.fromAddress),
      to: mask.address(m.toAddress),
      subject: mask.text(m.subject),
      text: mask.text(m.text),
      language: m.language,
      attachments: attachmentsOf(t.id, m),
      deliveryStatus: m.deliveryStatus,
      createdAt: iso(m.createdAt),
    })),
    events: events.map((e) => ({
      id: e.id,
      actor: e.actor,
      type: e.type,
      before: mask.deep(e.before),
      after: mask.deep(e.after),
      createdAt: iso(e.createdAt),
    })),
    // Agents' internal notes (also in `events`, type "note"): never shown or sent to the customer.
    notes: notesOf(events, mask),
    privacy: { contactsMasked: !mask.full, textHidden: mask.hidesText, mayReveal: mayReveal && !mask.full },
  };
}

/**
 * What an agent sees of each attachment: name, type, size, and `url` to download it when the
 * gateway holds the bytes. A provider link (Twilio media, a Bot Framework contentUrl) stays as
 * `providerRef`: the gateway never fetches it on the page's behalf. Attachments the channel
 * dropped (meta.droppedAttachments) follow with `notKept` and the reason.
 */
function attachmentsOf(ticketId: number, m: Message) {
  const kept = (m.attachments as Array<{ name?: unknown; contentType?: unknown; size?: unknown; ref?: unknown }>).map((a, i) => {
    const ref = typeof a.ref === 'string' ? a.ref : '';
    const url = attachmentUrl(ticketId, m.id, i, ref);
    return {
      name: typeof a.name === 'string' ? a.name : null,
      contentType: typeof a.contentType === 'string' ? a.contentType : null,
      size: typeof a.size === 'number' ? a.size : null,
      ...(url ? { url } : /^https?:\/\//.test(ref) ? { providerRef: ref } : {}),
    };
  });
  // Listed by the channel but not kept (too large, a refused type): the agent knows to ask for it again.
  const dropped = Array.isArray(m.meta?.droppedAttachments) ? (m.meta.droppedAttachments as Array<Record<string, unknown>>) : [];
  return [
    ...kept,
    ...dropped.map((d) => ({
      name: typeof d.name === 'string' ? d.name : null,
      contentType: typeof d.contentType === 'string' ? d.contentType : null,
      size: typeof d.size === 'number' ? d.size : null,
      notKept: typeof d.reason === 'string' ? d.reason : 'unknown',
    })),
  ];
}

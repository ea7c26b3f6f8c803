/** The shapes the console reads from /api/v1 (see gateway/http/serialize.ts and the console routes). */

export type Role = 'agent' | 'lead' | 'admin' | 'finance' | 'integration';

export interface Me {
  name: string;
  displayName?: string | null;
  role: Role;
  csrfToken?: string;
  via?: string;
}

export type TicketStatus = 'new' | 'open' | 'pending_customer' | 'resolved' | 'closed' | 'reopened';
export const TICKET_STATUSES: TicketStatus[] = ['new', 'open', 'pending_customer', 'resolved', 'closed', 'reopened'];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CHANNELS = ['email', 'sms', 'voice', 'webchat', 'webform', 'wechat', 'api'] as const;

/** The status changes the ticket service allows (gateway/ticket-service.ts TRANSITIONS); the server still decides. */
export const NEXT_STATUSES: Record<TicketStatus, TicketStatus[]> = {
  new: ['open', 'pending_customer', 'resolved', 'closed'],
  open: ['pending_customer', 'resolved', 'closed'],
  pending_customer: ['open', 'resolved', 'closed'],
  resolved: ['reopened', 'closed'],
  closed: ['reopened'],
  reopened: ['open', 'pending_customer', 'resolved', 'closed'],
};

export interface TicketSummary {
  id: number;
  number: string;
  status: TicketStatus;
  category: string | null;
  subcategory: string | null;
  severity: number | null;
  emotion: number | null;
  priority: string;
  queue: string;
  assignee: string | null;
  customerId: number;
  channels: string[];
  language: string | null;
  subject: string | null;
  tags: string[];
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstRespondedAt?: string | null;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string;
  // The inbox list adds these (gateway/http/inbox-item.ts); the ticket detail has `customer` instead.
  /** The channel the customer wrote on last. */
  channel?: string;
  excerpt?: string | null;
  customerName?: string | null;
  customer?: { id: number; name?: string | null; displayName?: string | null } | null;
  /** The next pending SLA target's due time (null when none is pending). */
  slaDueAt?: string | null;
  slaBreached?: boolean;
}

export interface Identity {
  kind: string;
  value: string;
  verified?: boolean;
}

export interface TicketMessage {
  id: number;
  direction: 'in' | 'out' | 'internal';
  author: 'customer' | 'agent' | 'bot' | 'system';
  authorId: string | null;
  channel: string;
  from: string | null;
  to: string | null;
  subject: string | null;
  /** Null for a role that sees no message text (finance); phone numbers and e-mail addresses masked for agents. */
  text: string | null;
  language: string | null;
  /** `url` when the gateway holds the bytes; `providerRef` when only the channel's provider does; `notKept` with the reason it was dropped. */
  attachments: Array<{ name: string | null; contentType: string | null; size: number | null; url?: string; providerRef?: string; notKept?: string }>;
  deliveryStatus: string | null;
  createdAt: string;
  internal?: boolean;
  kind?: string;
  meta?: Record<string, unknown>;
}

export interface TicketEvent {
  id: number;
  actor: string;
  type: string;
  before: unknown;
  after: unknown;
  createdAt: string;
}

export interface Evidence {
  kind: string;
  category?: string;
  subcategory?: string;
  term?: string;
  match?: string;
  weight?: number;
  example?: string;
  similarity?: number;
  tone?: string;
  cue?: string;
  points?: number;
  [key: string]: unknown;
}

export interface Understanding {
  category?: string | null;
  subcategory?: string | null;
  severity?: number | null;
  emotion?: number | null;
  language?: string | null;
  confidence?: number | null;
  source?: string;
  entities?: Record<string, Array<{ text?: string; value?: unknown }>>;
  evidence?: Evidence[];
  route?: { fired?: Array<{ ruleId: string; description?: string; reasons?: string[] }>; slaPolicy?: string; slaSource?: string };
  faq?: { entryId?: string | null; score?: number | null; answered?: boolean };
}

export interface TicketDetail extends TicketSummary {
  confidence: number | null;
  understanding: Understanding | null;
  firstRespondedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  customer?: { id: number; name: string | null; tier: string; identities: Identity[] } | null;
  messages: TicketMessage[];
  events: TicketEvent[];
  notes?: Array<{ id: number; author?: string; text: string | null; createdAt: string }>;
  /** What the answer held back from this person (see gateway/http/contact-view.ts). */
  privacy?: PrivacyView;
}

/** Contact details masked (138****8000, j***@example.com), message text left out, and whether this person may reveal them. */
export interface PrivacyView {
  contactsMasked: boolean;
  textHidden?: boolean;
  mayReveal: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface QueueCount {
  queue: string;
  name?: string;
  open: number;
  unassigned: number;
  dueSoon: number;
  breached: number;
}

export interface Agent {
  name: string;
  displayName?: string | null;
  role: Role;
  source?: string;
}

export interface CannedReply {
  id: string;
  title: string;
  text: string;
}

export interface CustomerDetail {
  id: number;
  displayName: string | null;
  tier: string;
  language: string | null;
  identities: Identity[];
  tickets: TicketSummary[];
  merges: Array<{ id: number; sourceId: number; targetId: number; actor: string; reason: string; createdAt: string; undoneAt: string | null }>;
  mergedFrom?: number;
  privacy?: PrivacyView;
}

export interface ReplyResult {
  messageId: number;
  outboxId: number;
  channel: string;
  to: string | null;
}

/** What the stream says about a ticket; the console refetches the ticket for the rest. */
export interface TicketChange {
  id: number;
  number?: string;
  status?: TicketStatus;
  queue?: string;
  assignee?: string | null;
  updatedAt?: string;
  reason?: string;
}

/** One entry of GET /api/v1/categories (the active categories.yaml, then OTHER). */
export interface CategoryInfo {
  code: string;
  kind: string;
  name: { zh: string; en: string };
  severity: number;
  subcategories: Array<{ code: string; name: { zh: string; en: string } }>;
}

/** Someone with a ticket open (POST /api/v1/tickets/:id/presence, `ticket.presence` on the stream). */
export interface PresentPerson {
  name: string;
  displayName: string;
  state: 'viewing' | 'typing';
  since: string;
}

/** An editable config file (GET /api/v1/config/files/:file). */
export interface ConfigFileView {
  file: string;
  content: string;
  sha256: string;
  exists: boolean;
}

export interface ConfigProblem {
  file: string;
  line?: number;
  field: string;
  reason: string;
}

export interface ConfigCheck {
  ok: boolean;
  problems: ConfigProblem[];
}

export interface ReplayChange {
  ticket: string;
  field: string;
  before: string | number | null;
  after: string | number | null;
  rules: Array<{ ruleId: string; reasons: string[] }>;
}

/** A rules preview (POST …/previews, GET /api/v1/config/previews/:id). */
export interface PreviewJob {
  id: string;
  file: string;
  days: number;
  done: number;
  total: number;
  finished: boolean;
  error?: string;
  report?: {
    scanned: number;
    changed: number;
    counts: Record<string, number>;
    samples: Record<string, ReplayChange[]>;
    /** Tickets classified again (the others kept their stored classification). */
    reclassified: number;
    elapsedMs: number;
  };
}

export interface ConfigVersionView {
  id: number;
  file: string;
  sha256: string;
  kind: 'apply' | 'rollback' | 'baseline';
  actor: string;
  reason: string;
  diff: string;
  createdAt: number;
}

export interface ConfigInfo {
  version: string;
  loadedAt: string;
  lastRefused: { at: string; problems: string[] } | null;
}

import { z } from 'zod';
import { CHANNEL_IDS } from '../../contracts/channel-ids.js';
import { TICKET_STATUSES } from '../../storage/ticket.store.js';
import { ROLES, PERSON_ROLES } from '../../storage/token.store.js';

/**
 * What the /api/v1 routes answer, as zod schemas: the OpenAPI document (openapi-document.ts) is
 * generated from these and from the request schemas the routes validate with, and the contract
 * test checks every route's real answer against the document. Named schemas (`.meta({ id })`)
 * become components of the document.
 */

const isoTime = z.iso.datetime({ offset: true }).describe('ISO-8601 date-time (UTC)');
const isoOrNull = isoTime.nullable();

export const errorBody = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe(
          'stable machine-readable code: bad_request, unauthorized, forbidden, not_found, conflict, payload_too_large, unsupported_media_type, too_many_requests, unavailable, internal',
        ),
      message: z.string().describe('what was wrong and what to do; never SQL, driver text or a stack trace'),
      details: z.unknown().optional().describe('for 400s: each problem, `field: what is wrong`'),
    }),
  })
  .meta({ id: 'Error', description: 'Every error of the API has this shape.' });

export const ticketSummary = z
  .object({
    id: z.number().int(),
    number: z.string().describe('C-<yyyymmdd>-<nnnn>, the date in tickets.timeZone'),
    status: z.enum(TICKET_STATUSES),
    category: z.string().nullable(),
    subcategory: z.string().nullable(),
    severity: z.number().int().min(1).max(4).nullable().describe('1 (most urgent) to 4'),
    emotion: z.number().int().min(1).max(5).nullable().describe('1 (calm) to 5 (angry)'),
    priority: z.string().describe('low, normal, high or urgent'),
    queue: z.string(),
    assignee: z.string().nullable(),
    customerId: z.number().int(),
    channels: z.array(z.string()).describe('every channel the customer wrote on for this ticket'),
    language: z.string().nullable(),
    subject: z.string().nullable().describe("the customer's words: contact details masked for a role without the full values, null for one that sees no text"),
    tags: z.array(z.string()),
    incidentId: z.number().int().nullable(),
    messageCount: z.number().int(),
    firstResponseDueAt: isoOrNull,
    resolutionDueAt: isoOrNull,
    createdAt: isoTime,
    updatedAt: isoTime,
    lastMessageAt: isoTime,
  })
  .meta({ id: 'TicketSummary' });

export const inboxItem = ticketSummary
  .extend({
    channel: z.string().describe('the channel the customer wrote on last (replies go there)'),
    customerName: z.string().nullable(),
    excerpt: z.string().nullable().describe('the start of the first message (140 characters at most)'),
    slaDueAt: isoOrNull.describe('the next pending SLA target; null when none is pending'),
    slaBreached: z.boolean(),
  })
  .meta({ id: 'InboxItem' });

export const inboxPage = z
  .object({
    items: z.array(inboxItem),
    nextCursor: z.string().nullable().describe('pass as `cursor` (with the same `sort`) for the next page; null on the last page'),
  })
  .meta({ id: 'InboxPage' });

const identity = z.object({ kind: z.string(), value: z.string(), verified: z.boolean().optional() }).meta({ id: 'Identity' });

const attachmentView = z
  .object({
    name: z.string().nullable(),
    contentType: z.string().nullable(),
    size: z.number().int().nullable(),
    url: z.string().optional().describe('the gateway keeps the bytes: download them here (agents and leads)'),
    providerRef: z.string().optional().describe('only the provider keeps the file (Twilio media): its link'),
    notKept: z.string().optional().describe('the channel dropped it: too-large, type-not-allowed, too-many'),
  })
  .meta({ id: 'Attachment' });

export const internalNote = z
  .object({
    id: z.number().int(),
    ticketId: z.number().int(),
    author: z.string(),
    actor: z.string(),
    text: z.string(),
    internal: z.literal(true),
    createdAt: isoTime,
  })
  .meta({ id: 'InternalNote' });

/** What an answer held back from the asker (see the README's role × field table). */
const privacyView = z
  .object({
    contactsMasked: z.boolean().describe('phone numbers and e-mail addresses are masked (138****8000, j***@example.com)'),
    textHidden: z.boolean().optional().describe('message text, subjects, notes and comments are left out (null)'),
    mayReveal: z.boolean().describe('the asker may see them in full through POST …/reveal, which is audited'),
  })
  .meta({ id: 'PrivacyView' });

export const ticketDetail = ticketSummary
  .extend({
    confidence: z.number().nullable(),
    understanding: z.unknown().describe('the classification: category, evidence, entities, routing rules fired'),
    firstRespondedAt: isoOrNull,
    resolvedAt: isoOrNull,
    closedAt: isoOrNull,
    csat: z.number().int().nullable(),
    csatComment: z.string().nullable(),
    csatAt: isoOrNull,
    csatRequestedAt: isoOrNull,
    customer: z.object({ id: z.number().int(), name: z.string().nullable(), tier: z.string(), identities: z.array(identity) }).optional(),
    messages: z.array(
      z.object({
        id: z.number().int(),
        direction: z.enum(['in', 'out']),
        author: z.enum(['customer', 'agent', 'bot', 'system']),
        authorId: z.string().nullable(),
        channel: z.string(),
        from: z.string().nullable(),
        to: z.string().nullable(),
        subject: z.string().nullable(),
        text: z.string().nullable().describe('null for a role that sees no message text'),
        language: z.string().nullable(),
        attachments: z.array(attachmentView),
        deliveryStatus: z.string().nullable(),
        createdAt: isoTime,
      }),
    ),
    events: z.array(
      z
        .object({ id: z.number().int(), actor: z.string(), type: z.string(), before: z.unknown(), after: z.unknown(), createdAt: isoTime })
        .meta({ id: 'TicketEvent' }),
    ),
    notes: z.array(internalNote.extend({ text: z.string().nullable() })),
    privacy: privacyView,
  })
  .meta({ id: 'TicketDetail' });

export const messageAccepted = z
  .object({ id: z.string().describe('the journal id'), duplicate: z.boolean().describe('true when this externalId was recorded before') })
  .meta({ id: 'MessageAccepted' });

export const journalEntry = z
  .object({
    id: z.string(),
    channel: z.string(),
    externalId: z.string(),
    status: z.enum(['pending', 'processing', 'done', 'failed']),
    error: z.string().optional(),
    ticket: z.object({ id: z.number().int(), number: z.string() }).nullable(),
  })
  .meta({ id: 'JournalEntry' });

export const replyQueued = z
  .object({ messageId: z.number().int(), outboxId: z.number().int(), channel: z.string(), to: z.string().nullable() })
  .meta({ id: 'ReplyQueued' });

const localized = z.object({ zh: z.string(), en: z.string() });

export const categoryList = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      kind: z.string(),
      name: localized,
      severity: z.number().int(),
      subcategories: z.array(z.object({ code: z.string(), name: localized })),
    }),
  ),
});

export const queueList = z.object({
  items: z.array(
    z.object({
      queue: z.string(),
      name: z.string().nullable(),
      open: z.number().int(),
      unassigned: z.number().int(),
      dueSoon: z.number().int(),
      breached: z.number().int(),
      configured: z.boolean().describe('false: a queue routing.yaml no longer names that still holds open tickets'),
    }),
  ),
});

export const presenceAnswer = z.object({
  ticketId: z.number().int(),
  people: z.array(z.object({ name: z.string(), displayName: z.string(), state: z.enum(['viewing', 'typing']), since: isoTime })),
});

export const cannedReplyList = z.object({
  items: z.array(z.object({ id: z.string(), language: z.enum(['zh', 'en']), title: z.string(), text: z.string() })),
});

export const tokenCreated = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(ROLES),
  token: z.string().describe('shown once: store it now'),
  expiresAt: isoTime.describe('the token stops working then'),
});

export const tokenList = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      role: z.enum(ROLES),
      createdAt: isoTime,
      revokedAt: isoOrNull,
      expiresAt: isoOrNull.describe('null for a token made before tokens had an expiry: it does not lapse'),
      expired: z.boolean(),
      lastUsedAt: isoOrNull.describe('the last request made with it (recorded at most once a minute)'),
    }),
  ),
});

export const signedIn = z.object({
  name: z.string(),
  displayName: z.string(),
  role: z.enum(PERSON_ROLES),
  csrfToken: z.string().describe('send it as X-CSRF-Token on every request that changes something'),
});

export const whoAmI = z.object({
  name: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  via: z.enum(['session', 'token']),
  csrfToken: z.string().optional().describe('only for a session'),
});

export const agentList = z.object({
  items: z.array(z.object({ name: z.string(), displayName: z.string(), role: z.enum(PERSON_ROLES), source: z.enum(['user', 'routing']) })),
});

const merge = z.object({
  id: z.number().int(),
  sourceId: z.number().int(),
  targetId: z.number().int(),
  actor: z.string(),
  reason: z.string(),
  createdAt: isoTime,
  undoneAt: isoOrNull,
});

export const customerDetail = z
  .object({
    id: z.number().int(),
    displayName: z.string().nullable(),
    tier: z.string(),
    language: z.string().nullable(),
    identities: z.array(identity),
    mergedFrom: z.number().int().optional().describe('the id asked for, when that customer was merged into this one'),
    tickets: z.array(ticketSummary),
    merges: z.array(merge),
    privacy: privacyView.omit({ textHidden: true }),
  })
  .meta({ id: 'Customer' });

export const customerRevealed = z
  .object({ id: z.number().int(), displayName: z.string().nullable(), identities: z.array(identity).describe('in full') })
  .meta({ id: 'CustomerRevealed' });

export const auditPage = z
  .object({
    items: z.array(
      z
        .object({
          source: z
            .enum(['access', 'privacy', 'ticket'])
            .describe('access: reveals and tokens (audit_log); privacy: an export or erasure (privacy_requests); ticket: a ticket change (its event)'),
          id: z.number().int(),
          at: isoTime,
          actor: z.string().describe('user:<name>, token:<name>, cli:<user>; on tickets agent:<name>, pipeline, customer, bot, system'),
          role: z.string().nullable(),
          action: z.string().describe('contact.revealed, token.created, token.revoked, customer.exported, customer.erased, or the ticket event type'),
          ticketId: z.number().int().nullable(),
          customerId: z.number().int().nullable(),
          detail: z.unknown().describe('what it was about; for a ticket change its before and after'),
        })
        .meta({ id: 'AuditEntry' }),
    ),
    nextCursor: z.string().nullable().describe('pass as `cursor` for the next (older) page; null on the last page'),
  })
  .meta({ id: 'AuditPage' });

export const mergeCreated = z.object({ mergeId: z.number().int(), customerId: z.number().int().describe('the customer both are now') });

export const mergeUndone = z.object({
  mergeId: z.number().int(),
  restoredCustomerId: z.number().int(),
  fromCustomerId: z.number().int(),
  ticketsMovedBack: z.number().int(),
});

export const customerErased = z.object({
  requestId: z.number().int().describe('the privacy request that records the erasure'),
  customerId: z.number().int(),
  customerIds: z.array(z.number().int()).describe('the customers erased: the one asked for and every customer merged into it'),
  erasedAt: isoTime,
  identities: z.number().int(),
  adapterState: z.number().int().describe('channel state entries naming them (SMS opt-out, WeChat window, chat reference)'),
  filesDeleted: z.number().int(),
  counts: z.object({
    tickets: z.number().int(),
    messages: z.number().int(),
    attachments: z.number().int(),
    journalRows: z.number().int(),
    outboxRows: z.number().int(),
    events: z.number().int(),
    labelledExamples: z.number().int(),
    dedupeRows: z.number().int(),
    faqQuestions: z.number().int(),
    incidentTitles: z.number().int(),
  }),
});

export const incident = z
  .object({
    id: z.number().int(),
    title: z.string(),
    category: z.string().nullable(),
    severity: z.number().int(),
    ticketCount: z.number().int(),
    firstSeenAt: isoTime,
    lastSeenAt: isoTime,
    status: z.enum(['open', 'resolved']),
    resolvedAt: isoOrNull,
  })
  .meta({ id: 'Incident' });

export const incidentList = z.object({ items: z.array(incident) });

export const incidentDetail = incident.extend({
  channels: z.record(z.string(), z.number().int()).describe('member tickets per channel'),
  customers: z.number().int(),
  tickets: z.array(ticketSummary.extend({ customerName: z.string().nullable() })),
});

export const incidentResolved = incident.extend({ notified: z.number().int().describe('customers told on their channel') });

export const faqEntryList = z.object({
  items: z.array(z.object({ id: z.string(), tags: z.array(z.string()), questions: z.object({ zh: z.string().nullable(), en: z.string().nullable() }) })),
});

export const paraphraseAdded = z.object({
  entryId: z.string(),
  language: z.enum(['zh', 'en']),
  text: z.string(),
  version: z.number().int().describe('the faq.yaml version written'),
  active: z.string().describe('the config version now running'),
});

export const faqStats = z.object({
  days: z.number().int(),
  botAnswered: z.number().int(),
  deflected: z.number().int(),
  handoffs: z.number().int(),
  deflectionRate: z.number().nullable(),
  handoffRate: z.number().nullable(),
  hitsPerEntry: z.array(z.object({ entryId: z.string(), count: z.number().int() })),
  topUnanswered: z.array(z.object({ question: z.string(), count: z.number().int(), lastSeenAt: isoTime })),
});

export const configInfo = z.object({
  version: z.string().describe('hash of the active config'),
  loadedAt: isoTime,
  dir: z.string(),
  lastRefused: z
    .object({ at: isoTime, problems: z.array(z.string()) })
    .nullable()
    .describe('the last edit of the config directory that was refused'),
});

const editableFile = z.enum(['routing.yaml', 'categories.yaml', 'faq.yaml', 'sla.yaml', 'canned-replies.yaml']);
const configFile = z.object({ file: editableFile, content: z.string(), sha256: z.string(), exists: z.boolean() }).meta({ id: 'ConfigFile' });
const configProblem = z.object({ file: z.string(), line: z.number().int().optional(), field: z.string(), reason: z.string() });
const configVersion = z
  .object({
    id: z.number().int(),
    file: z.string(),
    sha256: z.string(),
    kind: z.enum(['apply', 'rollback', 'baseline']),
    actor: z.string(),
    reason: z.string(),
    diff: z.string(),
    createdAt: z.number().int().describe('epoch milliseconds'),
  })
  .meta({ id: 'ConfigVersion' });

export const configFileList = z.object({ items: z.array(configFile.omit({ content: true })) });
export const configFileRead = configFile;
export const configCheck = z.object({ ok: z.boolean(), problems: z.array(configProblem) });
export const configPreview = z
  .object({
    id: z.string(),
    file: editableFile,
    days: z.number().int(),
    startedAt: z.number().int().describe('epoch milliseconds'),
    done: z.number().int(),
    total: z.number().int(),
    finished: z.boolean(),
    report: z
      .object({
        scanned: z.number().int(),
        changed: z.number().int(),
        counts: z.record(z.string(), z.number()),
        samples: z.record(z.string(), z.array(z.unknown())),
      })
      .loose()
      .optional()
      .describe('what the candidate would change, once finished (see `gateway replay`)'),
    error: z.string().optional(),
  })
  .meta({ id: 'ConfigPreview' });
export const configApplied = z.object({ version: configVersion, active: z.string(), reloaded: z.boolean() });
export const configVersionList = z.object({ items: z.array(configVersion) });

const period = { from: isoTime, to: isoTime, timeZone: z.string() };
const dimension = z.string().describe('the value grouped by (a channel, queue, category, severity, tier or agent); "unknown" when unset');
const slaCounts = z.object({ met: z.number().int(), breached: z.number().int(), pending: z.number().int(), rate: z.number().nullable() });

export const insightsVolume = z.object({
  ...period,
  by: z.enum(['channel', 'category']),
  bucket: z.enum(['day', 'hour']),
  items: z.array(z.object({ at: isoTime, key: dimension, count: z.number().int() })),
});
export const insightsHeatmap = z.object({
  ...period,
  cols: z.enum(['hour', 'weekday']),
  items: z.array(z.object({ category: z.string(), col: z.number().int().describe('hour 0–23, or weekday 0 (Monday)–6'), count: z.number().int() })),
});
export const insightsSla = z.object({
  ...period,
  by: z.enum(['queue', 'severity', 'tier']),
  items: z.array(z.object({ key: dimension, tickets: z.number().int(), firstResponse: slaCounts, resolution: slaCounts })),
});
export const insightsBacklog = z.object({
  at: isoTime,
  ages: z.array(z.string()),
  items: z.array(z.object({ queue: z.string(), age: z.string(), count: z.number().int() })),
});
export const insightsBreaches = z.object({
  at: isoTime,
  items: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      queue: z.string(),
      assignee: z.string().nullable(),
      severity: z.number().int().nullable(),
      category: z.string().nullable(),
      status: z.string(),
      dueAt: isoTime,
      overdueMinutes: z.number().int(),
      subject: z.string().nullable(),
    }),
  ),
});
export const csatStatsAnswer = z.object({
  ...period,
  by: z.enum(['queue', 'category', 'agent', 'channel']),
  lowScore: z.number().int(),
  items: z.array(
    z.object({
      key: dimension.describe('"all" for the total (last)'),
      answers: z.number().int(),
      average: z.number(),
      scores: z.array(z.number().int()).length(5).describe('answers per score, 1 to 5'),
      low: z.number().int(),
    }),
  ),
});
export const insightsAgents = z.object({
  ...period,
  items: z.array(z.object({ assignee: z.string(), open: z.number().int(), assigned: z.number().int(), resolved: z.number().int() })),
});

/** The channel ids a message may name (for descriptions). */
export const CHANNELS_TEXT = CHANNEL_IDS.join(', ');

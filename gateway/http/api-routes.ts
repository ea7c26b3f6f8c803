import { z } from 'zod';
import { inboundMessageSchema } from '../intake/inbound-message.schema.js';
import type { Role } from '../../storage/token.store.js';
import * as S from './api-schemas.js';
import { attachmentQuery } from './attachments.routes.js';
import { cannedQuery } from './canned-replies.routes.js';
import { applyBody, checkBody, previewBody, rollbackBody } from './config-workbench.routes.js';
import { mergeBody } from './customers.routes.js';
import { eraseBody } from './privacy.routes.js';
import { faqStatsQuery, paraphraseBody } from './faq.routes.js';
import { inboxQuery } from './inbox.routes.js';
import { incidentsQuery, resolveBody } from './incidents.routes.js';
import { agentsQuery, backlogQuery, breachesQuery, csatQuery, heatmapQuery, slaQuery, volumeQuery } from './insights.routes.js';
import { presenceBody } from './presence.routes.js';
import { signInBody } from './session.routes.js';
import { noteBody } from './ticket-notes.routes.js';
import { patchBody, replyBody } from './tickets.routes.js';
import { createBody as tokenBody } from './tokens.routes.js';
import { auditQuery } from './audit.routes.js';
import { revealBody } from './contact-reveal.routes.js';
import {
  createWebhookBody,
  deadLettersQuery,
  deliveriesQuery,
  redeliveredJson,
  robotListJson,
  webhookDeliveryDetailJson,
  webhookDeliveryJson,
  webhookDeliveryPageJson,
  webhookListJson,
  webhookSubscriptionJson,
} from './webhooks.routes.js';

/**
 * Every JSON API route, described once: who may call it, the zod schemas its input is validated
 * with (imported from the route files: the same objects), and what it answers. The OpenAPI
 * document (openapi-document.ts, served at /api/v1/openapi.json) is built from this list, and
 * test/integration/openapi-spec.test.ts fails when the express app has an /api/v1 route that is
 * not listed here, or a listed route's roles differ from the ones its `auth.require(…)` checks.
 * A new route: add it here, with its response schema in api-schemas.ts.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ApiResponse {
  description: string;
  /** The JSON body; absent for an empty answer (204) or a non-JSON one (`content`). */
  schema?: z.ZodType;
  /** Besides JSON: a CSV download (`format=csv`), a Server-Sent Events stream, or raw bytes. */
  content?: 'csv' | 'event-stream' | 'binary';
}

export interface ApiRoute {
  method: HttpMethod;
  /** Express form: `/api/v1/tickets/:id`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /**
   * Roles `auth.require(…)` lets in (admin always passes and is added by the document); `public`
   * for no credentials at all, `session` for the console's sign-out (a session cookie, if any).
   */
  roles: readonly Role[] | 'public' | 'session';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, ApiResponse>;
  /** Error statuses besides the ones every route of its kind may give (see openapi-document.ts). */
  errors?: number[];
}

const READERS = ['agent', 'lead', 'finance'] as const satisfies Role[];
const WRITERS = ['agent', 'lead'] as const satisfies Role[];
const LEADS = ['lead'] as const satisfies Role[];
const ADMIN = [] as const satisfies Role[];

const ticketRef = z.object({ id: z.string().describe('the ticket id (`42`) or its number (`C-20261130-0042`)') });
const recordRef = (what: string) => z.object({ id: z.string().regex(/^\d+$/).describe(`the ${what} id`) });
const fileRef = z.object({ file: z.enum(['routing.yaml', 'categories.yaml', 'faq.yaml', 'sla.yaml', 'canned-replies.yaml']) });
const noQuery = z.object({}).strict();
const webhookRef = z.object({ id: z.string().describe('a subscription id: `wh_…` (made through the API) or an id of config/webhooks.yaml') });
const robotRef = z.object({ id: z.string().describe('a robot id of config/webhooks.yaml') });
const json = (description: string, schema: z.ZodType): ApiResponse => ({ description, schema });
const insight = (description: string, schema: z.ZodType): ApiResponse => ({ description, schema, content: 'csv' });

export const API_ROUTES: readonly ApiRoute[] = [
  // Intake
  {
    method: 'post',
    path: '/api/v1/messages',
    operationId: 'postMessage',
    tag: 'Intake',
    summary: 'Record a customer message',
    description:
      'A trusted integration (call centre, app backend) records a message a customer sent on any channel. Answers 202 only after the journal commit; posting the same `channel` + `externalId` again is a no-op (`duplicate: true`). An attachment `ref` is a URL or a `data:` URI (at most 4,096 characters); `attachment:sha256:…` refs belong to the gateway and are refused.',
    roles: ['integration'],
    body: inboundMessageSchema,
    responses: { 202: json('recorded in the journal', S.messageAccepted) },
  },
  {
    method: 'get',
    path: '/api/v1/messages/:id',
    operationId: 'getMessage',
    tag: 'Intake',
    summary: "A posted message's journal status and its ticket",
    roles: ['integration', 'lead', 'agent'],
    params: recordRef('journal'),
    responses: { 200: json('the journal entry', S.journalEntry) },
  },
  // Tickets
  {
    method: 'get',
    path: '/api/v1/tickets',
    operationId: 'listTickets',
    tag: 'Tickets',
    summary: 'The shared queue (inbox): filters, search, cursor paging',
    description:
      'Sorted by `sort` (`sla_due`: earliest due first; `updated`: newest first). Pages by cursor: pass the `nextCursor` of a page as `cursor` with the same `sort` and filters; it is null on the last page. An unknown filter value or a malformed cursor is a 400.',
    roles: READERS,
    query: inboxQuery,
    responses: { 200: json('one page of the queue', S.inboxPage) },
  },
  {
    method: 'get',
    path: '/api/v1/tickets/:id',
    operationId: 'getTicket',
    tag: 'Tickets',
    summary: 'A ticket with its cross-channel timeline, events, notes and customer',
    description:
      'Agents see phone numbers and e-mail addresses masked (138****8000, j***@example.com) unless the ticket is in a queue of `masking.fullContactQueues`; finance sees no message text (null). `privacy` says what was held back.',
    roles: READERS,
    params: ticketRef,
    responses: { 200: json('the ticket', S.ticketDetail) },
  },
  {
    method: 'post',
    path: '/api/v1/tickets/:id/reveal',
    operationId: 'revealTicket',
    tag: 'Tickets',
    summary: 'The ticket with contact details in full (audited)',
    description: 'The same answer as GET, unmasked, and a `contact.revealed` entry in the audit trail (who, when, which ticket, the reason given).',
    roles: WRITERS,
    params: ticketRef,
    body: revealBody,
    responses: { 200: json('the ticket, unmasked', S.ticketDetail) },
  },
  {
    method: 'patch',
    path: '/api/v1/tickets/:id',
    operationId: 'patchTicket',
    tag: 'Tickets',
    summary: 'Change status, assignee, queue, priority, category or sub-code',
    description:
      'Each change is an event. `category` is a code of the active categories.yaml or `OTHER`; `subcategory` one of its sub-codes (else 400 listing the valid ones). An impossible status change is a 409.',
    roles: WRITERS,
    params: ticketRef,
    body: patchBody,
    responses: { 200: json('the ticket after the change', S.ticketSummary) },
    errors: [409],
  },
  {
    method: 'post',
    path: '/api/v1/tickets/:id/replies',
    operationId: 'replyToTicket',
    tag: 'Tickets',
    summary: 'Answer the customer on their channel',
    description: "Queued in the outbox for the channel of the customer's latest message, or `channel` when they wrote on it.",
    roles: WRITERS,
    params: ticketRef,
    body: replyBody,
    responses: { 202: json('queued for delivery', S.replyQueued) },
  },
  {
    method: 'post',
    path: '/api/v1/tickets/:id/notes',
    operationId: 'addNote',
    tag: 'Tickets',
    summary: 'An internal note on the timeline (never sent to the customer)',
    roles: WRITERS,
    params: ticketRef,
    body: noteBody,
    responses: { 201: json('the note', S.internalNote) },
  },
  {
    method: 'post',
    path: '/api/v1/tickets/:id/presence',
    operationId: 'reportPresence',
    tag: 'Tickets',
    summary: 'Say this person is viewing, typing on or has left a ticket',
    description:
      'The console reports an open ticket page every 15 s (gone after 45 s without), typing at most every 2 s, and leaving. Finance may not be typing (403). In memory, one process.',
    roles: READERS,
    params: ticketRef,
    body: presenceBody,
    responses: { 200: json('everyone on the ticket now', S.presenceAnswer) },
  },
  {
    method: 'get',
    path: '/api/v1/tickets/:id/messages/:messageId/attachments/:index',
    operationId: 'getAttachment',
    tag: 'Tickets',
    summary: "An inbound attachment's bytes",
    description: 'As a download with its file name, `X-Content-Type-Options: nosniff` and a sandboxing CSP. 404 when the gateway holds no copy.',
    roles: WRITERS,
    params: ticketRef.extend({ messageId: z.string().regex(/^\d+$/), index: z.string().regex(/^\d+$/).describe('0-based position in the message') }),
    query: attachmentQuery,
    responses: { 200: { description: 'the file', content: 'binary' } },
  },
  {
    method: 'get',
    path: '/api/v1/canned-replies',
    operationId: 'listCannedReplies',
    tag: 'Tickets',
    summary: 'Canned replies offered on a ticket, variables filled',
    roles: WRITERS,
    query: cannedQuery,
    responses: { 200: json('the entries', S.cannedReplyList) },
  },
  {
    method: 'get',
    path: '/api/v1/categories',
    operationId: 'listCategories',
    tag: 'Tickets',
    summary: 'The active taxonomy (the codes PATCH accepts), then OTHER',
    roles: READERS,
    query: noQuery,
    responses: { 200: json('the categories', S.categoryList) },
  },
  {
    method: 'get',
    path: '/api/v1/queues',
    operationId: 'listQueues',
    tag: 'Tickets',
    summary: 'Every queue with open, unassigned, due-soon and breached counts',
    roles: READERS,
    query: noQuery,
    responses: { 200: json('the queues', S.queueList) },
  },
  {
    method: 'get',
    path: '/api/v1/agents',
    operationId: 'listAgents',
    tag: 'Tickets',
    summary: 'Who tickets may be assigned to',
    roles: READERS,
    responses: { 200: json('the agents', S.agentList) },
  },
  {
    method: 'get',
    path: '/api/v1/stream',
    operationId: 'streamTicketChanges',
    tag: 'Tickets',
    summary: 'Live ticket changes (Server-Sent Events)',
    description:
      'Events `ticket.created` and `ticket.updated` with `{id, number, status, queue, assignee, updatedAt, reason, changes?}` after each committed change, `ticket.presence` with `{id, people}`; a `: heartbeat` comment every 15 s; `retry: 3000`. No replay: after a reconnect, reload. One gateway process.',
    roles: ['agent', 'lead', 'finance', 'admin'],
    responses: { 200: { description: 'the event stream (never ends by itself)', content: 'event-stream' } },
  },
  // Customers
  {
    method: 'get',
    path: '/api/v1/customers/:id',
    operationId: 'getCustomer',
    tag: 'Customers',
    summary: 'A customer: identities, tickets and merges',
    roles: READERS,
    params: recordRef('customer'),
    responses: { 200: json('the customer (following merges)', S.customerDetail) },
  },
  {
    method: 'post',
    path: '/api/v1/customers/:id/reveal',
    operationId: 'revealCustomer',
    tag: 'Customers',
    summary: "The customer's identities in full (audited)",
    roles: WRITERS,
    params: recordRef('customer'),
    body: revealBody,
    responses: { 200: json('the identities, unmasked', S.customerRevealed) },
  },
  {
    method: 'post',
    path: '/api/v1/customers/merge',
    operationId: 'mergeCustomers',
    tag: 'Customers',
    summary: "Link two customers (an agent's explicit merge)",
    roles: WRITERS,
    body: mergeBody,
    responses: { 201: json('merged', S.mergeCreated) },
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/customers/merges/:id/undo',
    operationId: 'undoMerge',
    tag: 'Customers',
    summary: 'Undo a merge: identities and tickets move back',
    roles: WRITERS,
    params: recordRef('merge'),
    responses: { 200: json('undone', S.mergeUndone) },
  },
  {
    method: 'get',
    path: '/api/v1/customers/:id/export',
    operationId: 'exportCustomer',
    tag: 'Customers',
    summary: "A customer's data as one archive (right of access and portability)",
    description:
      'A gzipped tar (`application/gzip`): `export.json` (the customer and every customer merged into them, identities, merges, every ticket with its messages and events, messages they wrote on other tickets, labelled examples, earlier exports and erasures) and `attachments/` (the files they sent that the gateway keeps). Recorded in the privacy requests with who and when.',
    roles: ADMIN,
    params: recordRef('customer'),
    responses: { 200: { description: 'the archive, as a download', content: 'binary' } },
  },
  {
    method: 'post',
    path: '/api/v1/customers/:id/erase',
    operationId: 'eraseCustomer',
    tag: 'Customers',
    summary: "Erase a customer's personal data for good (right to erasure)",
    description:
      "Removes their messages' text, addresses, meta and attachments (files deleted), identities, names, adapter state, dedupe signatures and the journal and outbox payloads behind them; their tickets keep number, category, severity, queue, times, SLA and CSAT for reports. Recorded (who, when, the reason) in the privacy requests and on each ticket. Cannot be undone.",
    roles: ADMIN,
    params: recordRef('customer'),
    body: eraseBody,
    responses: { 200: json('what was removed, in counts', S.customerErased) },
  },
  // Incidents
  {
    method: 'get',
    path: '/api/v1/incidents',
    operationId: 'listIncidents',
    tag: 'Incidents',
    summary: 'Surges: many customers, one problem',
    roles: READERS,
    query: incidentsQuery,
    responses: { 200: json('newest first', S.incidentList) },
  },
  {
    method: 'get',
    path: '/api/v1/incidents/:id',
    operationId: 'getIncident',
    tag: 'Incidents',
    summary: 'An incident with its member tickets',
    roles: READERS,
    params: recordRef('incident'),
    responses: { 200: json('the incident', S.incidentDetail) },
  },
  {
    method: 'post',
    path: '/api/v1/incidents/:id/resolve',
    operationId: 'resolveIncident',
    tag: 'Incidents',
    summary: 'Resolve, optionally telling every customer on their channel',
    roles: LEADS,
    params: recordRef('incident'),
    body: resolveBody,
    responses: { 200: json('resolved', S.incidentResolved) },
    errors: [409],
  },
  // FAQ
  {
    method: 'get',
    path: '/api/v1/faq/entries',
    operationId: 'listFaqEntries',
    tag: 'FAQ',
    summary: 'FAQ entries with a first question per language',
    roles: LEADS,
    responses: { 200: json('the entries', S.faqEntryList) },
  },
  {
    method: 'post',
    path: '/api/v1/faq/entries/:id/paraphrases',
    operationId: 'addFaqParaphrase',
    tag: 'FAQ',
    summary: 'One more way customers ask an entry (applied and versioned through the rules workbench)',
    roles: LEADS,
    params: z.object({ id: z.string().describe('the FAQ entry id') }),
    body: paraphraseBody,
    responses: { 201: json('added and live', S.paraphraseAdded) },
    errors: [409],
  },
  {
    method: 'get',
    path: '/api/v1/faq/stats',
    operationId: 'getFaqStats',
    tag: 'FAQ',
    summary: 'Bot answers, deflection and handoff rates, hits per entry, top unanswered questions',
    roles: LEADS,
    query: faqStatsQuery,
    responses: { 200: json('the statistics', S.faqStats) },
  },
  // Insights
  {
    method: 'get',
    path: '/api/v1/insights/volume',
    operationId: 'insightsVolume',
    tag: 'Insights',
    summary: 'Ticket volume by channel or category over time',
    description:
      "Dates are in the business calendar's time zone, `to` included; default the last 30 days, at most 400. `format=csv` answers the same rows as CSV.",
    roles: LEADS,
    query: volumeQuery,
    responses: { 200: insight('the counts', S.insightsVolume) },
  },
  {
    method: 'get',
    path: '/api/v1/insights/heatmap',
    operationId: 'insightsHeatmap',
    tag: 'Insights',
    summary: 'Categories by hour of day or weekday',
    roles: LEADS,
    query: heatmapQuery,
    responses: { 200: insight('the counts', S.insightsHeatmap) },
  },
  {
    method: 'get',
    path: '/api/v1/insights/sla',
    operationId: 'insightsSla',
    tag: 'Insights',
    summary: 'SLA compliance by queue, severity or customer tier',
    roles: LEADS,
    query: slaQuery,
    responses: { 200: insight('met, breached and pending per group (CSV: one flat row each)', S.insightsSla) },
  },
  {
    method: 'get',
    path: '/api/v1/insights/backlog',
    operationId: 'insightsBacklog',
    tag: 'Insights',
    summary: 'Open tickets by queue and age',
    roles: LEADS,
    query: backlogQuery,
    responses: { 200: insight('the counts', S.insightsBacklog) },
  },
  {
    method: 'get',
    path: '/api/v1/insights/breaches',
    operationId: 'insightsBreaches',
    tag: 'Insights',
    summary: 'Open tickets past an SLA target, most overdue first',
    roles: LEADS,
    query: breachesQuery,
    responses: { 200: insight('the tickets', S.insightsBreaches) },
  },
  {
    method: 'get',
    path: '/api/v1/insights/agents',
    operationId: 'insightsAgents',
    tag: 'Insights',
    summary: 'Load per agent: open now, assigned and resolved in the range',
    roles: LEADS,
    query: agentsQuery,
    responses: { 200: insight('one row per agent', S.insightsAgents) },
  },
  {
    method: 'get',
    path: '/api/v1/csat/stats',
    operationId: 'csatStats',
    tag: 'Insights',
    summary: 'Satisfaction answers per queue, category, agent or channel, and in total',
    roles: LEADS,
    query: csatQuery,
    responses: { 200: insight('per group, then "all"', S.csatStatsAnswer) },
  },
  // Rules workbench
  {
    method: 'get',
    path: '/api/v1/config',
    operationId: 'getConfigInfo',
    tag: 'Rules workbench',
    summary: 'The active config version and when it was loaded',
    roles: LEADS,
    responses: { 200: json('the version', S.configInfo) },
  },
  {
    method: 'get',
    path: '/api/v1/config/files',
    operationId: 'listConfigFiles',
    tag: 'Rules workbench',
    summary: 'The config files the workbench edits',
    roles: LEADS,
    responses: { 200: json('the files (without content)', S.configFileList) },
  },
  {
    method: 'get',
    path: '/api/v1/config/files/:file',
    operationId: 'readConfigFile',
    tag: 'Rules workbench',
    summary: "A config file's content and sha256 (send it back as baseSha256)",
    roles: LEADS,
    params: fileRef,
    responses: { 200: json('the file', S.configFileRead) },
  },
  {
    method: 'post',
    path: '/api/v1/config/files/:file/check',
    operationId: 'checkConfigFile',
    tag: 'Rules workbench',
    summary: "check-config's checks on a candidate",
    roles: LEADS,
    params: fileRef,
    body: checkBody,
    responses: { 200: json('the problems, if any', S.configCheck) },
  },
  {
    method: 'post',
    path: '/api/v1/config/files/:file/previews',
    operationId: 'startConfigPreview',
    tag: 'Rules workbench',
    summary: 'Start a replay of recent tickets under a candidate',
    roles: LEADS,
    params: fileRef,
    body: previewBody,
    responses: { 202: json('started: poll GET /api/v1/config/previews/{id}', S.configPreview) },
  },
  {
    method: 'get',
    path: '/api/v1/config/previews/:id',
    operationId: 'getConfigPreview',
    tag: 'Rules workbench',
    summary: "A preview's progress and, when finished, its report",
    roles: LEADS,
    params: z.object({ id: z.string() }),
    responses: { 200: json('the preview (kept 15 minutes)', S.configPreview) },
  },
  {
    method: 'put',
    path: '/api/v1/config/files/:file',
    operationId: 'applyConfigFile',
    tag: 'Rules workbench',
    summary: 'Apply a new version (checked again, versioned with who and why, live at once)',
    description: '409 when the file changed since `baseSha256` was read.',
    roles: LEADS,
    params: fileRef,
    body: applyBody,
    responses: { 200: json('applied', S.configApplied) },
    errors: [409],
  },
  {
    method: 'get',
    path: '/api/v1/config/files/:file/versions',
    operationId: 'listConfigVersions',
    tag: 'Rules workbench',
    summary: "A file's version history, newest first",
    roles: LEADS,
    params: fileRef,
    responses: { 200: json('the versions', S.configVersionList) },
  },
  {
    method: 'post',
    path: '/api/v1/config/files/:file/rollback',
    operationId: 'rollbackConfigFile',
    tag: 'Rules workbench',
    summary: 'Apply an earlier version again',
    roles: LEADS,
    params: fileRef,
    body: rollbackBody,
    responses: { 200: json('rolled back', S.configApplied) },
    errors: [409],
  },
  // Access
  {
    method: 'get',
    path: '/api/v1/me',
    operationId: 'whoAmI',
    tag: 'Access',
    summary: 'Who this request is (token or session)',
    roles: ['agent', 'lead', 'admin', 'finance', 'integration'],
    responses: { 200: json('the caller', S.whoAmI) },
  },
  {
    method: 'post',
    path: '/api/v1/tokens',
    operationId: 'createToken',
    tag: 'Access',
    summary: 'Create an API token (shown once)',
    roles: ADMIN,
    body: tokenBody,
    responses: { 201: json('the token', S.tokenCreated) },
  },
  {
    method: 'get',
    path: '/api/v1/tokens',
    operationId: 'listTokens',
    tag: 'Access',
    summary: 'Every API token (without the secret)',
    roles: ADMIN,
    responses: { 200: json('the tokens', S.tokenList) },
  },
  {
    method: 'delete',
    path: '/api/v1/tokens/:id',
    operationId: 'revokeToken',
    tag: 'Access',
    summary: 'Revoke a token (every process stops taking it within a second)',
    roles: ADMIN,
    params: recordRef('token'),
    responses: { 204: { description: 'revoked' } },
  },
  // Event webhooks and chat-room robots (README, Event webhooks).
  {
    method: 'get',
    path: '/api/v1/webhooks',
    operationId: 'listWebhooks',
    tag: 'Webhooks',
    summary: 'Every event-webhook subscription (config/webhooks.yaml and this API), with delivery counts',
    roles: ADMIN,
    responses: { 200: json('the subscriptions, without their secrets', webhookListJson) },
  },
  {
    method: 'post',
    path: '/api/v1/webhooks',
    operationId: 'createWebhook',
    tag: 'Webhooks',
    summary: 'Subscribe an address to events (the signing secret is shown once)',
    description:
      'Each event is POSTed as JSON `{id, type, occurredAt, data}` with `X-Gateway-Event-Id`, `X-Gateway-Timestamp` and `X-Gateway-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`; retried with backoff, in order per ticket, at least once (de-duplicate on the event id). Without `secret` one is generated.',
    roles: ADMIN,
    body: createWebhookBody,
    responses: { 201: json('the subscription, with its secret', webhookSubscriptionJson) },
  },
  {
    method: 'get',
    path: '/api/v1/webhooks/dead-letters',
    operationId: 'listWebhookDeadLetters',
    tag: 'Webhooks',
    summary: 'Deliveries that failed maxAttempts times, newest first',
    roles: ADMIN,
    query: deadLettersQuery,
    responses: { 200: json('one page of dead letters', webhookDeliveryPageJson) },
  },
  {
    method: 'get',
    path: '/api/v1/webhooks/:id',
    operationId: 'getWebhook',
    tag: 'Webhooks',
    summary: 'One subscription with its delivery counts',
    roles: ADMIN,
    params: webhookRef,
    responses: { 200: json('the subscription', webhookSubscriptionJson) },
  },
  {
    method: 'delete',
    path: '/api/v1/webhooks/:id',
    operationId: 'deleteWebhook',
    tag: 'Webhooks',
    summary: 'Delete a subscription made through the API (undelivered events are cancelled, the history stays)',
    description: 'A subscription of config/webhooks.yaml is a 409: remove it from the file.',
    roles: ADMIN,
    params: webhookRef,
    responses: { 204: { description: 'deleted' } },
    errors: [409],
  },
  {
    method: 'get',
    path: '/api/v1/webhooks/:id/deliveries',
    operationId: 'listWebhookDeliveries',
    tag: 'Webhooks',
    summary: "A subscription's delivery history, newest first",
    roles: ADMIN,
    params: webhookRef,
    query: deliveriesQuery,
    responses: { 200: json('one page of deliveries', webhookDeliveryPageJson) },
  },
  {
    method: 'post',
    path: '/api/v1/webhooks/:id/dead-letters/redeliver',
    operationId: 'redeliverWebhookDeadLetters',
    tag: 'Webhooks',
    summary: "Send every one of a subscription's dead letters again",
    roles: ADMIN,
    params: webhookRef,
    responses: { 202: json('how many are pending again', redeliveredJson) },
  },
  {
    method: 'get',
    path: '/api/v1/webhook-deliveries/:id',
    operationId: 'getWebhookDelivery',
    tag: 'Webhooks',
    summary: "One delivery (a subscription's or a robot's) with its body and every attempt",
    roles: ADMIN,
    params: recordRef('delivery'),
    responses: { 200: json('the delivery', webhookDeliveryDetailJson) },
  },
  {
    method: 'post',
    path: '/api/v1/webhook-deliveries/:id/redeliver',
    operationId: 'redeliverWebhookDelivery',
    tag: 'Webhooks',
    summary: 'Send a delivered or dead delivery again (same event id and body, fresh attempts)',
    description: 'A delivery still pending, or one that went out inside a robot summary, is a 409.',
    roles: ADMIN,
    params: recordRef('delivery'),
    responses: { 202: json('pending again', webhookDeliveryJson) },
    errors: [409],
  },
  {
    method: 'get',
    path: '/api/v1/robots',
    operationId: 'listRobots',
    tag: 'Webhooks',
    summary: 'The chat-room robots of config/webhooks.yaml (no addresses or secrets), with delivery counts',
    roles: ADMIN,
    responses: { 200: json('the robots', robotListJson) },
  },
  {
    method: 'get',
    path: '/api/v1/robots/:id/deliveries',
    operationId: 'listRobotDeliveries',
    tag: 'Webhooks',
    summary: "A robot's alerts, newest first (`collapsedInto`: went out inside that summary)",
    roles: ADMIN,
    params: robotRef,
    query: deliveriesQuery,
    responses: { 200: json('one page of deliveries', webhookDeliveryPageJson) },
  },
  {
    method: 'post',
    path: '/api/v1/robots/:id/dead-letters/redeliver',
    operationId: 'redeliverRobotDeadLetters',
    tag: 'Webhooks',
    summary: "Send every one of a robot's dead letters again",
    roles: ADMIN,
    params: robotRef,
    responses: { 202: json('how many are pending again', redeliveredJson) },
  },
  {
    method: 'get',
    path: '/api/v1/audit',
    operationId: 'listAudit',
    tag: 'Access',
    summary: 'The audit trail: reveals, tokens and every ticket change, newest first',
    description:
      "Three sources merged in time order: `access` (contact details revealed, tokens created and revoked), `privacy` (customers' data exported or erased) and `ticket` (every ticket event). `actor` takes a name (matching agent:, user:, token: and cli: forms) or an actor as written.",
    roles: ADMIN,
    query: auditQuery,
    responses: { 200: json('one page of the trail', S.auditPage) },
  },
  {
    method: 'post',
    path: '/console/session',
    operationId: 'signIn',
    tag: 'Access',
    summary: 'Sign a person in (console session)',
    description:
      'Sets the HttpOnly `gw_session` cookie and answers the CSRF token the session needs on every change (`X-CSRF-Token`). 401 `wrong username or password`; 429 locked or rate limited per address, with `Retry-After`.',
    roles: 'public',
    body: signInBody,
    responses: { 200: json('signed in', S.signedIn) },
    errors: [401, 429],
  },
  {
    method: 'delete',
    path: '/console/session',
    operationId: 'signOut',
    tag: 'Access',
    summary: 'Sign out (the cookie is cleared)',
    roles: 'session',
    responses: { 204: { description: 'signed out' } },
    errors: [403],
  },
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'Access',
    summary: 'This document',
    roles: 'public',
    responses: { 200: json('the OpenAPI 3.1 document', z.object({ openapi: z.string() }).loose()) },
    // Like every /api URL: a NUL character (%00) in it is refused before any route.
    errors: [400],
  },
];

/** `/api/v1/tickets/:id` → `/api/v1/tickets/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

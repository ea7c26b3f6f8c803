import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { API_ROUTES, openApiPath, type ApiRoute } from './api-routes.js';
import { errorBody } from './api-schemas.js';
import { SESSION_COOKIE } from './session-cookie.js';

/**
 * The OpenAPI 3.1 document of the HTTP API, built from the route list (api-routes.ts) and the zod
 * schemas the routes validate with: zod 4's own `z.toJSONSchema` writes JSON Schema 2020-12, the
 * dialect OpenAPI 3.1 uses, so no second schema language sits between the validators and the
 * document. Request schemas are converted as input (what a client sends: defaults optional),
 * responses as output. Schemas named with `.meta({ id })` become `components.schemas`.
 */

type Json = Record<string, unknown>;

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const ERRORS: Record<number, { name: string; description: string; retryAfter?: boolean }> = {
  400: { name: 'BadRequest', description: 'bad input: the message names each field and what is wrong (`details` lists them)' },
  401: { name: 'Unauthorized', description: 'no credentials, an invalid or revoked token, or an expired session' },
  403: { name: 'Forbidden', description: "the caller's role may not do this, or a session request that changes something lacks its X-CSRF-Token" },
  404: { name: 'NotFound', description: 'no such record (or route)' },
  409: { name: 'Conflict', description: 'the change is impossible in the current state (a status change, a version that moved on, already done)' },
  413: { name: 'PayloadTooLarge', description: 'the body is over `server.bodyLimit`' },
  415: { name: 'UnsupportedMediaType', description: 'an unknown Content-Encoding or charset' },
  429: { name: 'TooManyRequests', description: 'rate limited or locked out: try again after `Retry-After` seconds', retryAfter: true },
  503: { name: 'Unavailable', description: 'the database is unavailable: nothing was stored, send it again after `Retry-After` seconds', retryAfter: true },
};

const TAGS: Record<string, string> = {
  Intake: 'Customer messages recorded by trusted integrations (a call centre, an app backend).',
  Tickets: "The shared queue: one ticket per problem, its cross-channel timeline, replies on the customer's channel, notes, changes, live updates.",
  Customers: 'Customers with their identities on every channel; explicit links (merges) and their undoing.',
  Incidents: 'Surges: many customers with one problem within minutes, resolved together.',
  FAQ: 'The FAQ bot: its entries, new ways of asking, how it is doing.',
  Insights: "The lead's reports: volume, heat map, SLA compliance, backlog, breaches, agent load, satisfaction. JSON or CSV.",
  'Rules workbench':
    'Editing routing.yaml, categories.yaml, faq.yaml, sla.yaml and canned-replies.yaml while running: check, preview, apply with history, roll back.',
  Access: 'Who is asking: API tokens, console sessions, this document.',
  Webhooks:
    'Signed event webhooks (subscriptions, delivery history, dead letters, redelivery) and the chat-room robots alerts go to (DingTalk, Feishu, WeCom, Slack). Admins only.',
};

const DESCRIPTION = `The complaint gateway's HTTP API: intake of customer messages from trusted integrations, the shared ticket queue, customers, incidents, the FAQ bot, insights and the rules workbench.

## Authentication
Send \`Authorization: Bearer <token>\`: an API token (\`npx gateway token create --name N --role ROLE\`, or \`POST /api/v1/tokens\`) or the bootstrap \`GATEWAY_ADMIN_TOKEN\`. People signed in to the console send their \`${SESSION_COOKIE}\` session cookie instead (from \`POST /console/session\`); with a cookie, every request that changes something (POST, PUT, PATCH, DELETE) must also carry the session's CSRF token in \`X-CSRF-Token\` (else 403). A bearer token wins over a cookie and needs no CSRF token.

## Roles
\`agent\`, \`lead\`, \`admin\`, \`finance\`, \`integration\`. Each operation lists the roles it lets in (\`x-roles\`, and in its description); \`admin\` passes everywhere. Any other role gets a 403.

## Errors
Every error is \`{"error": {"code", "message", "details"?}}\` (schema \`Error\`): 400 bad input, 401 no or invalid credentials, 403 wrong role or missing CSRF token, 404 unknown route or record, 409 impossible change, 413 body over \`server.bodyLimit\`, 415 unknown \`Content-Encoding\` or charset, 429 rate limited (\`Retry-After\`), 503 database unavailable (\`Retry-After\`; nothing was stored, send it again). A message never carries SQL, driver text or a stack trace.

## Pagination
\`GET /api/v1/tickets\` pages by cursor: \`limit\` (1–200, default 50) items per page and \`nextCursor\`, opaque; pass it back as \`cursor\` with the same \`sort\` and filters for the next page. It is \`null\` on the last page; a cursor that is not one the API wrote is a 400. Other lists answer everything at once, or the first \`limit\` items where they take one (incidents, breaches).

## Times
Date-times are ISO-8601 in UTC; a few workbench fields (\`startedAt\`, \`createdAt\` of config versions) are epoch milliseconds, as named.`;

/** The JSON Schema of a zod schema; named schemas go to `components`, their references rewritten. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const raw = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    reused: 'inline',
    // zod spells out `format: date-time` (or `date`) as a 300-character pattern too: the format says it.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === 'date-time' || jsonSchema.format === 'date') delete jsonSchema.pattern;
    },
  }) as Json;
  const rewritten = JSON.parse(JSON.stringify(raw).replace(/"#\/\$defs\/([^"]+)"/g, '"#/components/schemas/$1"')) as Json;
  const { $schema: _schema, $defs, ...rest } = rewritten;
  for (const [id, def] of Object.entries(($defs ?? {}) as Json)) components[id] = def;
  return rest;
}

function rolesOf(route: ApiRoute): string[] | undefined {
  if (!Array.isArray(route.roles)) return undefined;
  return [...new Set(['admin', ...(route.roles as string[])])];
}

function parameters(route: ApiRoute, components: Json): Json[] {
  const out: Json[] = [];
  const pathParams = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const described = route.params ? (jsonSchema(route.params, 'input', components).properties as Record<string, Json>) : {};
  for (const name of pathParams) {
    const { description, ...schema } = described[name] ?? { type: 'string' };
    out.push({ name, in: 'path', required: true, schema, ...(description ? { description } : {}) });
  }
  if (route.query) {
    const q = jsonSchema(route.query, 'input', components);
    const required = new Set((q.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries((q.properties ?? {}) as Record<string, Json>)) {
      const { description, ...schema } = prop;
      out.push({ name, in: 'query', required: required.has(name), schema, ...(description ? { description } : {}) });
    }
  }
  return out;
}

function errorStatuses(route: ApiRoute): number[] {
  const statuses = new Set<number>(route.errors ?? []);
  if (Array.isArray(route.roles)) [401, 403, 503].forEach((s) => statuses.add(s));
  if (route.body || route.query) statuses.add(400);
  if (route.body) [413, 415].forEach((s) => statuses.add(s));
  if (route.params) statuses.add(404);
  return [...statuses].sort((a, b) => a - b);
}

function operation(route: ApiRoute, components: Json): Json {
  const roles = rolesOf(route);
  const who =
    route.roles === 'public'
      ? 'Public: no credentials needed.'
      : route.roles === 'session'
        ? 'Anyone; ends the session of the cookie sent, if any.'
        : `Roles: ${roles!.join(', ')}.`;
  const responses: Json = {};
  for (const [status, r] of Object.entries(route.responses)) {
    const content: Json = {};
    if (r.schema) content['application/json'] = { schema: jsonSchema(r.schema, 'output', components) };
    if (r.content === 'csv') content['text/csv'] = { schema: { type: 'string' } };
    if (r.content === 'event-stream') content['text/event-stream'] = { schema: { type: 'string' } };
    // Any type: the one the gateway read from the file's bytes (image/png, application/pdf…), else application/octet-stream.
    if (r.content === 'binary') content['*/*'] = { schema: { type: 'string', contentMediaType: 'application/octet-stream' } };
    responses[status] = { description: r.description, ...(Object.keys(content).length > 0 ? { content } : {}) };
  }
  for (const status of errorStatuses(route)) responses[status] = { $ref: `#/components/responses/${ERRORS[status]!.name}` };
  const unsafe = route.method !== 'get';
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description: route.description ? `${route.description}\n\n${who}` : who,
    ...(roles ? { 'x-roles': roles } : {}),
    security:
      route.roles === 'public'
        ? []
        : route.roles === 'session'
          ? [{}, { sessionCookie: [], csrfToken: [] }]
          : [{ bearerAuth: [] }, unsafe ? { sessionCookie: [], csrfToken: [] } : { sessionCookie: [] }],
    ...(parameters(route, components).length > 0 ? { parameters: parameters(route, components) } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input', components) } } } } : {}),
    responses,
  };
}

/** The whole document. `serverUrl`: where the API is reached (default: relative to the document). */
export function openApiDocument(routes: readonly ApiRoute[] = API_ROUTES, serverUrl = '/'): Json {
  const schemas: Json = {};
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const p = openApiPath(route.path);
    paths[p] = { ...paths[p], [route.method]: operation(route, schemas) };
  }
  // errorBody is named (`Error`): converting it puts it among the components.
  jsonSchema(errorBody, 'output', schemas);
  const retryAfter = { 'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer' } } };
  const responses = Object.fromEntries(
    Object.values(ERRORS).map((e) => [
      e.name,
      {
        description: e.description,
        ...(e.retryAfter ? { headers: retryAfter } : {}),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Complaint gateway API',
      version: PACKAGE_VERSION,
      description: DESCRIPTION,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: serverUrl }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name, description: TAGS[name] ?? name })),
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token, or GATEWAY_ADMIN_TOKEN.' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'A console session (POST /console/session). HttpOnly.' },
        csrfToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description: "The session's CSRF token: required with the cookie on POST, PUT, PATCH and DELETE.",
        },
      },
    },
  };
}

import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './api-types.js';

/**
 * A typed client for the gateway's HTTP API, for integrators and for our own CLI and tests:
 * openapi-fetch over the types generated from the OpenAPI document (api-types.ts), so a path, a
 * parameter or a body the API does not take is a type error, and every answer is typed.
 *
 * ```ts
 * import { createGatewayClient, ok } from 'complaint-gateway/client';
 * const api = createGatewayClient({ baseUrl: 'http://localhost:3000', token: process.env.GATEWAY_TOKEN });
 * const { id } = await ok(api.POST('/api/v1/messages', { body: { channel: 'sms', externalId: 'SM-1', from: { address: '+8613800138000' }, text: '快递还没到' } }));
 * const page = await ok(api.GET('/api/v1/tickets', { params: { query: { status: 'new,open', limit: 20 } } }));
 * ```
 */

export type { components, operations, paths };
export type GatewayClient = Client<paths>;
/** Every error body of the API: `{ error: { code, message, details? } }`. */
export type ApiErrorBody = components['schemas']['Error'];

export interface GatewayClientOptions {
  /** Where the gateway listens, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** An API token (`gateway token create`) or the admin token, sent as `Authorization: Bearer …`. */
  token?: string;
  /** Headers for every request (say a session cookie and its `X-CSRF-Token`). */
  headers?: Record<string, string>;
  /** Another fetch (a proxy agent, a test double); default: the global fetch. */
  fetch?: typeof fetch;
  /** openapi-fetch middleware (logging, retries, response checks). */
  middleware?: Middleware[];
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  for (const m of options.middleware ?? []) client.use(m);
  return client;
}

/** An answer outside 2xx, with the gateway's error code and message. */
export class GatewayApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'GatewayApiError';
  }
}

/**
 * The body of a successful answer, or a {@link GatewayApiError} carrying the gateway's
 * `{error: {code, message}}` (status and text when the body is not the API's error shape).
 */
export async function ok<R extends { data?: unknown; error?: unknown; response: Response }>(pending: Promise<R>): Promise<Exclude<R['data'], undefined>> {
  const { data, error, response } = await pending;
  if (response.ok) return data as Exclude<R['data'], undefined>;
  const body = (error ?? {}) as Partial<ApiErrorBody>;
  const code = body.error?.code ?? `http_${response.status}`;
  throw new GatewayApiError(
    response.status,
    code,
    body.error?.message ?? (typeof error === 'string' && error ? error : response.statusText),
    body.error?.details,
  );
}

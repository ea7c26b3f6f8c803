/**
 * The console's one way to the server: JSON in and out, the session cookie, the CSRF token on
 * every change, and errors as ApiError with the server's own message (never swallowed: each
 * caller shows it next to the action that failed).
 */

export class ApiError extends Error {
  constructor(
    /** The HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | undefined;
let onSessionLost: ((message: string) => void) | undefined;

/** The token the server gave with the session; sent as X-CSRF-Token on every non-GET call. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when any call answers 401 (signed out elsewhere, session expired): the app returns to sign-in. */
export function whenSessionLost(handler: (message: string) => void): void {
  onSessionLost = handler;
}

export interface CallOptions {
  /** A 401 is an answer here (the sign-in form, the first "who am I"), not a lost session. */
  expect401?: boolean;
  signal?: AbortSignal;
  /** Sent even while the page unloads (saying "left" as a tab closes). */
  keepalive?: boolean;
}

export async function call<T>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
      keepalive: options.keepalive,
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ApiError(0, 'network');
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const error = errorOf(res.status, data, text);
    if (res.status === 401 && !options.expect401) onSessionLost?.(error.message);
    throw error;
  }
  return data as T;
}

/** The API answers `{error: {code, message}}`; the session routes may answer `{error: "message"}`. */
function errorOf(status: number, data: unknown, text: string): ApiError {
  const e = (data as { error?: unknown } | undefined)?.error;
  if (typeof e === 'string') return new ApiError(status, e);
  if (e && typeof e === 'object') {
    const { message, code } = e as { message?: unknown; code?: unknown };
    if (typeof message === 'string') return new ApiError(status, message, typeof code === 'string' ? code : undefined);
  }
  const plain = text && !text.trimStart().startsWith('<') ? text.slice(0, 300) : '';
  return new ApiError(status, plain || `HTTP ${status}`);
}

export const api = {
  get: <T>(path: string, options?: CallOptions) => call<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: CallOptions) => call<T>('POST', path, body ?? {}, options),
  patch: <T>(path: string, body: unknown, options?: CallOptions) => call<T>('PATCH', path, body, options),
  put: <T>(path: string, body: unknown, options?: CallOptions) => call<T>('PUT', path, body, options),
  del: <T>(path: string, options?: CallOptions) => call<T>('DELETE', path, undefined, options),
};

/** A query string from the set values only. */
export function query(params: Record<string, string | number | undefined | null | false>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

import type { RobotKind } from '../../contracts/webhook-events.js';
import type { AlertCard } from './alert-card.js';

/** Where a robot posts: its webhook address (with the vendor's token or key in it) and, when signed, its secret. */
export interface RobotTarget {
  url: string;
  secret?: string;
}

/** One HTTP POST to a vendor: the address (DingTalk signs in the query) and the JSON body. */
export interface RobotRequest {
  url: string;
  body: string;
}

/** What the vendor's answer means: ok, or why not (and, for its own rate limit, when to try again). */
export interface RobotAnswer {
  ok: boolean;
  error?: string;
  retryAfterMs?: number;
}

/** A chat-room robot vendor: the request for a card, signed the vendor's way at `nowMs`, and how to read the answer. */
export interface RobotProvider {
  readonly kind: RobotKind;
  request(target: RobotTarget, card: AlertCard, nowMs: number): RobotRequest;
  answer(status: number, text: string, headers: Headers): RobotAnswer;
}

/**
 * DingTalk, Feishu and WeCom answer 200 with an error code in the JSON body: `{ errcode: 0 }` or `{ code: 0 }` is
 * success; `rateLimited` lists the codes meaning "too many messages" (retried after a minute).
 */
export function jsonCodeAnswer(vendor: string, status: number, text: string, codeFields: string[], rateLimited: number[]): RobotAnswer {
  if (status < 200 || status >= 300) return { ok: false, error: `${vendor} answered HTTP ${status}: ${text.slice(0, 200)}` };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { ok: false, error: `${vendor} answered something that is not JSON: ${text.slice(0, 200)}` };
  }
  const field = codeFields.find((f) => typeof body[f] === 'number');
  const code = field === undefined ? undefined : (body[field] as number);
  if (code === 0) return { ok: true };
  const message = String(body.errmsg ?? body.msg ?? body.StatusMessage ?? '');
  return {
    ok: false,
    error: `${vendor} refused: ${field ?? 'code'} ${code ?? '(none)'} ${message}`.trim(),
    ...(code !== undefined && rateLimited.includes(code) ? { retryAfterMs: 60_000 } : {}),
  };
}

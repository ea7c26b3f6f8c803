import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a widget session token proves: this browser is visitor `visitorId` in conversation `conversationId`. */
export interface WidgetSession {
  visitorId: string;
  conversationId: string;
  /** Issued at, epoch ms. */
  issuedAt: number;
}

const ID = /^[A-Za-z0-9_-]{16,64}$/;

/** A fresh unguessable id (128 bits, base64url). */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Signs and checks widget session tokens: `base64url(json).base64url(hmac-sha256)`.
 * The token is the only thing that lets a browser read a conversation, so a
 * forged, altered or expired token is simply not a session.
 */
export class SessionSigner {
  constructor(
    private readonly secret: string,
    private readonly maxAgeMs: number,
  ) {
    if (secret.length < 32) throw new Error('the widget session secret must be at least 32 characters');
  }

  issue(session: Omit<WidgetSession, 'issuedAt'>, now = Date.now()): string {
    const body = Buffer.from(JSON.stringify({ v: session.visitorId, c: session.conversationId, t: now })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The session the token names, or undefined when it is forged, altered, malformed or older than the maximum age. */
  verify(token: unknown, now = Date.now()): WidgetSession | undefined {
    if (typeof token !== 'string' || token.length > 1024) return undefined;
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let parsed: { v?: unknown; c?: unknown; t?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof parsed.v !== 'string' || typeof parsed.c !== 'string' || typeof parsed.t !== 'number') return undefined;
    if (!ID.test(parsed.v) || !ID.test(parsed.c)) return undefined;
    if (parsed.t > now + 60_000 || now - parsed.t > this.maxAgeMs) return undefined;
    return { visitorId: parsed.v, conversationId: parsed.c, issuedAt: parsed.t };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(`webchat-session:${body}`).digest('base64url');
  }
}

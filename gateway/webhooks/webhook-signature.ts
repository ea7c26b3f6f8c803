import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers every event-webhook delivery carries (README, "Event webhooks"). */
export const WEBHOOK_HEADERS = {
  eventId: 'X-Gateway-Event-Id',
  eventType: 'X-Gateway-Event-Type',
  deliveryId: 'X-Gateway-Delivery-Id',
  attempt: 'X-Gateway-Attempt',
  timestamp: 'X-Gateway-Timestamp',
  signature: 'X-Gateway-Signature',
} as const;

/**
 * `v1=<hex>`: HMAC-SHA256 with the subscription's secret over `${timestamp}.${body}`, timestamp in Unix seconds.
 * The timestamp is signed so that a captured request cannot be replayed later than the receiver's tolerance.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's side (the README's snippet does the same): true for a signature made now-ish with this secret. */
export function verifyWebhook(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: string,
  nowMs = Date.now(),
  toleranceSeconds = 300,
): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body).slice(3), 'hex');
  return signature.split(',').some((part) => {
    const [scheme, hex] = part.trim().split('=', 2);
    if (scheme !== 'v1' || !hex || !/^[0-9a-f]+$/i.test(hex)) return false;
    const got = Buffer.from(hex, 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

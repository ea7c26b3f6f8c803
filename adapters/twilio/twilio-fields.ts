import { z } from 'zod';

/**
 * The building blocks of the webhook input schemas (twilio-params.schema.ts), one rule per
 * kind of field, chosen by who produces the value:
 *
 * - ids and addresses (SIDs, From, To, statuses that steer the request) come from Twilio
 *   itself and always have the same shape: anything else is refused (400);
 * - counts (NumMedia, RecordingDuration) are capped at Twilio's own limits, so no outside
 *   number ever sizes a loop;
 * - what a customer typed or said (Body, SpeechResult, Digits, TranscriptionText) is cut to a
 *   length Twilio itself never exceeds, never refused: a long message still reaches the journal;
 * - descriptive extras (country, city, confidence, media type, error code…) are dropped when
 *   malformed: they must never cost the customer's message.
 */

/** Twilio allows at most 10 media per MMS (MediaUrl0…MediaUrl9). */
export const MAX_MEDIA = 10;
/** Twilio's longest SMS body: it concatenates segments up to 1,600 characters. */
export const MAX_SMS_BODY_CHARS = 1600;
/** Longest speech result or transcription kept (a minute of speech is ~1,000 characters). */
export const MAX_SPOKEN_CHARS = 4000;
/** Keypad input: a menu key, an order number, or `hangup` posted by `<Record>`. */
export const MAX_KEYPAD_CHARS = 64;
/** `<Record maxLength>` tops out at 14,400 seconds (4 hours). */
export const MAX_RECORDING_SECONDS = 14_400;
/** E.164 is 16 characters; SIP URIs (`sip:alice@example.sip.twilio.com`) and `client:` ids are longer, never this long. */
const MAX_ADDRESS_CHARS = 256;
/** Twilio media and recording URLs are ~170 characters. */
const MAX_URL_CHARS = 1024;

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * From / To: a phone number, short code, alphanumeric sender, `client:`, `sip:` or `whatsapp:`
 * address. Blank counts as absent (Twilio posts empty strings for what it does not know).
 */
export const address = z
  .string({ message: 'must be a single value' })
  .trim()
  .max(MAX_ADDRESS_CHARS, `is longer than ${MAX_ADDRESS_CHARS} characters`)
  .refine((s) => !CONTROL.test(s), 'holds control characters')
  .transform((s) => s || undefined);

/**
 * A Twilio status word: `received`, `undelivered`, `in-progress`… The longest Twilio sends,
 * `partially_delivered`, has 19 characters; 24 is what the gateway's delivery_status column holds.
 */
export const status = z.string({ message: 'must be a single value' }).regex(/^[a-z][a-z_-]{0,23}$/, 'is not a Twilio status');

/** A count Twilio reports, capped at `max`: NumMedia=100000000 means at most 10 media, not a loop of 10⁸. */
export function cappedCount(max: number) {
  return z
    .string({ message: 'must be a single value' })
    .regex(/^\d{1,32}$/, 'is not a whole number')
    .transform((s) => Math.min(Number(s), max));
}

/** Text a customer produced, cut (not refused) at `max` characters without splitting a surrogate pair. */
export function customerText(max: number) {
  return z.string({ message: 'must be a single value' }).transform((s) => cutText(s, max));
}

export function cutText(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = 0;
  for (let chars = 0; end < s.length && chars < max; chars++) end += s.codePointAt(end)! > 0xffff ? 2 : 1;
  return s.slice(0, end);
}

/** An https URL of reasonable length (Twilio serves media and recordings only over https). */
export const httpsUrl = z
  .string({ message: 'must be a single value' })
  .max(MAX_URL_CHARS, `is longer than ${MAX_URL_CHARS} characters`)
  .pipe(z.url({ protocol: /^https$/, message: 'is not an https URL' }));

/** A MIME type such as `image/jpeg` (parameters dropped); anything else is stored as an opaque file. */
export const mediaType = z
  .string()
  .transform((s) => s.split(';')[0]!.trim().toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][\w!#$&^.+-]{0,126}\/[a-z0-9][\w!#$&^.+-]{0,126}$/))
  .catch('application/octet-stream');

/** Optional descriptive field: kept when well formed, dropped (undefined) otherwise. */
export function extra<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

export const country = z.string().regex(/^[A-Z]{2}$/);
export const place = z
  .string()
  .max(64)
  .refine((s) => !CONTROL.test(s));
export const errorCode = z.string().regex(/^\d{1,6}$/);
/** Speech-recognition confidence, 0 to 1. */
export const confidence = z
  .string()
  .regex(/^\d(\.\d{1,20})?$/)
  .transform(Number)
  .pipe(z.number().min(0).max(1));

/** True when the text has something to read once control characters (which the journal strips) are gone. */
export function hasVisibleText(s: string | undefined): s is string {
  return !!s && s.replace(/[\u0000-\u001f\u007f]/g, '').trim().length > 0;
}

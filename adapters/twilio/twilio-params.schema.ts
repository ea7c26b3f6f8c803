import { z } from 'zod';
import { twilioSid } from '../../config/channels/twilio.schema.js';
import {
  address,
  cappedCount,
  confidence,
  country,
  customerText,
  cutText,
  errorCode,
  extra,
  httpsUrl,
  MAX_KEYPAD_CHARS,
  MAX_MEDIA,
  MAX_RECORDING_SECONDS,
  MAX_SMS_BODY_CHARS,
  MAX_SPOKEN_CHARS,
  mediaType,
  place,
  status,
} from './twilio-fields.js';

/**
 * One input schema per Twilio webhook: the form fields each route reads, checked before any
 * of them is used (see twilio-fields.ts for the rule per kind of field). Fields a route does
 * not read are ignored; a correctly signed request that breaks a rule gets a 400 naming the field.
 */

const messageSid = twilioSid('SM', 'MM');

/** A media item Twilio stored for an MMS; the file stays at Twilio (fetching it needs the account credentials). */
export interface TwilioMedia {
  url: string;
  contentType: string;
}

/**
 * MediaUrl{i} / MediaContentType{i} for i below NumMedia, which is capped at 10: the loop is
 * bounded whatever NumMedia says. A URL that is not https is left out; the text is kept.
 */
function mediaOf(p: Record<string, unknown>, numMedia: number): { media: TwilioMedia[]; dropped: number } {
  const media: TwilioMedia[] = [];
  let dropped = 0;
  for (let i = 0; i < numMedia; i++) {
    if (p[`MediaUrl${i}`] === undefined) continue;
    const url = httpsUrl.safeParse(p[`MediaUrl${i}`]);
    if (url.success) media.push({ url: url.data, contentType: mediaType.parse(p[`MediaContentType${i}`]) });
    else dropped++;
  }
  return { media, dropped };
}

/** POST /sms: an inbound SMS/MMS (or a delivery receipt posted to the inbound URL). */
export const smsInboundParams = z
  .looseObject({
    MessageSid: messageSid.optional(),
    SmsMessageSid: messageSid.optional(),
    AccountSid: twilioSid('AC').optional(),
    MessagingServiceSid: twilioSid('MG').optional(),
    From: address.optional(),
    To: address.optional(),
    /** Cut below, so the cut can be recorded. */
    Body: z.string({ message: 'must be a single value' }).optional(),
    NumMedia: cappedCount(MAX_MEDIA).optional(),
    NumSegments: extra(cappedCount(1000)),
    MessageStatus: status.optional(),
    SmsStatus: status.optional(),
    ErrorCode: extra(errorCode),
    FromCountry: extra(country),
    FromCity: extra(place),
    /** Set when Twilio's Advanced Opt-Out already answered a STOP/START/HELP keyword. */
    OptOutType: extra(z.string().regex(/^[A-Z]{1,16}$/)),
  })
  .refine((p) => (p.MessageSid ?? p.SmsMessageSid) && p.From, 'MessageSid and From are required')
  .transform((p) => {
    // Twilio never sends more than 1,600 characters; a longer Body is cut, not refused, and the message says so.
    const body = p.Body === undefined ? undefined : cutText(p.Body, MAX_SMS_BODY_CHARS);
    return {
      sid: (p.MessageSid ?? p.SmsMessageSid)!,
      from: p.From!,
      to: p.To,
      body,
      bodyCut: body !== p.Body,
      numMedia: p.NumMedia ?? 0,
      ...mediaOf(p, p.NumMedia ?? 0),
      numSegments: p.NumSegments,
      status: p.MessageStatus ?? p.SmsStatus,
      errorCode: p.ErrorCode,
      fromCountry: p.FromCountry,
      fromCity: p.FromCity,
      messagingServiceSid: p.MessagingServiceSid,
      optOutType: p.OptOutType,
    };
  });
export type SmsInboundParams = z.output<typeof smsInboundParams>;

/** POST /sms/status: the delivery receipt of one of our outbound messages. */
export const smsStatusParams = z
  .object({
    MessageSid: messageSid.optional(),
    SmsSid: messageSid.optional(),
    AccountSid: twilioSid('AC').optional(),
    MessageStatus: status.optional(),
    SmsStatus: status.optional(),
    ErrorCode: extra(errorCode),
    To: address.optional(),
  })
  .refine((p) => (p.MessageSid ?? p.SmsSid) && (p.MessageStatus ?? p.SmsStatus), 'MessageSid and MessageStatus are required')
  .transform((p) => ({ sid: (p.MessageSid ?? p.SmsSid)!, status: (p.MessageStatus ?? p.SmsStatus)!, errorCode: p.ErrorCode, to: p.To }));
export type SmsStatusParams = z.output<typeof smsStatusParams>;

/** What every voice webhook carries: the call (its SID threads every IVR step) and the parties. */
const callFields = {
  CallSid: twilioSid('CA'),
  AccountSid: twilioSid('AC').optional(),
  From: address.optional(),
  To: address.optional(),
  FromCountry: extra(country),
  CallerCountry: extra(country),
};

/** POST /voice: the call comes in. */
export const voiceCallParams = z.object(callFields);
export type VoiceCallParams = z.output<typeof voiceCallParams>;

/** What a `<Gather>` posts: the key(s) pressed or the words heard. */
const gatherFields = {
  ...callFields,
  Digits: customerText(MAX_KEYPAD_CHARS).optional(),
  SpeechResult: customerText(MAX_SPOKEN_CHARS).optional(),
  Confidence: extra(confidence),
};

/** POST /voice/menu: the main menu's Gather. */
export const voiceMenuParams = z.object(gatherFields);
/** POST /voice/complaint: the spoken complaint (menu 1). */
export const voiceComplaintParams = z.object(gatherFields);
/** POST /voice/order: an order number, keyed in or spoken (menu 2). */
export const voiceOrderParams = z.object(gatherFields);
export type VoiceGatherParams = z.output<typeof voiceMenuParams>;
/** POST /voice/survey: the key pressed on the satisfaction call we placed (From is our number, To the customer). */
export const voiceSurveyParams = z.object(gatherFields);

/** POST /voice/dial-status: how the `<Dial>` to the on-call lead or an agent ended. An unknown status counts as unanswered. */
export const voiceDialStatusParams = z.object({ ...callFields, DialCallStatus: extra(status) });

const recordingFields = {
  RecordingUrl: httpsUrl.optional(),
  RecordingSid: twilioSid('RE').optional(),
};

/** POST /voice/recording: the voicemail. */
export const voiceRecordingParams = z.object({
  ...callFields,
  ...recordingFields,
  RecordingDuration: cappedCount(MAX_RECORDING_SECONDS).optional(),
});

/** POST /voice/transcription: Twilio's transcription of an English voicemail. An unknown status counts as failed. */
export const voiceTranscriptionParams = z.object({
  ...callFields,
  ...recordingFields,
  TranscriptionSid: twilioSid('TR').optional(),
  TranscriptionStatus: extra(status),
  TranscriptionText: customerText(MAX_SPOKEN_CHARS).optional(),
});

/**
 * Checks a webhook's form fields against its schema. On failure: the first problem as
 * `Field: rule`, never the value (it may be anything, and is echoed nowhere).
 */
export function parseParams<T extends z.ZodType>(schema: T, body: unknown): { ok: true; params: z.output<T> } | { ok: false; problem: string } {
  // Express leaves req.body undefined when the request was not form-encoded.
  const result = schema.safeParse(body ?? {}, { reportInput: true });
  if (result.success) return { ok: true, params: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const rule = issue.code === 'invalid_type' ? (issue.input === undefined ? 'is required' : 'must be a single value') : issue.message;
  return { ok: false, problem: field ? `${field}: ${rule}` : rule };
}

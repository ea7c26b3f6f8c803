import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type TwilioSdkDefault from 'twilio';
import type { TwilioConfig, VoiceLanguage, WeeklyHours } from '../../config/channels/twilio.schema.js';
import type { AdapterStateStore, Attachment, InboundMessage, InboundSink } from '../types.js';
import { isCallableNumber, maskPhone, moduleLogger, OptOutRegistry, type TwilioLogger } from './twilio-common.js';
import { PROMPTS } from './twilio-prompts.js';

type TwilioSdk = typeof TwilioSdkDefault;
type VoiceResponse = InstanceType<TwilioSdk['twiml']['VoiceResponse']>;
type SayAttributes = Parameters<VoiceResponse['say']>[0];
type GatherAttributes = Parameters<VoiceResponse['gather']>[0];
/** Twilio posts webhooks as application/x-www-form-urlencoded: every field is a string. */
type TwilioParams = Record<string, string | undefined>;

/** Dependencies of {@link createTwilioRouter}; the gateway's composition root provides them. */
export interface TwilioRouterDeps {
  config: TwilioConfig;
  /** The durable journal append; the router answers Twilio only after it resolved. */
  sink: InboundSink;
  /** Opt-out state (STOP / START). */
  state: AdapterStateStore;
  logger: TwilioLogger;
  /** Severity-1 (personal safety) classification of what a caller said; a keyword list by default. */
  isUrgent?: (text: string) => boolean | Promise<boolean>;
  /** The SLA calendar; by default TWILIO_BUSINESS_HOURS in TWILIO_TIME_ZONE. */
  isBusinessHours?: (now: Date) => boolean;
  /** Delivery receipts of our outbound SMS (queued, sent, delivered, undelivered, failed). */
  onDeliveryStatus?: (externalId: string, status: string, errorCode?: string) => Promise<void>;
}

let sdkPromise: Promise<TwilioSdk> | undefined;
/** The SDK takes ~0.7 s to import: load it only once the Twilio channel is actually configured. */
function loadSdk(): Promise<TwilioSdk> {
  sdkPromise ??= import('twilio').then((m) => m.default);
  return sdkPromise;
}

/**
 * `<Gather language>` per IVR language. Twilio's speech recognition wants
 * `cmn-Hans-CN` for Mandarin (the SDK's GatherLanguage has no zh-CN, and Twilio
 * fails the Gather with warning 13512 on a value it does not know).
 */
const GATHER_LANGUAGE: Record<VoiceLanguage, GatherAttributes extends infer A ? (A extends { language?: infer L } ? L : never) : never> = {
  'zh-CN': 'cmn-Hans-CN',
  'en-US': 'en-US',
};
const MESSAGE_LANGUAGE: Record<VoiceLanguage, string> = { 'zh-CN': 'zh-Hans', 'en-US': 'en' };
const OTHER_LANGUAGE: Record<VoiceLanguage, VoiceLanguage> = { 'zh-CN': 'en-US', 'en-US': 'zh-CN' };

/**
 * Words that mean someone may be hurt or in danger. Only a fallback: the gateway
 * injects the nlp severity classifier as `isUrgent`.
 */
const URGENT_WORDS =
  /(受伤|流血|骨折|住院|送医|急救|救护车|中毒|昏迷|晕倒|着火|起火|火灾|冒烟|爆炸|漏电|触电|燃气|煤气|窒息|烧伤|烫伤|人身安全|救命|injur|bleed|hospital|ambulance|poison|unconscious|fainted|on fire|caught fire|smoke|explo|electric shock|electrocut|gas leak|chok|emergency)/i;

const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE', '退订', 'TD', 'T']);
const START_WORDS = new Set(['START', 'UNSTOP', '订阅', '恢复']);
const HELP_WORDS = new Set(['HELP', 'INFO', '帮助']);
const DAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The weekly-hours calendar used when the gateway injects none. */
export function weeklyHoursCalendar(hours: WeeklyHours): (now: Date) => boolean {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: hours.timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (now) => {
    const parts = Object.fromEntries(fmt.formatToParts(now).map((p) => [p.type, p.value]));
    const minute = Number(parts.hour) * 60 + Number(parts.minute);
    return hours.days.includes(DAY_INDEX[parts.weekday]) && minute >= hours.startMinute && minute < hours.endMinute;
  };
}

/** The keyword list used when the gateway injects no severity classifier. */
export function defaultIsUrgent(text: string): boolean {
  return URGENT_WORDS.test(text);
}

/** A whole-message keyword: `stop`, ` STOP. `, `退订！` all count; `please stop calling me` does not. */
function keywordOf(body: string): string {
  return body
    .trim()
    .replace(/[\s\p{P}]+$/u, '')
    .replace(/^[\s\p{P}]+/u, '')
    .toUpperCase();
}

function hasCjk(text: string): boolean {
  return /[\u3400-\u9fff]/.test(text);
}

/**
 * Twilio webhooks under `/webhooks/twilio`: inbound SMS, SMS delivery receipts and
 * the hotline IVR. Every request must carry a valid `X-Twilio-Signature` for
 * PUBLIC_BASE_URL + its path (so it works behind proxies); anything else gets 403.
 */
export function createTwilioRouter(deps: TwilioRouterDeps): Router {
  const { config, sink } = deps;
  const log = moduleLogger(deps.logger, 'adapters/twilio');
  const optOuts = new OptOutRegistry(deps.state);
  const isUrgent = deps.isUrgent ?? defaultIsUrgent;
  const isBusinessHours = deps.isBusinessHours ?? weeklyHoursCalendar(config.businessHours);
  void loadSdk().catch((err) => log.error({ err }, 'cannot load the twilio SDK'));

  const router = express.Router();
  // Twilio posts form bodies; parse them here so the router works whatever the app parses.
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));
  router.use(verifySignature);

  async function verifySignature(req: Request, res: Response, next: NextFunction): Promise<void> {
    const sdk = await loadSdk();
    const signature = req.header('X-Twilio-Signature');
    // Twilio signs the URL it called: our public origin (not the Host behind a proxy) + the original path and query.
    const url = `${config.publicBaseUrl}${req.originalUrl}`;
    const params = (req.body ?? {}) as TwilioParams;
    let valid = false;
    if (signature) {
      const settings = req.header('X-Twilio-Webhooks-Signature-Settings');
      valid =
        settings && config.webhookSharedKeySecret
          ? sdk.validateRequest(config.webhookSharedKeySecret, signature, url, params, sdk.getSignatureAlgorithm(settings))
          : sdk.validateRequest(config.authToken, signature, url, params);
    }
    if (!valid) {
      log.warn({ path: req.path, hasSignature: !!signature }, 'rejected a Twilio webhook with a bad signature');
      res.status(403).type('text/plain').send('Invalid X-Twilio-Signature');
      return;
    }
    next();
  }

  function sendTwiml(res: Response, twiml: { toString(): string }): void {
    res.status(200).type('text/xml').send(twiml.toString());
  }

  async function emptyMessaging(res: Response): Promise<void> {
    const sdk = await loadSdk();
    sendTwiml(res, new sdk.twiml.MessagingResponse());
  }

  // ---------------------------------------------------------------- SMS

  router.post('/sms', async (req, res) => {
    const sdk = await loadSdk();
    const p = req.body as TwilioParams;
    const sid = p.MessageSid ?? p.SmsMessageSid;
    const from = p.From?.trim();
    if (!sid || !from) {
      res.status(400).type('text/plain').send('MessageSid and From are required');
      return;
    }
    // A delivery receipt posted to the inbound URL (a number configured with one URL
    // for both) is not a complaint: record the status and drop it here.
    const status = p.MessageStatus ?? p.SmsStatus;
    if (status && status !== 'received' && p.Body === undefined) {
      await deliveryStatus(sid, status, p.ErrorCode, p.To);
      await emptyMessaging(res);
      return;
    }

    const body = p.Body ?? '';
    const keyword = keywordOf(body);
    const lang: VoiceLanguage = hasCjk(keyword) || config.voice.zhPrefixes.some((x) => from.startsWith(x)) ? 'zh-CN' : 'en-US';
    // OptOutType is set when Twilio's own opt-out management already answered the keyword;
    // a second confirmation from us would be a duplicate text (and is blocked after STOP anyway).
    const twilioAnswered = !!p.OptOutType;
    const reply = new sdk.twiml.MessagingResponse();
    if (STOP_WORDS.has(keyword)) {
      await optOuts.optOut(from, keyword);
      log.info({ from: maskPhone(from), keyword }, 'sms opt-out');
      if (!twilioAnswered) {
        reply.message(
          lang === 'zh-CN'
            ? '您已退订，将不再收到我们的短信。回复"订阅"可恢复。'
            : 'You are unsubscribed and will get no more texts from us. Reply START to resubscribe.',
        );
      }
      sendTwiml(res, reply);
      return;
    }
    // YES re-subscribes only a number that opted out; otherwise it is an answer to an agent's question.
    if (START_WORDS.has(keyword) || (keyword === 'YES' && (await optOuts.isOptedOut(from)))) {
      await optOuts.optIn(from, keyword);
      log.info({ from: maskPhone(from), keyword }, 'sms opt-in');
      if (!twilioAnswered) {
        reply.message(lang === 'zh-CN' ? '您已恢复接收短信。回复"退订"可停止。' : 'You are subscribed again. Reply STOP to opt out.');
      }
      sendTwiml(res, reply);
      return;
    }
    if (HELP_WORDS.has(keyword)) {
      if (!twilioAnswered) reply.message(config.helpText[lang]);
      sendTwiml(res, reply);
      return;
    }

    const numMedia = Number(p.NumMedia ?? 0) || 0;
    const attachments: Attachment[] = [];
    const mediaUrls: string[] = [];
    for (let i = 0; i < numMedia; i++) {
      const url = p[`MediaUrl${i}`];
      if (!url) continue;
      const contentType = p[`MediaContentType${i}`] ?? 'application/octet-stream';
      mediaUrls.push(url);
      // MMS media stay at Twilio (fetching them needs the account credentials); we keep the URL.
      attachments.push({ name: `${sid}-${i}.${contentType.split('/')[1] ?? 'bin'}`, contentType, size: 0, ref: url });
    }
    if (!body.trim() && attachments.length === 0) {
      log.info({ sid, from: maskPhone(from) }, 'empty sms ignored');
      await emptyMessaging(res);
      return;
    }
    const msg: InboundMessage = {
      channel: 'sms',
      externalId: sid,
      receivedAt: new Date().toISOString(),
      from: { address: from },
      to: p.To,
      text: body.trim(),
      attachments,
      meta: compact({
        numMedia,
        mediaUrls: mediaUrls.length ? mediaUrls : undefined,
        numSegments: p.NumSegments ? Number(p.NumSegments) : undefined,
        fromCountry: p.FromCountry,
        fromCity: p.FromCity,
        messagingServiceSid: p.MessagingServiceSid,
      }),
    };
    try {
      const { duplicate } = await sink(msg);
      log.info({ sid, from: maskPhone(from), duplicate }, 'sms received');
    } catch (err) {
      // Not durable, so not acknowledged: a non-2xx makes Twilio log the failure (and use the fallback URL if set).
      log.error({ err, sid }, 'journal append failed for an inbound sms');
      res.status(500).type('text/plain').send('Could not store the message');
      return;
    }
    // The acknowledgement with the ticket number goes out through the outbox, not as TwiML:
    // the ticket does not exist yet, and a redelivery must not text the customer twice.
    await emptyMessaging(res);
  });

  async function deliveryStatus(sid: string, status: string, errorCode: string | undefined, to: string | undefined) {
    // 21610: the recipient replied STOP through the carrier; remember it so we stop calling the API for them.
    if (errorCode === '21610' && to) await optOuts.optOut(to, 'twilio:21610');
    if (deps.onDeliveryStatus) await deps.onDeliveryStatus(sid, status, errorCode || undefined);
  }

  router.post('/sms/status', async (req, res) => {
    const p = req.body as TwilioParams;
    const sid = p.MessageSid ?? p.SmsSid;
    const status = p.MessageStatus ?? p.SmsStatus;
    if (!sid || !status) {
      res.status(400).type('text/plain').send('MessageSid and MessageStatus are required');
      return;
    }
    try {
      await deliveryStatus(sid, status, p.ErrorCode, p.To);
    } catch (err) {
      log.error({ err, sid }, 'recording an sms delivery status failed');
      res.status(500).type('text/plain').send('Could not record the status');
      return;
    }
    await emptyMessaging(res);
  });

  // ---------------------------------------------------------------- voice

  function languageOf(req: Request): VoiceLanguage {
    const q = req.query.lang;
    if (q === 'zh-CN' || q === 'en-US') return q;
    const from = (req.body as TwilioParams).From;
    if (isCallableNumber(from)) return config.voice.zhPrefixes.some((x) => from.startsWith(x)) ? 'zh-CN' : 'en-US';
    return config.voice.defaultLanguage;
  }

  /** Absolute callback URLs, so the signatures Twilio computes for them match ours. */
  function hook(req: Request, path: string, query: Record<string, string | undefined>): string {
    const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
    return `${config.publicBaseUrl}${req.baseUrl}${path}?${qs}`;
  }

  function say(node: { say(attrs: SayAttributes, text: string): unknown }, lang: VoiceLanguage, text: string): void {
    node.say({ language: config.voice.sayLanguages[lang], voice: config.voice.voices[lang] } as SayAttributes, text);
  }

  function gather(vr: VoiceResponse, lang: VoiceLanguage, action: string, extra: Partial<GatherAttributes> = {}) {
    return vr.gather({
      input: ['speech', 'dtmf'],
      language: GATHER_LANGUAGE[lang],
      action,
      method: 'POST',
      speechTimeout: 'auto',
      timeout: 6,
      // Angry words are a signal for the emotion stage; do not let Twilio mask them.
      profanityFilter: false,
      ...extra,
    });
  }

  function voicemail(vr: VoiceResponse, req: Request, lang: VoiceLanguage, urgent: boolean): void {
    // Said right before the beep even when a greeting mentioned it: the caller may have waited through a Gather.
    say(vr, lang, PROMPTS[lang].leaveMessage);
    const q = { lang, urgent: urgent ? '1' : undefined };
    vr.record({
      action: hook(req, '/voice/recording', q),
      method: 'POST',
      maxLength: config.voice.voicemailMaxSeconds,
      finishOnKey: '#',
      playBeep: true,
      timeout: 5,
      // Twilio's <Record> transcription understands English only; Chinese voicemails are filed with the recording.
      ...(lang === 'en-US' ? { transcribe: true, transcribeCallback: hook(req, '/voice/transcription', q) } : {}),
    });
    // Reached only when nothing was recorded (Twilio skips the action then).
    say(vr, lang, PROMPTS[lang].goodbye);
    vr.hangup();
  }

  function dialOnCall(vr: VoiceResponse, req: Request, lang: VoiceLanguage): void {
    if (!config.onCallNumber) {
      log.error({}, 'safety call but TWILIO_ONCALL_NUMBER is not set: taking an urgent voicemail');
      say(vr, lang, PROMPTS[lang].noAnswer);
      voicemail(vr, req, lang, true);
      return;
    }
    say(vr, lang, PROMPTS[lang].connectingOnCall);
    // The caller's own number is passed through as caller ID, so the on-call lead sees who is calling.
    vr.dial({ action: hook(req, '/voice/dial-status', { lang, reason: 'emergency' }), method: 'POST', timeout: 25 }, config.onCallNumber);
  }

  function callMessage(
    req: Request,
    lang: VoiceLanguage,
    step: string,
    text: string,
    meta: Record<string, unknown>,
    attachments: Attachment[] = [],
  ): InboundMessage {
    const p = req.body as TwilioParams;
    const callSid = p.CallSid ?? 'unknown-call';
    const callable = isCallableNumber(p.From);
    return {
      channel: 'voice',
      // One external id per IVR step, all threaded by CallSid: the journal dedupes a
      // redelivered step while the pipeline keeps one call on one ticket.
      externalId: `${callSid}:${step}`,
      receivedAt: new Date().toISOString(),
      // A withheld caller ID is not an identity: keep anonymous callers apart.
      from: { address: callable ? p.From! : `anonymous:${callSid}` },
      to: p.To,
      threadKey: callSid,
      text,
      language: MESSAGE_LANGUAGE[lang],
      attachments,
      meta: compact({
        callSid,
        ivrLanguage: lang,
        ivrStep: step,
        callerIdWithheld: callable ? undefined : true,
        fromCountry: p.FromCountry ?? p.CallerCountry,
        ...meta,
      }),
    };
  }

  /** Journals a message the call must not wait on (a safety call is put through even if the database is down). */
  async function fileWithoutBlocking(msg: InboundMessage): Promise<void> {
    try {
      await sink(msg);
    } catch (err) {
      log.error({ err, externalId: msg.externalId }, 'journal append failed during a safety call; the call is put through anyway');
    }
  }

  /** Speech from the menu or the complaint prompt: urgent → on-call lead, otherwise filed as the complaint. */
  async function handleSpeech(req: Request, res: Response, vr: VoiceResponse, lang: VoiceLanguage, speech: string, step: string) {
    const p = req.body as TwilioParams;
    const urgent = await isUrgent(speech);
    const msg = callMessage(req, lang, 'speech', speech, {
      urgent: urgent || undefined,
      speechConfidence: p.Confidence ? Number(p.Confidence) : undefined,
      heardAt: step,
    });
    if (urgent) {
      log.warn({ callSid: p.CallSid, from: maskPhone(p.From) }, 'urgent speech: dialling the on-call lead');
      await fileWithoutBlocking(msg);
      dialOnCall(vr, req, lang);
      return sendTwiml(res, vr);
    }
    try {
      await sink(msg);
      say(vr, lang, PROMPTS[lang].thanksComplaint);
      vr.hangup();
    } catch (err) {
      // The words are lost, but the caller is still on the line: a voicemail is a second chance.
      log.error({ err, callSid: p.CallSid }, 'journal append failed for a spoken complaint; falling back to voicemail');
      voicemail(vr, req, lang, false);
    }
    sendTwiml(res, vr);
  }

  router.post('/voice', async (req, res) => {
    const sdk = await loadSdk();
    const lang = languageOf(req);
    const P = PROMPTS[lang];
    const brand = config.voice.brand[lang];
    const vr = new sdk.twiml.VoiceResponse();
    const open = isBusinessHours(new Date());
    const retry = req.query.retry === '1';
    const g = gather(vr, lang, hook(req, '/voice/menu', { lang, closed: open ? undefined : '1', retry: retry ? '1' : undefined }), {
      numDigits: 1,
    });
    if (open) {
      say(g, lang, retry ? P.menu : `${P.welcome(brand)}${P.menu}`);
    } else {
      say(g, lang, P.closed(brand));
    }
    say(g, OTHER_LANGUAGE[lang], PROMPTS[OTHER_LANGUAGE[lang]].switchLanguage);
    // No input at all: Twilio falls through the Gather to a voicemail.
    if (open) say(vr, lang, P.nothingHeard);
    voicemail(vr, req, lang, false);
    sendTwiml(res, vr);
  });

  router.post('/voice/menu', async (req, res) => {
    const sdk = await loadSdk();
    const p = req.body as TwilioParams;
    const lang = languageOf(req);
    const P = PROMPTS[lang];
    const closed = req.query.closed === '1';
    const vr = new sdk.twiml.VoiceResponse();
    const digit = p.Digits?.trim();
    const speech = p.SpeechResult?.trim();

    if (digit === '9') {
      log.warn({ callSid: p.CallSid, from: maskPhone(p.From) }, 'safety emergency chosen: dialling the on-call lead');
      await fileWithoutBlocking(callMessage(req, lang, 'emergency', P.emergencyText, { urgent: true, ivrChoice: '9' }));
      dialOnCall(vr, req, lang);
      return sendTwiml(res, vr);
    }
    if (digit === '8') {
      vr.redirect({ method: 'POST' }, hook(req, '/voice', { lang: OTHER_LANGUAGE[lang] }));
      return sendTwiml(res, vr);
    }
    if (!digit && speech) return handleSpeech(req, res, vr, lang, speech, 'menu');
    if (closed) {
      voicemail(vr, req, lang, false);
      return sendTwiml(res, vr);
    }
    switch (digit) {
      case '1': {
        const g = gather(vr, lang, hook(req, '/voice/complaint', { lang }), { input: ['speech'], timeout: 8 });
        say(g, lang, P.describeProblem);
        say(vr, lang, P.nothingHeard);
        voicemail(vr, req, lang, false);
        break;
      }
      case '2': {
        const g = gather(vr, lang, hook(req, '/voice/order', { lang }), { finishOnKey: '#', timeout: 8 });
        say(g, lang, P.orderNumber);
        say(vr, lang, P.nothingHeard);
        voicemail(vr, req, lang, false);
        break;
      }
      case '3':
        if (config.agentNumber) {
          say(vr, lang, P.connectingAgent);
          vr.dial({ action: hook(req, '/voice/dial-status', { lang, reason: 'agent' }), method: 'POST', timeout: 30 }, config.agentNumber);
        } else {
          voicemail(vr, req, lang, false);
        }
        break;
      default:
        say(vr, lang, P.notUnderstood);
        // One more try, then a voicemail: a caller must never loop in the menu.
        if (req.query.retry === '1') voicemail(vr, req, lang, false);
        else vr.redirect({ method: 'POST' }, hook(req, '/voice', { lang, retry: '1' }));
    }
    sendTwiml(res, vr);
  });

  router.post('/voice/complaint', async (req, res) => {
    const sdk = await loadSdk();
    const lang = languageOf(req);
    const vr = new sdk.twiml.VoiceResponse();
    const speech = (req.body as TwilioParams).SpeechResult?.trim();
    if (speech) return handleSpeech(req, res, vr, lang, speech, 'complaint');
    say(vr, lang, PROMPTS[lang].nothingHeard);
    voicemail(vr, req, lang, false);
    sendTwiml(res, vr);
  });

  router.post('/voice/order', async (req, res) => {
    const sdk = await loadSdk();
    const p = req.body as TwilioParams;
    const lang = languageOf(req);
    const vr = new sdk.twiml.VoiceResponse();
    const order = (p.Digits || p.SpeechResult || '').trim();
    if (!order) {
      say(vr, lang, PROMPTS[lang].nothingHeard);
      voicemail(vr, req, lang, false);
      return sendTwiml(res, vr);
    }
    try {
      await sink(callMessage(req, lang, 'order', PROMPTS[lang].orderText(order), { intent: 'order_status', orderNumber: order }));
      say(vr, lang, PROMPTS[lang].orderThanks);
      vr.hangup();
    } catch (err) {
      log.error({ err, callSid: p.CallSid }, 'journal append failed for an order inquiry; falling back to voicemail');
      voicemail(vr, req, lang, false);
    }
    sendTwiml(res, vr);
  });

  router.post('/voice/dial-status', async (req, res) => {
    const sdk = await loadSdk();
    const p = req.body as TwilioParams;
    const lang = languageOf(req);
    const vr = new sdk.twiml.VoiceResponse();
    if (p.DialCallStatus === 'completed' || p.DialCallStatus === 'answered') {
      vr.hangup();
    } else {
      const urgent = req.query.reason === 'emergency';
      if (urgent) log.error({ callSid: p.CallSid, status: p.DialCallStatus }, 'the on-call lead did not answer a safety call');
      say(vr, lang, PROMPTS[lang].noAnswer);
      voicemail(vr, req, lang, urgent);
    }
    sendTwiml(res, vr);
  });

  router.post('/voice/recording', async (req, res) => {
    const sdk = await loadSdk();
    const p = req.body as TwilioParams;
    const lang = languageOf(req);
    const vr = new sdk.twiml.VoiceResponse();
    const seconds = Number(p.RecordingDuration ?? 0) || 0;
    if (!p.RecordingUrl || seconds === 0) {
      say(vr, lang, PROMPTS[lang].goodbye);
      vr.hangup();
      return sendTwiml(res, vr);
    }
    const urgent = req.query.urgent === '1';
    const msg = callMessage(
      req,
      lang,
      'recording',
      PROMPTS[lang].voicemailText(seconds),
      {
        recordingUrl: p.RecordingUrl,
        recordingSid: p.RecordingSid,
        recordingDuration: seconds,
        urgent: urgent || undefined,
        // English voicemails get a transcription as a second message on the same call thread.
        transcriptionPending: lang === 'en-US' || undefined,
      },
      [{ name: `${p.RecordingSid ?? 'voicemail'}.wav`, contentType: 'audio/x-wav', size: 0, ref: p.RecordingUrl }],
    );
    try {
      await sink(msg);
    } catch (err) {
      // The recording itself stays in the Twilio account under this SID.
      log.error({ err, callSid: p.CallSid, recordingSid: p.RecordingSid }, 'journal append failed for a voicemail');
      res.status(500).type('text/plain').send('Could not store the voicemail');
      return;
    }
    say(vr, lang, PROMPTS[lang].thanksVoicemail);
    vr.hangup();
    sendTwiml(res, vr);
  });

  router.post('/voice/transcription', async (req, res) => {
    const p = req.body as TwilioParams;
    const lang = languageOf(req);
    const text = p.TranscriptionText?.trim();
    if (p.TranscriptionStatus !== 'completed' || !text) {
      // The voicemail is already filed with its recording; a failed transcription changes nothing.
      log.info({ callSid: p.CallSid, status: p.TranscriptionStatus }, 'voicemail transcription unavailable');
      return emptyMessaging(res);
    }
    const urgent = req.query.urgent === '1' || (await isUrgent(text));
    const msg = callMessage(req, lang, 'transcription', text, {
      recordingUrl: p.RecordingUrl,
      recordingSid: p.RecordingSid,
      transcriptionSid: p.TranscriptionSid,
      transcriptionOf: `${p.CallSid}:recording`,
      urgent: urgent || undefined,
    });
    try {
      await sink(msg);
    } catch (err) {
      log.error({ err, callSid: p.CallSid }, 'journal append failed for a voicemail transcription');
      res.status(500).type('text/plain').send('Could not store the transcription');
      return;
    }
    await emptyMessaging(res);
  });

  return router;
}

/** Drops undefined fields so `meta` stays readable in the journal. */
function compact(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

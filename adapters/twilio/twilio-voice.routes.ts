import type { Request, Response, Router } from 'express';
import type { VoiceLanguage, WeeklyHours } from '../../config/channels/twilio.schema.js';
import type { Attachment, InboundMessage } from '../types.js';
import { isCallableNumber, maskPhone } from './twilio-common.js';
import { PROMPTS } from './twilio-prompts.js';
import { hasVisibleText } from './twilio-fields.js';
import {
  voiceCallParams,
  voiceComplaintParams,
  voiceDialStatusParams,
  voiceMenuParams,
  voiceOrderParams,
  voiceRecordingParams,
  voiceSurveyParams,
  voiceTranscriptionParams,
  type VoiceCallParams,
  type VoiceGatherParams,
} from './twilio-params.schema.js';
import { compact, emptyMessaging, isRefusal, loadSdk, readParams, sendTwiml, type TwilioRouteContext, type TwilioSdk } from './twilio-webhook.js';

type VoiceResponse = InstanceType<TwilioSdk['twiml']['VoiceResponse']>;
type SayAttributes = Parameters<VoiceResponse['say']>[0];
type GatherAttributes = Parameters<VoiceResponse['gather']>[0];

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
/** A ticket number as the survey call's URL carries it (C-20261204-0001). */
const TICKET_NUMBER = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/**
 * Words that mean someone may be hurt or in danger. Only a fallback: the gateway
 * injects the nlp severity classifier as `isUrgent`.
 */
const URGENT_WORDS =
  /(受伤|流血|骨折|住院|送医|急救|救护车|中毒|昏迷|晕倒|着火|起火|火灾|冒烟|爆炸|漏电|触电|燃气|煤气|窒息|烧伤|烫伤|人身安全|救命|injur|bleed|hospital|ambulance|poison|unconscious|fainted|on fire|caught fire|smoke|explo|electric shock|electrocut|gas leak|chok|emergency)/i;

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

/** The hotline IVR: menu, spoken complaints, the on-call lead for safety calls, voicemail. */
export function registerVoiceRoutes(router: Router, ctx: TwilioRouteContext): void {
  const { config, sink, log, isUrgent, isBusinessHours } = ctx;

  function languageOf(req: Request, p: VoiceCallParams): VoiceLanguage {
    const q = req.query.lang;
    if (q === 'zh-CN' || q === 'en-US') return q;
    const from = p.From;
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
    p: VoiceCallParams,
    lang: VoiceLanguage,
    step: string,
    text: string,
    meta: Record<string, unknown>,
    attachments: Attachment[] = [],
  ): InboundMessage {
    // The schema requires a well-formed CallSid: every step of one call threads on it.
    const callSid = p.CallSid;
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
  async function handleSpeech(req: Request, res: Response, p: VoiceGatherParams, vr: VoiceResponse, lang: VoiceLanguage, speech: string, step: string) {
    const urgent = await isUrgent(speech);
    const msg = callMessage(p, lang, 'speech', speech, {
      urgent: urgent || undefined,
      speechConfidence: p.Confidence,
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
    const p = readParams(voiceCallParams, req, res, log);
    if (!p) return;
    const sdk = await loadSdk();
    const lang = languageOf(req, p);
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
    const p = readParams(voiceMenuParams, req, res, log);
    if (!p) return;
    const sdk = await loadSdk();
    const lang = languageOf(req, p);
    const P = PROMPTS[lang];
    const closed = req.query.closed === '1';
    const vr = new sdk.twiml.VoiceResponse();
    const digit = p.Digits?.trim();
    const speech = p.SpeechResult?.trim();

    if (digit === '9') {
      log.warn({ callSid: p.CallSid, from: maskPhone(p.From) }, 'safety emergency chosen: dialling the on-call lead');
      await fileWithoutBlocking(callMessage(p, lang, 'emergency', P.emergencyText, { urgent: true, ivrChoice: '9' }));
      dialOnCall(vr, req, lang);
      return sendTwiml(res, vr);
    }
    if (digit === '8') {
      vr.redirect({ method: 'POST' }, hook(req, '/voice', { lang: OTHER_LANGUAGE[lang] }));
      return sendTwiml(res, vr);
    }
    if (!digit && hasVisibleText(speech)) return handleSpeech(req, res, p, vr, lang, speech, 'menu');
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
    const p = readParams(voiceComplaintParams, req, res, log);
    if (!p) return;
    const sdk = await loadSdk();
    const lang = languageOf(req, p);
    const vr = new sdk.twiml.VoiceResponse();
    const speech = p.SpeechResult?.trim();
    if (hasVisibleText(speech)) return handleSpeech(req, res, p, vr, lang, speech, 'complaint');
    say(vr, lang, PROMPTS[lang].nothingHeard);
    voicemail(vr, req, lang, false);
    sendTwiml(res, vr);
  });

  router.post('/voice/order', async (req, res) => {
    const p = readParams(voiceOrderParams, req, res, log);
    if (!p) return;
    const sdk = await loadSdk();
    const lang = languageOf(req, p);
    const vr = new sdk.twiml.VoiceResponse();
    const order = (p.Digits || p.SpeechResult || '').trim();
    if (!hasVisibleText(order)) {
      say(vr, lang, PROMPTS[lang].nothingHeard);
      voicemail(vr, req, lang, false);
      return sendTwiml(res, vr);
    }
    try {
      await sink(callMessage(p, lang, 'order', PROMPTS[lang].orderText(order), { intent: 'order_status', orderNumber: order }));
      say(vr, lang, PROMPTS[lang].orderThanks);
      vr.hangup();
    } catch (err) {
      log.error({ err, callSid: p.CallSid }, 'journal append failed for an order inquiry; falling back to voicemail');
      voicemail(vr, req, lang, false);
    }
    sendTwiml(res, vr);
  });

  router.post('/voice/dial-status', async (req, res) => {
    const p = readParams(voiceDialStatusParams, req, res, log);
    if (!p) return;
    const sdk = await loadSdk();
    const lang = languageOf(req, p);
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
    const p = readParams(voiceRecordingParams, req, res, log);
    if (!p) return;
    const sdk = await loadSdk();
    const lang = languageOf(req, p);
    const vr = new sdk.twiml.VoiceResponse();
    // Capped by the schema at Twilio's 4-hour <Record> limit.
    const seconds = p.RecordingDuration ?? 0;
    if (!p.RecordingUrl || seconds === 0) {
      say(vr, lang, PROMPTS[lang].goodbye);
      vr.hangup();
      return sendTwiml(res, vr);
    }
    const urgent = req.query.urgent === '1';
    const msg = callMessage(
      p,
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
      if (isRefusal(err)) {
        log.error({ err, callSid: p.CallSid, recordingSid: p.RecordingSid }, 'the journal refused a voicemail');
        res.status(400).type('text/plain').send('The voicemail was refused as invalid');
        return;
      }
      // The recording itself stays in the Twilio account under this SID.
      log.error({ err, callSid: p.CallSid, recordingSid: p.RecordingSid }, 'journal append failed for a voicemail');
      res.status(500).type('text/plain').send('Could not store the voicemail');
      return;
    }
    say(vr, lang, PROMPTS[lang].thanksVoicemail);
    vr.hangup();
    sendTwiml(res, vr);
  });

  /**
   * The satisfaction call (TwilioVoiceAdapter, `customerUpdates.voiceSurvey: call`): the key 1–5 the
   * customer pressed is filed as their answer, naming the ticket the call was about (from the URL we
   * gave Twilio, which its signature covers); the pipeline records it as that ticket's rating. Any
   * other key is asked once more; nothing at all ends the call.
   */
  router.post('/voice/survey', async (req, res) => {
    const p = readParams(voiceSurveyParams, req, res, log);
    if (!p) return;
    const sdk = await loadSdk();
    const lang: VoiceLanguage = req.query.lang === 'zh-CN' || req.query.lang === 'en-US' ? req.query.lang : config.voice.defaultLanguage;
    const P = PROMPTS[lang];
    const ticket = typeof req.query.ticket === 'string' && TICKET_NUMBER.test(req.query.ticket) ? req.query.ticket : undefined;
    const vr = new sdk.twiml.VoiceResponse();
    const digit = p.Digits?.trim();
    // On a call we placed, Twilio's To is the customer and From is us.
    const customer = p.To;
    if (!digit || !/^[1-5]$/.test(digit) || !isCallableNumber(customer)) {
      if (digit && req.query.retry !== '1' && isCallableNumber(customer)) {
        const g = vr.gather({ input: ['dtmf'], numDigits: 1, timeout: 8, action: hook(req, '/voice/survey', { lang, ticket, retry: '1' }), method: 'POST' });
        say(g, lang, P.surveyInvalid);
      }
      say(vr, lang, P.surveyNoAnswer);
      vr.hangup();
      return sendTwiml(res, vr);
    }
    const msg: InboundMessage = {
      channel: 'voice',
      // One answer per call: a redelivered callback is the same journal entry.
      externalId: `${p.CallSid}:survey`,
      receivedAt: new Date().toISOString(),
      from: { address: customer },
      to: p.From,
      threadKey: p.CallSid,
      text: digit,
      language: MESSAGE_LANGUAGE[lang],
      attachments: [],
      meta: compact({ callSid: p.CallSid, ivrLanguage: lang, ivrStep: 'survey', surveyCall: true, surveyTicket: ticket }),
    };
    try {
      await sink(msg);
      say(vr, lang, P.surveyThanks);
    } catch (err) {
      // Twilio does not post a Gather again: the rating is lost, and the customer is not thanked for it.
      log.error({ err, callSid: p.CallSid, ticket }, 'journal append failed for a survey answer; the rating is lost');
      say(vr, lang, P.surveyNoAnswer);
    }
    vr.hangup();
    sendTwiml(res, vr);
  });

  router.post('/voice/transcription', async (req, res) => {
    const p = readParams(voiceTranscriptionParams, req, res, log);
    if (!p) return;
    const lang = languageOf(req, p);
    const text = p.TranscriptionText?.trim();
    if (p.TranscriptionStatus !== 'completed' || !hasVisibleText(text)) {
      // The voicemail is already filed with its recording; a failed transcription changes nothing.
      log.info({ callSid: p.CallSid, status: p.TranscriptionStatus }, 'voicemail transcription unavailable');
      return emptyMessaging(res);
    }
    const urgent = req.query.urgent === '1' || (await isUrgent(text));
    const msg = callMessage(p, lang, 'transcription', text, {
      recordingUrl: p.RecordingUrl,
      recordingSid: p.RecordingSid,
      transcriptionSid: p.TranscriptionSid,
      transcriptionOf: `${p.CallSid}:recording`,
      urgent: urgent || undefined,
    });
    try {
      await sink(msg);
    } catch (err) {
      if (isRefusal(err)) {
        // The voicemail itself is filed with its recording: dropping its transcription loses nothing the agent needs.
        log.error({ err, callSid: p.CallSid }, 'the journal refused a voicemail transcription');
        return emptyMessaging(res);
      }
      log.error({ err, callSid: p.CallSid }, 'journal append failed for a voicemail transcription');
      res.status(500).type('text/plain').send('Could not store the transcription');
      return;
    }
    await emptyMessaging(res);
  });
}

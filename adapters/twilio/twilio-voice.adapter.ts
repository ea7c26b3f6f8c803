import type { VoiceLanguage } from '../../config/channels/twilio.schema.js';
import type { ChannelId } from '../../contracts/channel-ids.js';
import { PermanentDeliveryError, type OutboundMessage } from '../types.js';
import { isCallableNumber, maskPhone, TWILIO_WEBHOOK_PATH } from './twilio-common.js';
import { PROMPTS } from './twilio-prompts.js';
import { TwilioSmsAdapter, type TwilioMessagingClient } from './twilio-sms.adapter.js';
import { loadSdk, type TwilioSdk } from './twilio-webhook.js';

/** The parameters of Twilio's `calls.create` that we use. */
export interface TwilioCallCreateParams {
  to: string;
  from: string;
  /** The call's TwiML, inline: no webhook fetch before the customer hears the question. */
  twiml: string;
  /** Seconds to let it ring. */
  timeout: number;
}

/** The slice of the twilio client that places calls (the real client has it beside `messages`). */
export interface TwilioCallingClient {
  calls: { create(params: TwilioCallCreateParams): Promise<{ sid: string; status?: string }> };
}

type VoiceResponse = InstanceType<TwilioSdk['twiml']['VoiceResponse']>;
type SayAttributes = Parameters<VoiceResponse['say']>[0];

/** Where the survey call's `<Gather>` posts the key pressed (handled by the router's `POST /voice/survey`). */
export const SURVEY_GATHER_PATH = `${TWILIO_WEBHOOK_PATH}/voice/survey`;

/** The IVR language for a ticket's language (zh-*: Mandarin; anything else: English). */
export function surveyLanguage(language: string | undefined): VoiceLanguage {
  return language?.startsWith('zh') ? 'zh-CN' : 'en-US';
}

/**
 * Channel `voice`: answers to a hotline caller go out as an SMS to the caller's number.
 *
 * Why SMS and not a call-back with text-to-speech: a phone call cannot be "replied
 * to" later, an automated call at an arbitrary hour is intrusive and easily missed,
 * a ticket number read aloud is easily misheard, and a text leaves the customer
 * something to quote and a channel to answer on (their SMS reply reaches the same
 * customer through the phone-number identity). When the caller's line cannot take
 * SMS (a landline: Twilio 21614) the send fails permanently and the ticket shows an
 * agent that they must call back.
 *
 * The one exception is the satisfaction question where the operator chose it
 * (`customerUpdates.voiceSurvey: call`, the outbox payload's `meta.surveyCall`): an
 * outbound call through Twilio's REST API that asks for one key 1–5 in the ticket's
 * language; the key pressed comes back to `POST /voice/survey` and becomes the rating.
 * It reaches landlines too, and asks in the medium the customer chose.
 */
export class TwilioVoiceAdapter extends TwilioSmsAdapter {
  // send() is the SMS adapter's: it refuses withheld numbers (no_callback_number) and
  // never texts from the hotline number the caller dialled.
  override readonly id: ChannelId = 'voice';

  override async send(out: OutboundMessage): Promise<{ externalId: string }> {
    if (out.meta.surveyCall === true) return this.placeSurveyCall(out);
    return super.send(out);
  }

  private async placeSurveyCall(out: OutboundMessage): Promise<{ externalId: string }> {
    const to = out.to;
    if (!isCallableNumber(to))
      throw new PermanentDeliveryError('no phone number to call: the caller withheld it or the address is not E.164', 'no_callback_number');
    // A number that texted STOP to us asked not to be contacted: no call either.
    if (await this.optOuts.isOptedOut(to)) throw new PermanentDeliveryError(`${maskPhone(to)} has opted out`, 'opted_out');
    // Call from the hotline number the customer dialled (they know it; it takes calls), else our own number.
    const from = isCallableNumber(out.from) ? out.from : this.config.from;
    if (!from) throw new PermanentDeliveryError('no number to call from: set TWILIO_FROM (a Messaging Service cannot place calls)', 'no_caller_id');
    const lang = surveyLanguage(out.language);
    const params: TwilioCallCreateParams = { to, from, twiml: await this.surveyTwiml(lang, out.ticketNumber), timeout: 30 };
    const client = (await this.getClient()) as TwilioMessagingClient & Partial<TwilioCallingClient>;
    if (!client.calls) throw new PermanentDeliveryError('this Twilio client cannot place calls', 'no_calls_api');
    try {
      const call = await client.calls.create(params);
      this.log.info({ outboxId: out.id, ticket: out.ticketNumber, to: maskPhone(to), sid: call.sid }, 'survey call placed');
      return { externalId: call.sid };
    } catch (err) {
      throw await this.classify(err, out, 'call');
    }
  }

  /** The question and a one-key `<Gather>` posting to /voice/survey with the language and the ticket it is about. */
  private async surveyTwiml(lang: VoiceLanguage, ticketNumber: string | undefined): Promise<string> {
    const sdk = await loadSdk();
    const { voice } = this.config;
    const say = (node: { say(attrs: SayAttributes, text: string): unknown }, text: string) =>
      node.say({ language: voice.sayLanguages[lang], voice: voice.voices[lang] } as SayAttributes, text);
    const query = new URLSearchParams({ lang, ...(ticketNumber ? { ticket: ticketNumber } : {}) });
    const vr = new sdk.twiml.VoiceResponse();
    const gather = vr.gather({
      input: ['dtmf'],
      numDigits: 1,
      timeout: 8,
      action: `${this.config.publicBaseUrl}${SURVEY_GATHER_PATH}?${query}`,
      method: 'POST',
    });
    say(gather, PROMPTS[lang].surveyQuestion(voice.brand[lang]));
    // No key at all: Twilio falls through the Gather.
    say(vr, PROMPTS[lang].surveyNoAnswer);
    vr.hangup();
    return vr.toString();
  }
}

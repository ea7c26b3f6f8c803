import type { ChannelId } from '../../contracts/channel-ids.js';
import { TwilioSmsAdapter } from './twilio-sms.adapter.js';

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
 */
export class TwilioVoiceAdapter extends TwilioSmsAdapter {
  // send() is the SMS adapter's: it refuses withheld numbers (no_callback_number) and
  // never texts from the hotline number the caller dialled.
  override readonly id: ChannelId = 'voice';
}

import { PermanentDeliveryError, type ChannelId, type OutboundMessage } from '../types.js';
import { isCallableNumber } from './twilio-common.js';
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
  override readonly id: ChannelId = 'voice';

  override async send(out: OutboundMessage): Promise<{ externalId: string }> {
    if (!isCallableNumber(out.to)) {
      throw new PermanentDeliveryError('the caller withheld their number; there is nobody to text back', 'no_callback_number');
    }
    // out.from is the hotline the customer dialled (often a 400/800 number that cannot
    // send SMS): always text from the configured SMS sender instead.
    return this.sendSms(out, undefined);
  }
}

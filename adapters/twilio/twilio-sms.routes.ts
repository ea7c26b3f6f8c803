import type { Response, Router } from 'express';
import type { VoiceLanguage } from '../../config/channels/twilio.schema.js';
import type { Attachment, InboundMessage } from '../types.js';
import { maskPhone } from './twilio-common.js';
import { hasVisibleText } from './twilio-fields.js';
import { smsInboundParams, smsStatusParams } from './twilio-params.schema.js';
import { compact, emptyMessaging, isRefusal, loadSdk, readParams, sendTwiml, type TwilioRouteContext } from './twilio-webhook.js';

const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE', '退订', 'TD', 'T']);
const START_WORDS = new Set(['START', 'UNSTOP', '订阅', '恢复']);
const HELP_WORDS = new Set(['HELP', 'INFO', '帮助']);

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

/** Inbound SMS (with STOP / START / HELP keywords) and delivery receipts of our outbound SMS. */
export function registerSmsRoutes(router: Router, ctx: TwilioRouteContext): void {
  const { config, sink, log, optOuts, onDeliveryStatus } = ctx;

  router.post('/sms', async (req, res) => {
    const p = readParams(smsInboundParams, req, res, log);
    if (!p) return;
    const sdk = await loadSdk();
    const { sid, from } = p;
    // A delivery receipt posted to the inbound URL (a number configured with one URL
    // for both) is not a complaint: record the status and drop it here.
    if (p.status && p.status !== 'received' && p.body === undefined) {
      if (!(await deliveryStatus(res, sid, p.status, p.errorCode, p.to))) return;
      await emptyMessaging(res);
      return;
    }

    const body = p.body ?? '';
    const keyword = keywordOf(body);
    const lang: VoiceLanguage = hasCjk(keyword) || config.voice.zhPrefixes.some((x) => from.startsWith(x)) ? 'zh-CN' : 'en-US';
    // OptOutType is set when Twilio's own opt-out management already answered the keyword;
    // a second confirmation from us would be a duplicate text (and is blocked after STOP anyway).
    const twilioAnswered = !!p.optOutType;
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

    // At most 10 media (NumMedia is capped by the schema): Twilio's MMS limit.
    const attachments: Attachment[] = p.media.map(({ url, contentType }, i) => ({
      name: `${sid}-${i}.${contentType.split('/')[1] ?? 'bin'}`,
      contentType,
      size: 0,
      ref: url,
    }));
    if (p.dropped > 0) log.warn({ sid, dropped: p.dropped }, 'mms media with a URL that is not https left out');
    // Control characters alone are no message: the journal strips them and would refuse what is left.
    if (!hasVisibleText(body) && attachments.length === 0) {
      log.info({ sid, from: maskPhone(from) }, 'empty sms ignored');
      await emptyMessaging(res);
      return;
    }
    if (p.bodyCut) log.warn({ sid, from: maskPhone(from) }, 'sms body cut to 1600 characters');
    const msg: InboundMessage = {
      channel: 'sms',
      externalId: sid,
      receivedAt: new Date().toISOString(),
      from: { address: from },
      to: p.to,
      text: body.trim(),
      attachments,
      meta: compact({
        numMedia: p.numMedia,
        mediaUrls: attachments.length ? attachments.map((a) => a.ref) : undefined,
        numSegments: p.numSegments,
        fromCountry: p.fromCountry,
        fromCity: p.fromCity,
        messagingServiceSid: p.messagingServiceSid,
        bodyTruncated: p.bodyCut || undefined,
      }),
    };
    try {
      const { duplicate } = await sink(msg);
      log.info({ sid, from: maskPhone(from), duplicate }, 'sms received');
    } catch (err) {
      if (isRefusal(err)) {
        // Twilio does not retry a 4xx either; the reason is in our log, not in the answer.
        log.error({ err, sid }, 'the journal refused an inbound sms');
        res.status(400).type('text/plain').send('The message was refused as invalid');
        return;
      }
      // Not durable, so not acknowledged: a non-2xx makes Twilio log the failure (and use the fallback URL if set).
      log.error({ err, sid }, 'journal append failed for an inbound sms');
      res.status(500).type('text/plain').send('Could not store the message');
      return;
    }
    // The acknowledgement with the ticket number goes out through the outbox, not as TwiML:
    // the ticket does not exist yet, and a redelivery must not text the customer twice.
    await emptyMessaging(res);
  });

  /** Records a delivery receipt; false once a 500 was sent because recording it failed. */
  async function deliveryStatus(res: Response, sid: string, status: string, errorCode: string | undefined, to: string | undefined): Promise<boolean> {
    try {
      // 21610: the recipient replied STOP through the carrier; remember it so we stop calling the API for them.
      if (errorCode === '21610' && to) await optOuts.optOut(to, 'twilio:21610');
      if (onDeliveryStatus) await onDeliveryStatus(sid, status, errorCode);
      return true;
    } catch (err) {
      log.error({ err, sid }, 'recording an sms delivery status failed');
      res.status(500).type('text/plain').send('Could not record the status');
      return false;
    }
  }

  router.post('/sms/status', async (req, res) => {
    const p = readParams(smsStatusParams, req, res, log);
    if (!p) return;
    if (await deliveryStatus(res, p.sid, p.status, p.errorCode, p.to)) await emptyMessaging(res);
  });
}

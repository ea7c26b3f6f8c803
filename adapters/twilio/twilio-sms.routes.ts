import type { Router } from 'express';
import type { VoiceLanguage } from '../../config/channels/twilio.schema.js';
import type { Attachment, InboundMessage } from '../types.js';
import { maskPhone } from './twilio-common.js';
import { compact, emptyMessaging, loadSdk, sendTwiml, type TwilioParams, type TwilioRouteContext } from './twilio-webhook.js';

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
    if (onDeliveryStatus) await onDeliveryStatus(sid, status, errorCode || undefined);
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
}

import type { InboundMessage } from '../types.js';
import type { BoundedPush } from './wechat-field-limits.js';
import { WechatXmlError, normalizeUserMessage } from './wechat-official.normalize.js';
import type { WechatPrompts } from './wechat-prompts.js';

/** What to do with one verified, decrypted and bounded push. */
export type WechatPushDecision =
  /** Something the customer said: append to the journal (it becomes or joins a ticket). */
  | { action: 'journal'; message: InboundMessage }
  /** Answer at once with this prompt as the passive reply; nothing is journaled. */
  | { action: 'prompt'; prompt: keyof WechatPrompts; why: string }
  /** Answer "success" and drop on purpose (WeChat would otherwise retry three times). */
  | { action: 'acknowledge'; why: string };

export interface TriageOptions {
  /** Menu EventKeys that mean "I want to complain". */
  complaintMenuKeys: string[];
  /** True when the push arrived encrypted (recorded in meta for audits). */
  encrypted: boolean;
}

/**
 * Decides per push what a helpdesk does with it. Only what carries the customer's own words
 * or media is journaled: intake refuses a message with neither, and a ticket without
 * content is noise for agents. Events are never journaled:
 * - `subscribe` (also by scanning a parametric QR code): a welcome that says how to complain;
 * - `CLICK` on a complaint menu key: a prompt to describe the complaint in the chat; the
 *   description that follows opens the ticket;
 * - `unsubscribe`, `VIEW` (a menu link), `SCAN`, `LOCATION` (reported every few seconds
 *   while the chat is open), other menu keys, job results (`TEMPLATESENDJOBFINISH`,
 *   `MASSSENDJOBFINISH`) and events WeChat may add: acknowledged and dropped.
 * A user message with neither words nor media gets a prompt instead of failing.
 */
export function triageOfficialPush(push: BoundedPush, opts: TriageOptions): WechatPushDecision {
  const f = push.fields;
  if (!f.MsgType || !f.FromUserName || !f.CreateTime) throw new WechatXmlError('MsgType, FromUserName and CreateTime are required');

  if (f.MsgType === 'event') {
    const event = f.Event ?? '';
    if (event === 'subscribe') return { action: 'prompt', prompt: 'welcome', why: 'new follower' };
    if (event === 'CLICK' && f.EventKey && opts.complaintMenuKeys.includes(f.EventKey)) {
      return { action: 'prompt', prompt: 'describeComplaint', why: 'complaint menu click' };
    }
    return { action: 'acknowledge', why: `event ${event || '(none)'} is not something the customer said` };
  }

  const message = normalizeUserMessage(f, { encrypted: opts.encrypted, truncated: push.truncated });
  if (message.text.trim() !== '' || message.attachments.length > 0) return { action: 'journal', message };
  // A text of spaces only, or a type (or a picture without a media id) with nothing to file.
  return f.MsgType === 'text'
    ? { action: 'prompt', prompt: 'emptyMessage', why: 'blank text' }
    : { action: 'prompt', prompt: 'unsupportedMessage', why: `${f.MsgType} without words or media` };
}

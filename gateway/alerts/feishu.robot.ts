import { createHmac } from 'node:crypto';
import type { AlertCard } from './alert-card.js';
import { jsonCodeAnswer, type RobotProvider } from './robot.js';

const HEADER_COLOUR: Record<AlertCard['level'], string> = { critical: 'red', warning: 'orange', info: 'blue' };

/**
 * Feishu / Lark custom bot (自定义机器人), an interactive card. With 签名校验 the body carries `timestamp` (seconds)
 * and `sign`: base64 of HMAC-SHA256 keyed with `${timestamp}\n${secret}` over an empty message (the key, not the
 * message, holds the string: Feishu's own samples do it this way round); Feishu refuses a timestamp more than an
 * hour off.
 */
export const feishuRobot: RobotProvider = {
  kind: 'feishu',
  request(target, card, nowMs) {
    const timestamp = Math.floor(nowMs / 1000);
    const sep = card.language === 'zh' ? '：' : ': ';
    const elements: unknown[] = [];
    if (card.fields.length > 0)
      elements.push({
        tag: 'div',
        fields: card.fields.map((f) => ({ is_short: true, text: { tag: 'lark_md', content: `**${f.label}**${sep}${f.value}` } })),
      });
    if (card.lines?.length)
      elements.push({ tag: 'div', text: { tag: 'lark_md', content: card.lines.map((l) => (l.url ? `- [${l.text}](${l.url})` : `- ${l.text}`)).join('\n') } });
    if (card.note) elements.push({ tag: 'note', elements: [{ tag: 'plain_text', content: card.note }] });
    if (card.link)
      elements.push({ tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: card.link.text }, type: 'primary', url: card.link.url }] });
    const body = {
      ...(target.secret ? { timestamp: String(timestamp), sign: feishuSign(target.secret, timestamp) } : {}),
      msg_type: 'interactive',
      card: {
        config: { wide_screen_mode: true },
        header: { title: { tag: 'plain_text', content: card.title }, template: HEADER_COLOUR[card.level] },
        elements,
      },
    };
    return { url: target.url, body: JSON.stringify(body) };
  },
  // code 11232: the bot's frequency limit (100 a minute, 5 a second).
  answer: (status, text) => jsonCodeAnswer('Feishu', status, text, ['code', 'StatusCode'], [11232]),
};

export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

import { createHmac } from 'node:crypto';
import type { AlertCard } from './alert-card.js';
import { jsonCodeAnswer, type RobotProvider } from './robot.js';

/**
 * DingTalk custom robot (自定义机器人). With 加签 the query carries `timestamp` (milliseconds) and `sign`:
 * base64 of HMAC-SHA256 keyed with the secret over `${timestamp}\n${secret}`, URL-encoded; DingTalk refuses a
 * timestamp more than an hour off. A card with a link is an actionCard (one button), else markdown.
 */
export const dingtalkRobot: RobotProvider = {
  kind: 'dingtalk',
  request(target, card, nowMs) {
    const url = new URL(target.url);
    if (target.secret) {
      url.searchParams.set('timestamp', String(nowMs));
      url.searchParams.set('sign', dingtalkSign(target.secret, nowMs));
    }
    const text = markdown(card);
    const body = card.link
      ? { msgtype: 'actionCard', actionCard: { title: card.title, text, btnOrientation: '0', singleTitle: card.link.text, singleURL: card.link.url } }
      : { msgtype: 'markdown', markdown: { title: card.title, text } };
    return { url: url.toString(), body: JSON.stringify(body) };
  },
  // errcode 130101: "send too fast" (20 messages a minute per robot).
  answer: (status, text) => jsonCodeAnswer('DingTalk', status, text, ['errcode'], [130101]),
};

/** The `sign` value before URL encoding (URLSearchParams encodes it). */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

function markdown(card: AlertCard): string {
  const sep = card.language === 'zh' ? '：' : ': ';
  return [
    `### ${card.title}`,
    '',
    ...card.fields.map((f) => `- **${f.label}**${sep}${f.value}`),
    ...(card.lines ?? []).map((l) => (l.url ? `- [${l.text}](${l.url})` : `- ${l.text}`)),
    ...(card.note ? ['', `> ${card.note}`] : []),
  ].join('\n');
}

import type { AlertCard } from './alert-card.js';
import { jsonCodeAnswer, type RobotProvider } from './robot.js';

const TITLE_COLOUR: Record<AlertCard['level'], string> = { critical: 'warning', warning: 'warning', info: 'info' };
/** WeCom refuses markdown content over 4096 bytes. */
const MAX_BYTES = 4096;

/**
 * WeCom group robot (企业微信群机器人): `msgtype: markdown`. Not signed: the `key` in the webhook address is the
 * secret. WeCom's markdown knows `<font color="info|comment|warning">`, bold, links and `>` quotes.
 */
export const wecomRobot: RobotProvider = {
  kind: 'wecom',
  request(target, card) {
    const sep = card.language === 'zh' ? '：' : ': ';
    const lines = [
      `**<font color="${TITLE_COLOUR[card.level]}">${card.title}</font>**`,
      ...card.fields.map((f) => `> ${f.label}${sep}<font color="comment">${f.value}</font>`),
      ...(card.lines ?? []).map((l) => (l.url ? `- [${l.text}](${l.url})` : `- ${l.text}`)),
      ...(card.note ? [`<font color="comment">${card.note}</font>`] : []),
      ...(card.link ? [`[${card.link.text}](${card.link.url})`] : []),
    ];
    return { url: target.url, body: JSON.stringify({ msgtype: 'markdown', markdown: { content: fitBytes(lines, MAX_BYTES) } }) };
  },
  // errcode 45009: "api freq out of limit" (20 messages a minute per robot).
  answer: (status, text) => jsonCodeAnswer('WeCom', status, text, ['errcode'], [45009]),
};

/** Joins lines, dropping middle ones (never the title or the link) until the text fits in `max` UTF-8 bytes. */
function fitBytes(lines: string[], max: number): string {
  const out = [...lines];
  while (out.length > 2 && Buffer.byteLength(out.join('\n')) > max) out.splice(out.length - 2, 1);
  return out.join('\n');
}

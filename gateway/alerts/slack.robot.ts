import type { RobotProvider } from './robot.js';

/** Slack's mrkdwn treats &, < and > as control characters. */
function esc(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Slack incoming webhook: Block Kit (header, fields, a button) with `text` as the notification fallback. Not signed:
 * the webhook address is the secret. Slack answers `ok`, or an error word with 4xx; 429 carries Retry-After.
 */
export const slackRobot: RobotProvider = {
  kind: 'slack',
  request(target, card) {
    const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: card.title.slice(0, 150), emoji: true } }];
    // A section holds at most 10 fields.
    if (card.fields.length > 0)
      blocks.push({ type: 'section', fields: card.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: `*${esc(f.label)}*\n${esc(f.value)}` })) });
    if (card.lines?.length)
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: card.lines.map((l) => (l.url ? `• <${l.url}|${esc(l.text)}>` : `• ${esc(l.text)}`)).join('\n') },
      });
    if (card.note) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: esc(card.note) }] });
    if (card.link)
      blocks.push({
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: card.link.text }, url: card.link.url, ...(card.level === 'critical' ? { style: 'danger' } : {}) },
        ],
      });
    return { url: target.url, body: JSON.stringify({ text: esc(card.title), blocks }) };
  },
  answer(status, text, headers) {
    if (status >= 200 && status < 300) return { ok: true };
    const retryAfter = Number(headers.get('retry-after'));
    return {
      ok: false,
      error: `Slack answered HTTP ${status}: ${text.slice(0, 200)}`,
      ...(status === 429 ? { retryAfterMs: (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 60) * 1000 } : {}),
    };
  },
};

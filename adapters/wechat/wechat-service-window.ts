import type { AdapterStateStore } from '../../contracts/adapter-state.js';
import type { WechatPushFields } from './wechat-official.normalize.js';

/**
 * WeChat accepts customer-service messages (客服消息) to a follower only within 48 hours of
 * their last interaction with the Official Account; after that it answers 45015 and a
 * template message is the only way to reach them.
 */
export const SERVICE_WINDOW_MS = 48 * 3_600_000;

/**
 * Events that open the window, per WeChat's customer-service message documentation: a follow,
 * a QR code scan, and the three menu types that push to the server (click, scan-code push,
 * scan-code with "receiving" prompt). A menu link (VIEW), the automatic location report,
 * unfollowing and job results do not.
 */
const WINDOW_EVENTS = new Set(['subscribe', 'SCAN', 'CLICK', 'scancode_push', 'scancode_waitmsg']);

/** True when this push is an interaction of the follower that WeChat counts for the 48-hour window. */
export function opensServiceWindow(fields: WechatPushFields): boolean {
  if (!fields.FromUserName) return false;
  return fields.MsgType !== 'event' || WINDOW_EVENTS.has(fields.Event ?? '');
}

/**
 * The adapter-state key of a follower's last interaction (epoch ms, when we received it).
 * The webhook router writes it, the sending adapter reads it; both use the `wechat` state.
 */
export const lastInteractionKey = (openid: string) => `wechat:official:last_interaction:${openid}`;

/**
 * Records that `openid` interacted at `at`. The time of receipt, not the push's CreateTime:
 * pushes arrive within seconds, and our clock is the one the window is checked against.
 */
export async function recordInteraction(state: AdapterStateStore, openid: string, at: number): Promise<void> {
  await state.set<number>(lastInteractionKey(openid), at);
}

/** When `openid` last interacted (epoch ms), if this gateway saw it. */
export function lastInteraction(state: AdapterStateStore, openid: string): Promise<number | undefined> {
  return state.get<number>(lastInteractionKey(openid));
}

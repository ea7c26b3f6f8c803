/**
 * "Get me a person": recognising a customer's reply to a bot answer that asks for a human.
 *
 * Only short replies count. The reply is folded (width, case, traditional → simplified), stripped
 * of punctuation and emoji, then of politeness and request words ("please", "I want to talk to",
 * "请", "我要", "吧") from both ends, and what is left must be one of the configured phrases. So
 * "转人工吧", "I want to talk to an agent please" and "０" hand over, while "your agent was rude"
 * or "the delivery person never came" (complaints that happen to contain a phrase) do not.
 */
import type { FaqConfig } from '../../config/faq.schema.js';
import { foldText } from '../text-normalizer.js';

/** English words that carry no meaning of their own in a handoff request. */
const EN_FILLER = new Set(
  (
    "i im i'm me my we us want wanna would like to talk speak chat with a an the please pls plz can could may you " +
    'let connect transfer put through get give need just now some one someone real live actual it this that ' +
    'is was answer reply at all really thanks thank ok okay hi hello sorry still again'
  ).split(' '),
);
/** Chinese request words, stripped from the start or end of the reply, longest first. */
// prettier-ignore
const ZH_FILLER = [
  '麻烦帮我', '请帮我', '帮我', '给我', '我要', '我想', '我需要', '需要', '麻烦', '直接', '赶紧', '马上', '快点', '快', '请', '帮', '找', '要', '接', '转接', '转',
  '这个答案', '这个回答', '回答', '答案', '这个', '这', '完全', '根本', '真的', '还是',
  '谢谢', '吧', '啊', '呀', '啦', '了', '呢', '哦', '嘛', '好吗', '可以吗', '行吗',
].sort((a, b) => b.length - a.length);
/** Longer than this after folding and it is a message, not a handoff reply. */
const MAX_CHARS = 60;

interface CompiledPhrases {
  exact: Set<string>;
}
const cache = new WeakMap<FaqConfig['handoffPhrases'], CompiledPhrases>();

function compile(phrases: FaqConfig['handoffPhrases']): CompiledPhrases {
  let c = cache.get(phrases);
  if (!c) {
    c = { exact: new Set([...phrases.zh, ...phrases.en].map((p) => canonical(String(p)))) };
    cache.set(phrases, c);
  }
  return c;
}

/** Folded, apostrophes unified, punctuation and symbols to spaces, runs of spaces collapsed. */
function canonical(text: string): string {
  return foldText(text)
    .folded.replace(/[’`]/g, "'")
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Removes filler words from both ends until nothing changes, asking `hit` after each step so a
 * phrase that itself ends in a filler ("不是这个") is seen before it is stripped.
 */
function stripFillers(text: string, hit: (s: string) => boolean): boolean {
  let s = text;
  for (let guard = 0; guard < 20; guard++) {
    if (hit(s)) return true;
    const before = s;
    // English: drop filler words at either end ("please", "can i talk to an").
    const words = s.split(' ');
    while (words.length > 1 && EN_FILLER.has(words[0]!)) words.shift();
    while (words.length > 1 && EN_FILLER.has(words[words.length - 1]!)) words.pop();
    s = words.join(' ');
    // Chinese: no spaces between words, so strip known request words from the ends.
    for (const f of ZH_FILLER) {
      if (hit(s)) return true;
      if (s.length > f.length && s.startsWith(f)) s = s.slice(f.length).trim();
      if (s.length > f.length && s.endsWith(f)) s = s.slice(0, -f.length).trim();
    }
    if (s === before) break;
  }
  return hit(s);
}

/**
 * True when the message is a short request for a person or a "that did not help" reply, by the
 * config's `handoffPhrases` (zh and en lists both apply to every message).
 */
export function isHandoffRequest(text: string, faq: Pick<FaqConfig, 'handoffPhrases'>): boolean {
  // Folding never shortens a text below a quarter (NFKC expands at most so much the other way):
  // a long message is not folded at all.
  if (text.length > MAX_CHARS * 4) return false;
  const c = canonical(text);
  if (c.length === 0 || c.length > MAX_CHARS) return false;
  const { exact } = compile(faq.handoffPhrases);
  // "转 人工" typed with a space is "转人工".
  const joined = c.replace(/(?<=\p{Script=Han}) (?=\p{Script=Han})/gu, '');
  return stripFillers(joined, (s) => exact.has(s));
}

/**
 * What the NLP stages read of a text, bounded so that their cost is linear in a small length
 * whatever a sender pastes: only the head of a long text, and no token longer than any real word.
 *
 * Regular expressions over "a run of letters" (e-mail addresses, order numbers, English words)
 * retry from every position of a run they cannot finish, so a run of n letters costs n²: one
 * message of 64,000 'x' froze the process for 20 s. No address, order number, phone number or
 * word is longer than {@link MAX_TOKEN_CHARS}, so the rest of such a run carries no meaning and
 * is blanked. Blanking keeps the length, so offsets found in the bounded text are offsets in the
 * original.
 */

import { codeAt } from './string-units.js';
import { RecentResults } from './recent-results.js';

/** Only the head of a text is analysed: a 1 MB paste says what it is about early. */
export const MAX_ANALYSED_CHARS = 8_000;
/** The longest run of letters, digits and address punctuation kept (an e-mail address may be 254; real ones are far shorter). */
export const MAX_TOKEN_CHARS = 96;
/** The longest run of one repeated character kept ("!!!!!!" still reads as anger). */
export const MAX_REPEAT = 16;

// Linear: each match consumes its whole run; a shorter run fails within the quantifier's bound.
const LONG_TOKEN = new RegExp(`[\\p{L}\\p{N}._%+@#:/\\\\-]{${MAX_TOKEN_CHARS + 1},}`, 'gu');
const LONG_REPEAT = new RegExp(`(.)\\1{${MAX_REPEAT},}`, 'gsu');
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/**
 * The text the NLP stages analyse: at most {@link MAX_ANALYSED_CHARS} characters (never ending
 * inside a surrogate pair), runs over {@link MAX_TOKEN_CHARS} letters and repeats over
 * {@link MAX_REPEAT} characters cut back, the excess replaced by spaces (same length).
 */
export function boundForAnalysis(text: string): string {
  return recentBounds.get(text, boundNow);
}

/** The last texts bounded: every stage of the pipeline bounds the same message first. */
const recentBounds = new RecentResults<string>(4);

function boundNow(text: string): string {
  let head = text;
  if (head.length > MAX_ANALYSED_CHARS) {
    const cut = isHighSurrogate(head.charCodeAt(MAX_ANALYSED_CHARS - 1)) ? MAX_ANALYSED_CHARS - 1 : MAX_ANALYSED_CHARS;
    head = head.slice(0, cut);
  }
  // Most texts have neither: a pass over the code units rules each out before its regex runs.
  if (mayRepeat(head)) head = head.replace(LONG_REPEAT, blankAfter(MAX_REPEAT + 1));
  if (mayHaveLongToken(head)) head = head.replace(LONG_TOKEN, (run) => (HAN.test(run) ? cutLatinRuns(run) : blankAfter(MAX_TOKEN_CHARS)(run)));
  return head;
}

/**
 * False only when LONG_REPEAT cannot match: no code unit repeated MAX_REPEAT + 1 times in a row,
 * and no pair of units (a character outside the BMP) either.
 */
function mayRepeat(text: string): boolean {
  if (text.length <= MAX_REPEAT) return false;
  let same1 = 0;
  let same2 = 0;
  let before = -1;
  let last = codeAt(text, 0);
  for (let i = 1; i < text.length; i++) {
    const c = codeAt(text, i);
    same1 = c === last ? same1 + 1 : 0;
    same2 = c === before ? same2 + 1 : 0;
    if (same1 >= MAX_REPEAT || same2 >= MAX_REPEAT) return true;
    before = last;
    last = c;
  }
  return false;
}

/** Per UTF-16 unit: 1 when it can be part of a LONG_TOKEN run (a letter, digit or address sign, or half of a surrogate pair). */
let tokenUnits: Uint8Array | undefined;
/** One character of LONG_TOKEN's class (its source without the quantifier). */
const TOKEN_CHAR = new RegExp(`^${LONG_TOKEN.source.replace(/\{\d+,\}$/, '')}$`, 'u');

/** False only when LONG_TOKEN cannot match: no MAX_TOKEN_CHARS + 1 units in a row that could be token characters. */
function mayHaveLongToken(text: string): boolean {
  if (text.length <= MAX_TOKEN_CHARS) return false;
  if (!tokenUnits) {
    tokenUnits = new Uint8Array(65536);
    for (let c = 0; c < 65536; c++) tokenUnits[c] = (c >= 0xd800 && c <= 0xdfff) || TOKEN_CHAR.test(String.fromCharCode(c)) ? 1 : 0;
  }
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (tokenUnits[codeAt(text, i)] === 0) run = 0;
    else if (++run > MAX_TOKEN_CHARS) return true;
  }
  return false;
}

/** Keeps the first `keep` UTF-16 units (backing off a split surrogate pair) and blanks the rest. */
function blankAfter(keep: number): (run: string) => string {
  return (run) => {
    const k = isHighSurrogate(run.charCodeAt(keep - 1)) ? keep - 1 : keep;
    return run.slice(0, k) + ' '.repeat(run.length - k);
  };
}

/**
 * A long run that mixes Chinese with Latin letters (Chinese is written without spaces, so a long
 * run of it is normal): only its non-Han stretches are cut.
 */
function cutLatinRuns(run: string): string {
  return run.replace(new RegExp(`[^\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff]{${MAX_TOKEN_CHARS + 1},}`, 'gu'), blankAfter(MAX_TOKEN_CHARS));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

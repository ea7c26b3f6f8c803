/**
 * Splits text into parts of at most `maxBytes` UTF-8 bytes (WeChat counts text limits
 * in bytes, so a Chinese character costs 3). Prefers to cut after a line break, then
 * after a sentence end, then anywhere between two code points (never inside an emoji's
 * surrogate pair).
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new RangeError('maxBytes must be at least 4 (one code point)');
  const parts: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest, 'utf8') > maxBytes) {
    // Longest prefix (in code points) that fits.
    let bytes = 0;
    let end = 0;
    for (const ch of rest) {
      const b = Buffer.byteLength(ch, 'utf8');
      if (bytes + b > maxBytes) break;
      bytes += b;
      end += ch.length;
    }
    const window = rest.slice(0, end);
    let cut = lastBreak(window, /\n/g);
    if (cut < end / 2) cut = Math.max(cut, lastBreak(window, /[。！？；!?;]|\.(?=\s)/g));
    if (cut < end / 2) cut = end;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts.filter((p, i) => p.length > 0 || i === 0);
}

/** Index just after the last match of `re` in `s`, or 0. */
function lastBreak(s: string, re: RegExp): number {
  let at = 0;
  for (const m of s.matchAll(re)) at = m.index + m[0].length;
  return at;
}

/**
 * Characters no customer means to send, removed before anything reaches the journal: NUL (which
 * PostgreSQL refuses in text, so a message holding one was acknowledged and then never became a
 * ticket), the other C0 controls but tab and line breaks, DEL, and lone UTF-16 surrogates (not
 * text at all; they become U+FFFD).
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** In one-line fields (addresses, ids, names) line breaks and tabs go too: "a@b.c\r\nBcc: x" is one header, not two. */
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Free text (message body, subject): controls removed, line breaks kept. */
export function cleanText(s: string): string {
  return s.replace(CONTROL, '').replace(LONE_SURROGATE, '\ufffd');
}

/** A one-line field (address, id, name, thread key): every control character removed. */
export function cleanLine(s: string): string {
  return s.replace(CONTROL_ONE_LINE, '').replace(LONE_SURROGATE, '\ufffd');
}

/** Limits on a message's `meta` (channel extras): deep enough for any provider, small enough to store. */
export const META_MAX_DEPTH = 8;
export const META_MAX_BYTES = 64 * 1024;

/**
 * `meta` made safe to store: plain JSON values only, strings cleaned, at most {@link META_MAX_DEPTH}
 * levels; undefined when it is deeper or larger than allowed (the caller refuses the message).
 * Walks without recursion, so a 20,000-level object cannot overflow the stack.
 */
export function cleanMeta(meta: Record<string, unknown>): { ok: true; value: Record<string, unknown> } | { ok: false; problem: string } {
  const root: Record<string, unknown> = {};
  const stack: Array<{ from: unknown; into: Record<string, unknown> | unknown[]; depth: number }> = [{ from: meta, into: root, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { from, into, depth } = stack.pop()!;
    if (depth > META_MAX_DEPTH) return { ok: false, problem: `meta is nested deeper than ${META_MAX_DEPTH} levels` };
    const entries: Array<[string | number, unknown]> = Array.isArray(from) ? from.map((v, i) => [i, v]) : Object.entries(from as object);
    for (const [key, value] of entries) {
      if (++nodes > 10_000) return { ok: false, problem: 'meta has more than 10000 values' };
      let cleaned: unknown;
      if (value === null || typeof value === 'boolean') cleaned = value;
      else if (typeof value === 'number') cleaned = Number.isFinite(value) ? value : null;
      else if (typeof value === 'string') cleaned = cleanText(value);
      else if (typeof value === 'object') {
        cleaned = Array.isArray(value) ? [] : {};
        stack.push({ from: value, into: cleaned as Record<string, unknown>, depth: depth + 1 });
      } else continue; // undefined, functions, symbols, bigints: not JSON
      if (Array.isArray(into)) into[key as number] = cleaned;
      else into[cleanLine(String(key))] = cleaned;
    }
  }
  if (Buffer.byteLength(JSON.stringify(root)) > META_MAX_BYTES) return { ok: false, problem: `meta is larger than ${META_MAX_BYTES / 1024} KB` };
  return { ok: true, value: root };
}

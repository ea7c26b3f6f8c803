/**
 * Corrects a mistyped English word to a word the FAQ uses ("adress" → address, "cancle" → cancel,
 * "recieve" → receive): one deletion, insertion, substitution or swap of neighbours away. Only words
 * the FAQ does not know are touched, and only towards the FAQ's own vocabulary, so a word the FAQ
 * uses is never changed. Only words of 5+ letters: the FAQ's vocabulary is small, and short real
 * words sit one letter from a word it knows (ship/shop, cart/card, bill/fill), which would make a
 * complaint look like an FAQ question; long words rarely do. Symmetric-delete lookup: one map probe
 * per deletion of the typed word.
 */
const MIN_LENGTH = 5;

export class EnglishSpelling {
  /** Known word → how often the FAQ uses it (ties go to the more frequent word). */
  private readonly known = new Map<string, number>();
  /** Word with one letter deleted → the known words it comes from. */
  private readonly deletes = new Map<string, string[]>();
  private readonly cache = new Map<string, string>();

  constructor(words: Iterable<string>) {
    for (const w of words) this.known.set(w, (this.known.get(w) ?? 0) + 1);
    for (const w of this.known.keys()) {
      if (w.length < MIN_LENGTH) continue;
      for (const d of deletions(w)) {
        const list = this.deletes.get(d);
        if (list) {
          if (!list.includes(w)) list.push(w);
        } else this.deletes.set(d, [w]);
      }
    }
  }

  /** The known word closest to `word`, or `word` itself when it is known, short, or has no near neighbour. */
  correct(word: string): string {
    if (word.length < MIN_LENGTH || this.known.has(word) || /\d/.test(word)) return word;
    const hit = this.cache.get(word);
    if (hit !== undefined) return hit;
    const candidates = new Set<string>(this.deletes.get(word) ?? []); // a letter missing: "numbr"
    for (const d of deletions(word)) {
      if (this.known.has(d)) candidates.add(d); // a letter too many: "refundd"
      for (const w of this.deletes.get(d) ?? []) candidates.add(w); // one letter wrong or two swapped
    }
    let best = word;
    let bestCount = 0;
    for (const c of candidates) {
      if (!withinOneEdit(word, c)) continue;
      const n = this.known.get(c)!;
      if (n > bestCount || (n === bestCount && c < best)) {
        best = c;
        bestCount = n;
      }
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(word, best);
    return best;
  }
}

function deletions(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
  return out;
}

/** Damerau-Levenshtein distance ≤ 1 (adjacent swap counts as one edit). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

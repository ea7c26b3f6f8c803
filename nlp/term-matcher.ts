/**
 * Compiles keyword lists from categories.yaml into fast matchers and finds them in a message:
 * Chinese terms by substring on the folded text, English terms as stemmed word sequences.
 */
import { clauseBounds } from './clause-at.js';
import type { TermList, TermSpec } from '../config/categories.schema.js';
import { codeAt, startsAt } from './string-units.js';
import { foldText, segmentsOf, stemWord } from './text-normalizer.js';

/** One English word of a message: its folded (stemmed, synonym-folded) form and where it is. */
export interface StreamToken {
  form: string;
  start: number;
  end: number;
}

/** A message prepared for term matching. */
export interface MatchContext {
  /** Folded text (NFKC, lower case, simplified). */
  folded: string;
  /** Whether offsets in `folded` are offsets in the original text. */
  aligned: boolean;
  /** English words, stop words kept (phrases need them), negations expanded. */
  stream: StreamToken[];
  hasHan: boolean;
  /** Where the terms of a {@link TermIndex} occur in this message: filled by its first TermSet, then shared by all. */
  scanned?: { index: TermIndex; scan: IndexScan };
}

/** A term that fired. */
export interface TermHit {
  /** The term as written in the config. */
  term: string;
  /** What matched in the message (folded form). */
  match: string;
  weight: number;
  start: number;
  end: number;
}

/** What tells a word's senses apart: one of `with` must be in the message, none of `without`, one of `near` in its clause. */
interface Sense {
  with?: TermSet;
  without?: TermSet;
  near?: TermSet;
}

interface ZhTerm {
  term: string;
  weight: number;
  variants: string[];
  /** The variants' ids in the set's {@link TermIndex}, in the same order. */
  variantIds?: number[];
  negatable: boolean;
  sense?: Sense;
}

interface EnTerm {
  term: string;
  weight: number;
  forms: string[];
  negatable: boolean;
  sense?: Sense;
}

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
/** A Chinese negation may be followed by one of these before the term: "没有被压坏", "不太好用". */
const ZH_FILLERS = new Set(['有', '是', '被', '太', '很', '会', '曾', '再', '也', '都', '还', '人']);
const MAX_GAP = 2;
/** Where a sentence ends: the words of a term are never read across it. */
const SENTENCE_END = /[;!?\n。；！？]|\.(?!\d)/;
/** A negation does not reach across a sentence or clause. */
const CLAUSE_BREAK = /[.,;:!?\n。，；：！？]/;

/**
 * Synonym groups folded to one canonical form each. Chinese words expand a term into variants
 * (包装破损 → 包装损坏, 包装碎了…); single English words fold to the canonical word's form.
 */
export class SynonymTable {
  private readonly zhGroups: string[][] = [];
  private readonly enFold = new Map<string, string>();
  private readonly zhFold = new Map<string, string>();

  constructor(groups: string[][]) {
    for (const group of groups) {
      const canonical = foldText(group[0]!).folded;
      const zh = [...new Set(group.map((w) => foldText(w).folded).filter((w) => HAN.test(w)))];
      if (zh.length > 1) this.zhGroups.push(zh.sort((a, b) => b.length - a.length));
      for (const w of group) {
        const f = foldText(w).folded;
        if (HAN.test(f)) this.zhFold.set(f, canonical);
        else if (!/\s/.test(f)) this.enFold.set(stemWord(f), canonical);
      }
    }
  }

  /** Stream forms of English words already seen (see englishStream), memoised per table: they depend on its fold. */
  private readonly wordForms = new Map<string, readonly string[]>();

  /** The stream forms of one English word as matched in folded text: one, or two for "hasn't" (has, not). */
  streamForms(raw: string): readonly string[] {
    let forms = this.wordForms.get(raw);
    if (forms === undefined) {
      const word = raw.replace(/’/g, "'");
      if (word.endsWith("n't")) {
        const base = word === "won't" ? 'will' : word === "can't" ? 'can' : word.slice(0, -3);
        forms = base ? [this.fold(stemWord(base)), 'not'] : ['not'];
      } else forms = [this.fold(stemWord(word.replace(/'(s|re|ve|ll|d|m)$/, '')))];
      if (this.wordForms.size > 50_000) this.wordForms.clear();
      this.wordForms.set(raw, forms);
    }
    return forms;
  }

  /** The canonical form of a stemmed English word or a Chinese word, or the word itself. */
  fold(form: string): string {
    return this.enFold.get(form) ?? this.zhFold.get(form) ?? form;
  }

  /** The fold as pairs (form → canonical), stored with a trained model. */
  pairs(): Array<[string, string]> {
    return [...this.enFold, ...this.zhFold].filter(([k, v]) => k !== v);
  }

  /** Every spelling of a Chinese term allowed by the synonym groups (the term itself first). */
  expandZh(term: string): string[] {
    const out = new Set([term]);
    for (const group of this.zhGroups) {
      const hit = group.find((w) => term.includes(w));
      if (!hit) continue;
      for (const v of [...out]) {
        if (!v.includes(hit)) continue;
        for (const other of group) if (other !== hit) out.add(v.split(hit).join(other));
      }
    }
    return [...out];
  }
}

/** English words of a folded text with offsets; "hasn't" becomes has + not at the same place. */
export function englishStream(folded: string, synonyms: SynonymTable): StreamToken[] {
  const out: StreamToken[] = [];
  // English words: [a-z0-9]+(?:['’][a-z]+)* (segmentsOf's second kind; no word touches a Han run).
  const { texts, starts, han } = segmentsOf(folded);
  for (let k = 0; k < texts.length; k++) {
    if (han[k]) continue;
    const start = starts[k]!;
    const end = start + texts[k]!.length;
    for (const form of synonyms.streamForms(texts[k]!)) out.push({ form, start, end });
  }
  return out;
}

/** Prepares a message for every {@link TermSet}. */
export function matchContext(folded: string, aligned: boolean, synonyms: SynonymTable): MatchContext {
  return { folded, aligned, stream: englishStream(folded, synonyms), hasHan: HAN.test(folded) };
}

/** Negation words compiled once and shared by every term set. */
export class Negations {
  readonly zh: string[];
  readonly en: Set<string>;
  constructor(list: TermList) {
    this.zh = list.zh.map((t) => foldText(termOf(t)).folded).sort((a, b) => b.length - a.length);
    this.en = new Set(list.en.map((t) => stemWord(foldText(termOf(t)).folded)));
  }

  /**
   * Is the Chinese text just before `start` a negation ("没有" + "破损"), with up to two fillers between ("不是很方便")?
   * `end` (where the term ends) lets a rhetorical question through: "这不是强买强卖吗" asserts what it seems to deny.
   */
  negatesZh(folded: string, start: number, end = start): boolean {
    for (const n of this.zh) {
      let negated = false;
      if (start >= n.length && startsAt(folded, n, start - n.length)) negated = true;
      else if (start >= n.length + 1 && ZH_FILLERS.has(folded[start - 1]!) && startsAt(folded, n, start - 1 - n.length)) negated = true;
      else if (start >= n.length + 2 && ZH_FILLERS.has(folded[start - 1]!) && ZH_FILLERS.has(folded[start - 2]!) && startsAt(folded, n, start - 2 - n.length))
        negated = true;
      if (negated) return !(n === '不' && isRhetorical(folded, start, end));
    }
    return deniesComparison(folded, start);
  }

  /** Is one of the three English words before position `i` a negation, in the same clause (no "but", no punctuation)? */
  negatesEn(stream: StreamToken[], i: number, folded: string): boolean {
    for (let k = i - 1; k >= 0 && k >= i - 3; k--) {
      if (CLAUSE_BREAK.test(folded.slice(stream[k]!.end, stream[k + 1]!.start))) return false;
      const f = stream[k]!.form;
      if (f === 'but') return false;
      if (this.en.has(f)) return true;
    }
    return false;
  }
}

/** The term a spec names, with or without its weight and senses. */
export function termOf(t: TermSpec): string {
  return typeof t === 'string' ? t : t.term;
}
function weightOf(t: TermSpec): number {
  return typeof t === 'string' ? 1 : t.weight;
}

/** Sense words split by script: Chinese ones match inside the text, the rest as English words. */
function senseSet(words: string[] | undefined, synonyms: SynonymTable, negations: Negations, index: TermIndex | undefined): TermSet | undefined {
  if (!words || words.length === 0) return undefined;
  return new TermSet({ zh: words.filter((w) => HAN.test(w)), en: words.filter((w) => !HAN.test(w)) }, synonyms, negations, false, index);
}

function senseOf(spec: TermSpec, synonyms: SynonymTable, negations: Negations, index: TermIndex | undefined): Sense | undefined {
  if (typeof spec === 'string' || (!spec.with && !spec.without && !spec.near)) return undefined;
  return {
    with: senseSet(spec.with, synonyms, negations, index),
    without: senseSet(spec.without, synonyms, negations, index),
    // Looked for in one clause, not the message: searched directly, not through the shared index.
    near: senseSet(spec.near, synonyms, negations, undefined),
  };
}

/** Where an index's terms occur in one message. */
interface IndexScan {
  /** Positions of each Chinese variant found (by variant id), ascending. */
  zh: Map<number, number[]>;
  /** Per term set (by id): indices of its Chinese terms with a variant found, ascending. */
  zhTerms: Map<number, number[]>;
  /** Per term set (by id): stream positions whose form starts one of its English terms, ascending. */
  enStarts: Map<number, number[]>;
}

/**
 * Every term of the term sets built with it (one engine's rules, severity, emotion and tone lists,
 * ~2,400 Chinese spellings and ~1,200 English terms), looked up in one pass over a message instead
 * of one search per spelling and term set: Chinese spellings by their first two characters, English
 * terms by their first word form. Each set then looks only at its terms that occur. The result is
 * the same as searching every spelling with indexOf (all occurrences, overlapping ones included).
 */
export class TermIndex {
  private readonly variantIds = new Map<string, number>();
  private readonly variants: string[] = [];
  /** Per variant id: the (set id, term index) pairs that use it, flattened. */
  private readonly users: number[][] = [];
  /** English first form → ids of the sets with a term starting with it. */
  private readonly enFirst = new Map<string, number[]>();
  private sets = 0;
  /**
   * Spellings by first character: `slot[c]` is -1 when none starts with code unit c, else an index
   * into `single` (the one-character spellings c) and `pairs` (the longer ones, by second character).
   */
  private lookup?: { slot: Int32Array; single: number[][]; pairs: Array<Map<number, number[]>> };

  /** A new term set's id. */
  addSet(): number {
    return this.sets++;
  }

  /** Registers one Chinese spelling of term `term` of set `set`; returns the spelling's id. */
  addZh(variant: string, set: number, term: number): number {
    let id = this.variantIds.get(variant);
    if (id === undefined) {
      id = this.variants.length;
      this.variantIds.set(variant, id);
      this.variants.push(variant);
      this.users.push([]);
    }
    this.users[id]!.push(set, term);
    this.lookup = undefined;
    return id;
  }

  /** Registers that set `set` has English terms starting with `form`. */
  addEn(form: string, set: number): void {
    const list = this.enFirst.get(form);
    if (!list) this.enFirst.set(form, [set]);
    else if (list[list.length - 1] !== set) list.push(set);
  }

  /** The occurrences of every term in `ctx`, computed once per message (kept on the context). */
  scan(ctx: MatchContext): IndexScan {
    if (ctx.scanned?.index === this) return ctx.scanned.scan;
    const scan: IndexScan = { zh: new Map(), zhTerms: new Map(), enStarts: new Map() };
    this.scanZh(ctx.folded, scan);
    const stream = ctx.stream;
    if (this.enFirst.size > 0) {
      for (let i = 0; i < stream.length; i++) {
        const sets = this.enFirst.get(stream[i]!.form);
        if (!sets) continue;
        for (const set of sets) {
          const list = scan.enStarts.get(set);
          if (list) list.push(i);
          else scan.enStarts.set(set, [i]);
        }
      }
    }
    ctx.scanned = { index: this, scan };
    return scan;
  }

  private scanZh(folded: string, scan: IndexScan): void {
    const { slot, single, pairs } = this.compiled();
    const n = folded.length;
    for (let i = 0; i < n; i++) {
      const k = slot[codeAt(folded, i)]!;
      if (k < 0) continue;
      for (const id of single[k]!) this.found(scan, id, i);
      if (i + 1 < n) {
        const two = pairs[k]!.get(codeAt(folded, i + 1));
        if (two) for (const id of two) if (startsAt(folded, this.variants[id]!, i)) this.found(scan, id, i);
      }
    }
    for (const list of scan.zhTerms.values()) {
      if (list.length < 2) continue;
      list.sort((a, b) => a - b);
      let w = 1;
      for (let r = 1; r < list.length; r++) if (list[r] !== list[w - 1]) list[w++] = list[r]!;
      list.length = w;
    }
  }

  private found(scan: IndexScan, id: number, at: number): void {
    const positions = scan.zh.get(id);
    if (positions) {
      positions.push(at);
      return;
    }
    scan.zh.set(id, [at]);
    const users = this.users[id]!;
    for (let k = 0; k < users.length; k += 2) {
      const list = scan.zhTerms.get(users[k]!);
      if (list) list.push(users[k + 1]!);
      else scan.zhTerms.set(users[k]!, [users[k + 1]!]);
    }
  }

  private compiled(): NonNullable<TermIndex['lookup']> {
    if (this.lookup) return this.lookup;
    const slot = new Int32Array(65536).fill(-1);
    const single: number[][] = [];
    const pairs: Array<Map<number, number[]>> = [];
    this.variants.forEach((v, id) => {
      const c = v.charCodeAt(0);
      if (slot[c] === -1) {
        slot[c] = single.length;
        single.push([]);
        pairs.push(new Map());
      }
      const k = slot[c]!;
      if (v.length === 1) single[k]!.push(id);
      else {
        const list = pairs[k]!.get(v.charCodeAt(1));
        if (list) list.push(id);
        else pairs[k]!.set(v.charCodeAt(1), [id]);
      }
    });
    this.lookup = { slot, single, pairs };
    return this.lookup;
  }
}

/** A compiled keyword list: `zh` and `en` terms of one rule, severity level or emotion lexicon. */
export class TermSet {
  private readonly zh: ZhTerm[] = [];
  private readonly enByFirst = new Map<string, EnTerm[]>();
  /** Terms in the zh list written without Han characters (12315, vip) must be checked on any text. */
  private readonly zhNeedsNoHan: boolean;
  readonly size: number;

  /** This set's id in its index (undefined: the set searches the text itself). */
  private readonly indexId?: number;

  /**
   * `negatable`: false for sense words, which count whatever comes before them. `index`: shared by
   * the term sets of one engine, so that a message is scanned once for all of them (see TermIndex).
   */
  constructor(
    list: TermList,
    synonyms: SynonymTable,
    private readonly negations: Negations,
    private readonly negatable = true,
    private readonly index?: TermIndex,
  ) {
    for (const spec of list.zh) {
      const term = termOf(spec);
      const folded = foldText(term).folded;
      const negatable = this.negatable && !negations.zh.some((n) => folded.startsWith(n));
      this.zh.push({ term, weight: weightOf(spec), variants: synonyms.expandZh(folded), negatable, sense: senseOf(spec, synonyms, negations, index) });
    }
    for (const spec of list.en) {
      const term = termOf(spec);
      const forms = englishStream(foldText(term).folded, synonyms).map((t) => t.form);
      if (forms.length === 0) continue;
      const entry: EnTerm = {
        term,
        weight: weightOf(spec),
        forms,
        negatable: this.negatable && !negations.en.has(forms[0]!),
        sense: senseOf(spec, synonyms, negations, index),
      };
      const bucket = this.enByFirst.get(forms[0]!) ?? [];
      // "suggest" and "suggestion" stem alike: one term, counted once, at the higher weight.
      const same = entry.sense ? undefined : bucket.find((b) => !b.sense && b.forms.join(' ') === forms.join(' '));
      if (same) {
        same.weight = Math.max(same.weight, entry.weight);
        continue;
      }
      bucket.push(entry);
      this.enByFirst.set(forms[0]!, bucket);
    }
    this.zhNeedsNoHan = this.zh.some((t) => !HAN.test(t.variants[0]!));
    this.size = this.zh.length + [...this.enByFirst.values()].reduce((n, b) => n + b.length, 0);
    // An empty spelling (it would match everywhere) is left to the plain search.
    if (index && this.zh.every((t) => t.variants.every((v) => v.length > 0))) {
      const id = index.addSet();
      this.indexId = id;
      this.zh.forEach((t, k) => (t.variantIds = t.variants.map((v) => index.addZh(v, id, k))));
      for (const form of this.enByFirst.keys()) index.addEn(form, id);
    }
  }

  /** Every term that fires in the message, each at most once (its first un-negated occurrence). */
  match(ctx: MatchContext): TermHit[] {
    return this.hits(ctx, false);
  }

  /** Does one of this set's terms occur (negated or not) wholly within [from, to) of the folded text? */
  occursIn(ctx: MatchContext, from: number, to: number): boolean {
    const span = ctx.folded.slice(from, to);
    if (this.zh.some((t) => t.variants.some((v) => span.includes(v)))) return true;
    // The stream is in text order: start at its first word inside the clause (a long message has many words before it).
    let lo = 0;
    let hi = ctx.stream.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ctx.stream[mid]!.start < from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < ctx.stream.length; i++) {
      const token = ctx.stream[i]!;
      if (token.end > to) break;
      for (const t of this.enByFirst.get(token.form) ?? []) {
        const last = matchSequence(ctx.stream, i, t.forms);
        if (last >= 0 && ctx.stream[last]!.end <= to) return true;
      }
    }
    return false;
  }

  /** Every term said with a negation before it ("不舒服", "not helpful"), each at most once. */
  matchNegated(ctx: MatchContext): TermHit[] {
    return this.hits(ctx, true);
  }

  private hits(ctx: MatchContext, negated: boolean): TermHit[] {
    if (this.index && this.indexId !== undefined) return this.indexedHits(ctx, negated, this.index.scan(ctx), this.indexId);
    const hits: TermHit[] = [];
    if (ctx.hasHan || this.zhNeedsNoHan) {
      for (const t of this.zh) {
        if (negated && !t.negatable) continue;
        const hit = this.findZh(t, ctx, negated);
        // (findZh and findZhAt check a `near` sense at each occurrence they try.)
        if (hit && messageSenseHolds(t.sense, ctx)) hits.push(hit);
      }
    }
    if (ctx.stream.length > 0 && this.enByFirst.size > 0) {
      const fired = new Set<EnTerm>();
      for (let i = 0; i < ctx.stream.length; i++) this.enHitsAt(ctx, negated, i, fired, hits);
    }
    return hits;
  }

  /** `hits` with the occurrences found by the index: the same terms in the same order, looking only where they occur. */
  private indexedHits(ctx: MatchContext, negated: boolean, scan: IndexScan, id: number): TermHit[] {
    const hits: TermHit[] = [];
    const zhTerms = ctx.hasHan || this.zhNeedsNoHan ? scan.zhTerms.get(id) : undefined;
    if (zhTerms) {
      for (const k of zhTerms) {
        const t = this.zh[k]!;
        if (negated && !t.negatable) continue;
        const hit = this.findZhAt(t, ctx, negated, scan);
        if (hit && messageSenseHolds(t.sense, ctx)) hits.push(hit);
      }
    }
    const starts = scan.enStarts.get(id);
    if (starts) {
      const fired = new Set<EnTerm>();
      for (const i of starts) this.enHitsAt(ctx, negated, i, fired, hits);
    }
    return hits;
  }

  /** The English terms of this set that start at stream position `i` and fire there. */
  private enHitsAt(ctx: MatchContext, negated: boolean, i: number, fired: Set<EnTerm>, hits: TermHit[]): void {
    const stream = ctx.stream;
    const bucket = this.enByFirst.get(stream[i]!.form);
    if (!bucket) return;
    for (const t of bucket) {
      if (fired.has(t)) continue;
      const end = matchSequence(stream, i, t.forms);
      if (end < 0) continue;
      // The words of a term skip at most two others, never the end of a sentence ("not done. Please refund" is no "not refund").
      if (end > i && SENTENCE_END.test(ctx.folded.slice(stream[i]!.end, stream[end]!.start))) continue;
      if (negated ? !t.negatable || !this.negations.negatesEn(stream, i, ctx.folded) : t.negatable && this.negations.negatesEn(stream, i, ctx.folded)) continue;
      const startChar = stream[i]!.start;
      const endChar = stream[end]!.end;
      if (!senseHolds(t.sense, ctx, startChar, endChar)) continue;
      fired.add(t);
      hits.push({ term: t.term, match: ctx.folded.slice(startChar, endChar), weight: t.weight, start: startChar, end: endChar });
    }
  }

  /** `findZh` over the occurrences the index found. */
  private findZhAt(t: ZhTerm, ctx: MatchContext, negated: boolean, scan: IndexScan): TermHit | undefined {
    const ids = t.variantIds!;
    for (let j = 0; j < ids.length; j++) {
      const positions = scan.zh.get(ids[j]!);
      if (!positions) continue;
      const v = t.variants[j]!;
      for (const at of positions) {
        const hit = this.zhHitAt(t, v, ctx.folded, at, negated);
        if (hit && nearHolds(t.sense, ctx, hit)) return hit;
      }
    }
    return undefined;
  }

  private zhHitAt(t: ZhTerm, v: string, folded: string, at: number, negated: boolean): TermHit | undefined {
    // Latin or digit terms (12315, vip) need word edges: "315" inside an order number is no threat. A term that starts
    // with punctuation needs none on its left: the "?" of "Where is the store?" touches the word before it; on its right
    // a letter or digit still means something else ("item?id=123").
    const edged = HAN.test(v) || ((!isAlnum(v[0]) || !isAlnum(folded[at - 1])) && !isAlnum(folded[at + v.length]));
    if (isAskedEitherWay(v, folded, at)) return undefined;
    const isNegated = t.negatable && this.negations.negatesZh(folded, at, at + v.length);
    return edged && isNegated === negated ? { term: t.term, match: v, weight: t.weight, start: at, end: at + v.length } : undefined;
  }

  /** The first occurrence of `t` that fires (negated or not, as asked) and, with a `near` sense, has its word in its clause. */
  private findZh(t: ZhTerm, ctx: MatchContext, negated: boolean): TermHit | undefined {
    const folded = ctx.folded;
    for (const v of t.variants) {
      let from = 0;
      for (;;) {
        const at = folded.indexOf(v, from);
        if (at < 0) break;
        const hit = this.zhHitAt(t, v, folded, at, negated);
        if (hit && nearHolds(t.sense, ctx, hit)) return hit;
        from = at + 1;
      }
    }
    return undefined;
  }
}

function senseHolds(sense: Sense | undefined, ctx: MatchContext, start: number, end: number): boolean {
  return messageSenseHolds(sense, ctx) && nearHolds(sense, ctx, { start, end });
}

/** The `with` and `without` words of a sense, looked for in the whole message. */
function messageSenseHolds(sense: Sense | undefined, ctx: MatchContext): boolean {
  if (!sense) return true;
  if (sense.with && sense.with.match(ctx).length === 0) return false;
  return !(sense.without && sense.without.match(ctx).length > 0);
}

/** A `near` sense holds at one occurrence: one of its words in that occurrence's clause. */
function nearHolds(sense: Sense | undefined, ctx: MatchContext, at: { start: number; end: number }): boolean {
  return !sense?.near || sense.near.occursIn(ctx, ...clauseBounds(ctx.folded, at.start, at.end));
}

/** Index of the last stream token of `forms` matched from `i` (gaps of up to two words allowed), or -1. */
function matchSequence(stream: StreamToken[], i: number, forms: string[]): number {
  let pos = i;
  for (let k = 1; k < forms.length; k++) {
    let found = -1;
    for (let j = pos + 1; j <= pos + 1 + MAX_GAP && j < stream.length; j++) {
      if (stream[j]!.form === forms[k]) {
        found = j;
        break;
      }
    }
    if (found < 0) return -1;
    pos = found;
  }
  return pos;
}

/**
 * "这不是…吗": 不是 right before the term, and the term's clause ending soon after it in 吗, or in 嘛/么 that is not
 * part of 什么, 怎么, 这么, 那么, 多么 ("不是质量问题什么的" still denies).
 */
const RHETORICAL_END = /^[^.,;:!?\n。，；：！？]{0,4}(?:吗|(?<![什怎这那多])[嘛么])/;
function isRhetorical(folded: string, start: number, end: number): boolean {
  return start >= 2 && startsAt(folded, '不是', start - 2) && RHETORICAL_END.test(folded.slice(end, end + 6));
}

/** Where a comparison's reach ends: a clause break, a list item (、) or a space. */
const COMPARISON_STOPS = new Set('.,;:!?\n。，；：！？、 ');
/** How far before a term the 没有 / 不如 of a comparison may stand ("没有像之前买的那一批一样新鲜"). */
const COMPARISON_SPAN = 14;
/** A standard then what ends it ("以前那么", "像之前买的一样"): 这么 / 这样 are left out, "没有这么难吃的" is emphatic. */
const COMPARISON_END = /^(.+)(?:一样|那么|那样|那般)$/;
/** A standard named right after the negation, and nothing much after it ("没有想象中好用", "没有以前好吃"). */
const COMPARISON_STANDARD = /^(?:像|跟|和|同)?(?:以前|之前|从前|原来|上次|想象中?|预期|期待|图片上?|宣传|描述|实体店|专柜|别家)的?$/;

/**
 * Is the term at `start` the quality a comparison denies: 没有 + a standard + the term ("没有以前那么好吃", "拿到货都没有像之前
 * 买的一样新鲜", "没有想象中好用"), or 不如 + a standard + the term ("不如以前好吃")? Said so, the praise is denied and a problem
 * word is not asserted ("没有想象中那么差"). 没有 before other words is no comparison ("没有辣椒很好吃"), nor is an emphatic
 * "没吃过那么难吃的" (what was never met is the standard). Within one clause and one list item.
 */
function deniesComparison(folded: string, start: number): boolean {
  for (let k = start - 1; k >= 0 && k >= start - COMPARISON_SPAN; k--) {
    const c = folded[k]!;
    if (COMPARISON_STOPS.has(c)) return false;
    const unlike = c === '如' && k >= 1 && folded[k - 1] === '不';
    if (c !== '没' && !unlike) continue;
    const gap = folded.slice(unlike ? k + 1 : folded[k + 1] === '有' ? k + 2 : k + 1, start);
    const standard = COMPARISON_END.exec(gap)?.[1];
    if ((standard !== undefined && !standard.includes('过')) || COMPARISON_STANDARD.test(gap)) return true;
    // 不如 before anything else is no comparison denied ("不如直接退货": might as well).
    if (unlike) return false;
  }
  return false;
}

/** Words whose last character looks like the A of an A-not-A question but is not one: 还是不是我点的 is 还是 + 不是我点的. */
const NOT_A_STEM = new Set('还但可也就总都又要只倒却'.split(''));

/**
 * Is the term `v` found at `at` half of a Chinese A-not-A question: "好不好用" (is it any good?), "能不能用", "有没有问题",
 * "满意不满意"? Either the term is the negative half (不好用 after 好) or the positive one (好用 after 好不). Such a
 * question says neither that the thing is bad nor that it is fine ("不知道好不好吃" is no complaint about the food, nor
 * praise), so the term counts neither way. Not when 到底/究竟 asks it ("你们到底发不发货": a demand, the negative half counts
 * as before), nor when the A is the end of another word (还是不是我点的).
 */
function isAskedEitherWay(v: string, folded: string, at: number): boolean {
  // The negative half: 不/没 + A…, with A (one or two characters) right before it.
  if (v.length >= 2 && (v[0] === '不' || v[0] === '没')) {
    for (let k = 1; k <= 2 && k < v.length && at >= k; k++) {
      if (startsAt(folded, v.slice(1, 1 + k), at - k) && isNeutralQuestion(folded, at - k)) return true;
    }
    return false;
  }
  // The positive half: A + 不/没 + A….
  if (at < 2 || (folded[at - 1] !== '不' && folded[at - 1] !== '没')) return false;
  for (let k = 1; k <= 2 && k <= v.length && at - 1 - k >= 0; k++) {
    if (startsAt(folded, v.slice(0, k), at - 1 - k) && isNeutralQuestion(folded, at - 1 - k)) return true;
  }
  return false;
}

/** The A of an A-not-A question starts at `a`: is it a plain question, not a demand (到底/究竟) or the end of another word? */
function isNeutralQuestion(folded: string, a: number): boolean {
  if (a >= 1 && NOT_A_STEM.has(folded[a - 1]!) && folded[a] === '是') return false;
  const before = folded.slice(Math.max(0, a - 4), a);
  return !before.includes('到底') && !before.includes('究竟');
}

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /[a-z0-9]/.test(ch);
}

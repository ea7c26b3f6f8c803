/**
 * Compiles keyword lists from categories.yaml into fast matchers and finds them in a message:
 * Chinese terms by substring on the folded text, English terms as stemmed word sequences.
 */
import type { TermList, TermSpec } from '../config/categories.schema.js';
import { foldText, stemWord } from './text-normalizer.js';

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

/** What tells a word's senses apart: one of `with` must be in the message, none of `without`. */
interface Sense {
  with?: TermSet;
  without?: TermSet;
}

interface ZhTerm {
  term: string;
  weight: number;
  variants: string[];
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
const EN_WORD = /[a-z0-9]+(?:['’][a-z]+)*/g;
/** A Chinese negation may be followed by one of these before the term: "没有被压坏", "不太好用". */
const ZH_FILLERS = new Set(['有', '是', '被', '太', '很', '会', '曾', '再', '也', '都', '还', '人']);
const MAX_GAP = 2;
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
  EN_WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = EN_WORD.exec(folded)) !== null) {
    const word = m[0].replace(/’/g, "'");
    const start = m.index;
    const end = start + m[0].length;
    if (word.endsWith("n't")) {
      const base = word === "won't" ? 'will' : word === "can't" ? 'can' : word.slice(0, -3);
      if (base) out.push({ form: synonyms.fold(stemWord(base)), start, end });
      out.push({ form: 'not', start, end });
      continue;
    }
    const bare = word.replace(/'(s|re|ve|ll|d|m)$/, '');
    out.push({ form: synonyms.fold(stemWord(bare)), start, end });
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

  /** Is the Chinese text just before `start` a negation ("没有" + "破损"), with up to two fillers between ("不是很方便")? */
  negatesZh(folded: string, start: number): boolean {
    for (const n of this.zh) {
      if (start >= n.length && folded.startsWith(n, start - n.length)) return true;
      if (start >= n.length + 1 && ZH_FILLERS.has(folded[start - 1]!) && folded.startsWith(n, start - 1 - n.length)) return true;
      if (start >= n.length + 2 && ZH_FILLERS.has(folded[start - 1]!) && ZH_FILLERS.has(folded[start - 2]!) && folded.startsWith(n, start - 2 - n.length))
        return true;
    }
    return false;
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

function termOf(t: TermSpec): string {
  return typeof t === 'string' ? t : t.term;
}
function weightOf(t: TermSpec): number {
  return typeof t === 'string' ? 1 : t.weight;
}

/** Sense words split by script: Chinese ones match inside the text, the rest as English words. */
function senseSet(words: string[] | undefined, synonyms: SynonymTable, negations: Negations): TermSet | undefined {
  if (!words || words.length === 0) return undefined;
  return new TermSet({ zh: words.filter((w) => HAN.test(w)), en: words.filter((w) => !HAN.test(w)) }, synonyms, negations, false);
}

function senseOf(spec: TermSpec, synonyms: SynonymTable, negations: Negations): Sense | undefined {
  if (typeof spec === 'string' || (!spec.with && !spec.without)) return undefined;
  return { with: senseSet(spec.with, synonyms, negations), without: senseSet(spec.without, synonyms, negations) };
}

/** A compiled keyword list: `zh` and `en` terms of one rule, severity level or emotion lexicon. */
export class TermSet {
  private readonly zh: ZhTerm[] = [];
  private readonly enByFirst = new Map<string, EnTerm[]>();
  /** Terms in the zh list written without Han characters (12315, vip) must be checked on any text. */
  private readonly zhNeedsNoHan: boolean;
  readonly size: number;

  /** `negatable`: false for sense words, which count whatever comes before them. */
  constructor(
    list: TermList,
    synonyms: SynonymTable,
    private readonly negations: Negations,
    private readonly negatable = true,
  ) {
    for (const spec of list.zh) {
      const term = termOf(spec);
      const folded = foldText(term).folded;
      const negatable = this.negatable && !negations.zh.some((n) => folded.startsWith(n));
      this.zh.push({ term, weight: weightOf(spec), variants: synonyms.expandZh(folded), negatable, sense: senseOf(spec, synonyms, negations) });
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
        sense: senseOf(spec, synonyms, negations),
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
  }

  /** Every term that fires in the message, each at most once (its first un-negated occurrence). */
  match(ctx: MatchContext): TermHit[] {
    return this.hits(ctx, false);
  }

  /** Every term said with a negation before it ("不舒服", "not helpful"), each at most once. */
  matchNegated(ctx: MatchContext): TermHit[] {
    return this.hits(ctx, true);
  }

  private hits(ctx: MatchContext, negated: boolean): TermHit[] {
    const hits: TermHit[] = [];
    if (ctx.hasHan || this.zhNeedsNoHan) {
      for (const t of this.zh) {
        if (negated && !t.negatable) continue;
        const hit = this.findZh(t, ctx.folded, negated);
        if (hit && senseHolds(t.sense, ctx)) hits.push(hit);
      }
    }
    if (ctx.stream.length > 0 && this.enByFirst.size > 0) {
      const fired = new Set<EnTerm>();
      const stream = ctx.stream;
      for (let i = 0; i < stream.length; i++) {
        const bucket = this.enByFirst.get(stream[i]!.form);
        if (!bucket) continue;
        for (const t of bucket) {
          if (fired.has(t)) continue;
          const end = matchSequence(stream, i, t.forms);
          if (end < 0) continue;
          if (negated ? !t.negatable || !this.negations.negatesEn(stream, i, ctx.folded) : t.negatable && this.negations.negatesEn(stream, i, ctx.folded))
            continue;
          if (!senseHolds(t.sense, ctx)) continue;
          fired.add(t);
          const startChar = stream[i]!.start;
          const endChar = stream[end]!.end;
          hits.push({ term: t.term, match: ctx.folded.slice(startChar, endChar), weight: t.weight, start: startChar, end: endChar });
        }
      }
    }
    return hits;
  }

  private findZh(t: ZhTerm, folded: string, negated: boolean): TermHit | undefined {
    for (const v of t.variants) {
      let from = 0;
      for (;;) {
        const at = folded.indexOf(v, from);
        if (at < 0) break;
        // Latin or digit terms (12315, vip) need word edges: "315" inside an order number is no threat.
        const edged = HAN.test(v) || (!isAlnum(folded[at - 1]) && !isAlnum(folded[at + v.length]));
        const isNegated = t.negatable && this.negations.negatesZh(folded, at);
        if (edged && isNegated === negated) {
          return { term: t.term, match: v, weight: t.weight, start: at, end: at + v.length };
        }
        from = at + 1;
      }
    }
    return undefined;
  }
}

function senseHolds(sense: Sense | undefined, ctx: MatchContext): boolean {
  if (!sense) return true;
  if (sense.with && sense.with.match(ctx).length === 0) return false;
  if (sense.without && sense.without.match(ctx).length > 0) return false;
  return true;
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

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /[a-z0-9]/.test(ch);
}

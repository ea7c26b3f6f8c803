/**
 * Finds the FAQ entry a customer's message asks about, and decides whether the bot may answer.
 *
 * A message is read clause by clause (message-clauses.ts): greetings, thanks and order numbers go,
 * and the whole message and each clause are compared with the FAQ. Each comparison has two numbers:
 * - `score`: the entry classifier's probability (entry-classifier.ts, trained on the paraphrases)
 *   that this entry is the one asked about, among all entries;
 * - `similarity`: how much of the wording the entry's paraphrases share (faq-index.ts); words the
 *   FAQ never uses lower it, so a message about something else scores low whatever the classifier
 *   thinks.
 * Which part decides and whether the bot answers is answer-policy.ts: the whole message when it is
 * clear, else the clearest clause, and only if the message asks something or is wholly about that
 * entry ("我买的水壶漏水了，要求退货退款！" names returns but asks nothing: a person answers it).
 *
 * Built once per config (a few ms for a few hundred paraphrases); a message costs one tokenization
 * and one classifier and postings pass per clause.
 */
import { boundForAnalysis } from '../analysis-bounds.js';
import { detectLanguage, foldText } from '../text-normalizer.js';
import type { FaqAnswer, FaqConfig, FaqEntry, FaqLanguage } from '../../config/faq.schema.js';
import { ownCaseCue, ownCaseCues, type OwnCaseKind } from './own-case.js';
import { shippedOwnCaseModel, type OwnCaseModel } from './own-case-model.js';
import { applyAnswerPolicy, round, type MessageReading, type PartReading, type WithheldReason } from './answer-policy.js';
import { DEFAULT_CLASSIFIER_OPTIONS, EntryClassifier, type ClassifierOptions } from './entry-classifier.js';
import { EnglishSpelling } from './english-spelling.js';
import { faqFeatures, latinWords, type TokenFolder } from './faq-features.js';
import { FaqIndex } from './faq-index.js';
import { foldForFaq } from './faq-text.js';
import { messageClauses } from './message-clauses.js';
import { isContentFree, questionKind, soundsLikeComplaint } from './question-signal.js';

export { isHandoffRequest } from './handoff-phrases.js';
export type { TokenFolder } from './faq-features.js';

/** Options of {@link FaqMatcher}. */
export interface FaqMatcherOptions {
  /** Synonym groups from categories.yaml (a SynonymTable); without them words match only as written. */
  synonyms?: TokenFolder;
  /** Weight of the best-paraphrase cosine against the entry-centroid cosine in `similarity` (default 0.5). */
  bestParaphraseWeight?: number;
  /** Entry classifier training (defaults chosen in bench/faq). */
  classifier?: Partial<ClassifierOptions>;
  /** Read the message clause by clause (default true); false compares only the whole message. */
  clauses?: boolean;
  /**
   * The learned reading of the customer's own case (own-case-model.ts), beside own-case.ts's cues. Default: the shipped
   * model, unless faq.yaml says `learnedOwnCase: false`; null: the cues alone.
   */
  ownCaseModel?: OwnCaseModel | null;
}

/** Per-query options. */
export interface FaqMatchOptions {
  /** The customer's channel: entries restricted to other channels are skipped. */
  channel?: string;
  /** The customer's language (`zh`, `zh-Hans`, `zh-Hant`, `en`); detected from the text when omitted. */
  language?: string;
  /** How many entries to return (default 5). */
  limit?: number;
}

/** One candidate entry for a message. */
export interface FaqMatch {
  id: string;
  /** 0-1: the classifier's probability that the message asks this entry; compare with `threshold`. */
  score: number;
  /** 0-1: how much of the message's wording the entry's paraphrases share; compare with `minSimilarity`. */
  similarity: number;
  /** The paraphrase that matched best (as written in faq.yaml). */
  question: string;
  /** The answer in `language`. */
  answer: FaqAnswer;
  /** The customer's language if the entry has an answer in it, else the entry's other language. */
  language: FaqLanguage;
}

/** What the bot should do with a message. */
export interface FaqDecision {
  /** Present when the best entry is confident enough to answer without a person. */
  answer?: { entryId: string; text: string; link?: string; score: number; language: FaqLanguage };
  /** The best candidates, best first, answered or not (for metrics, "top unanswered", the agent's view). */
  top: FaqMatch[];
  /** The part of the message that decided (folded; the whole message or one clause), when any matched. */
  matched?: string;
  /** Why there is no answer, when some entry matched at all. */
  withheld?: WithheldReason;
}

/**
 * Classifier + similarity matcher over one FAQ configuration. Immutable: build a new one when the
 * config reloads.
 */
export class FaqMatcher {
  private readonly entries: FaqEntry[];
  private readonly paraphrases: Array<{ entry: number; text: string }> = [];
  private readonly index: FaqIndex;
  private readonly classifier: EntryClassifier;
  private readonly spelling: EnglishSpelling;
  private readonly folder: TokenFolder | undefined;
  private readonly byClause: boolean;
  /** entry → the kinds of own-case message its paraphrases are themselves (see {@link casesWrittenFor}). */
  private readonly writtenFor: Array<ReadonlySet<OwnCaseKind>>;
  private readonly ownCaseModel: OwnCaseModel | null;
  /** entry → which of its paraphrases (zh then en) an own-case.ts cue finds. */
  private readonly cuedParaphrases: boolean[][];
  /**
   * entry → its paraphrases are themselves what the model reads as own case (see {@link writtenForOwnCase}); worked out the
   * first time the model would speak for the entry, not on every config load (an FAQ of 11,000 paraphrases: seconds).
   */
  private readonly writtenForModel: Array<boolean | undefined> = [];
  /** Entries allowed on a channel, cached per channel name. */
  private readonly channelAllowed = new Map<string, Uint8Array>();

  constructor(
    private readonly faq: FaqConfig,
    opts: FaqMatcherOptions = {},
  ) {
    this.entries = faq.entries;
    this.folder = opts.synonyms;
    this.byClause = opts.clauses ?? true;
    const indexed: Array<{ entry: number; features: Map<string, number>; paraphrase: boolean }> = [];
    const words: string[] = [];
    const foldedParaphrases = this.entries.map((): string[] => []);
    this.entries.forEach((entry, e) => {
      for (const language of ['zh', 'en'] as const) {
        for (const q of entry.questions[language] ?? []) {
          const folded = foldForFaq(q);
          foldedParaphrases[e]!.push(folded);
          this.paraphrases.push({ entry: e, text: q });
          indexed.push({ entry: e, features: faqFeatures(folded, this.folder), paraphrase: true });
          words.push(...latinWords(folded));
        }
      }
    });
    // The answers teach the classifier an entry's topic words (运费险, price protection) that no
    // paraphrase happens to use: on faq.yaml's cross-validation this raised top-1 from 0.70 to 0.75.
    this.entries.forEach((entry, e) => {
      for (const answer of [entry.answers.zh, entry.answers.en]) {
        if (answer) indexed.push({ entry: e, features: faqFeatures(foldForFaq(answer.text), this.folder), paraphrase: false });
      }
    });
    const cues = foldedParaphrases.map((folded) => folded.map(ownCaseCues));
    this.writtenFor = cues.map(casesWrittenFor);
    this.cuedParaphrases = cues.map((perParaphrase) => perParaphrase.map((kinds) => kinds.length > 0));
    this.ownCaseModel = opts.ownCaseModel !== undefined ? opts.ownCaseModel : faq.learnedOwnCase !== false ? shippedOwnCaseModel() : null;
    this.spelling = new EnglishSpelling(words);
    this.index = new FaqIndex(indexed, this.entries.length, opts.bestParaphraseWeight ?? 0.5);
    this.classifier = new EntryClassifier(
      this.index.vectors.map((vector, p) => ({ vector, entry: indexed[p]!.entry })),
      this.entries.length,
      this.index.featureCount,
      { ...DEFAULT_CLASSIFIER_OPTIONS, ...opts.classifier },
    );
  }

  /** The probability an answer needs (faq.yaml `threshold`). */
  get threshold(): number {
    return this.faq.threshold;
  }

  /** Number of indexed paraphrases (all languages). */
  get size(): number {
    return this.paraphrases.length;
  }

  /** The id of entry number `i` (as in MessageReading). */
  entryId(i: number): string {
    return this.entries[i]!.id;
  }

  /** The best entries for a message, best first, from the part of it that decides (answer-policy.ts). */
  match(text: string, opts: FaqMatchOptions = {}): FaqMatch[] {
    return this.decide(text, opts).top;
  }

  /** Answer or not, by faq.yaml's threshold, minMargin and minSimilarity (answer-policy.ts). */
  decide(text: string, opts: FaqMatchOptions = {}): FaqDecision {
    const reading = this.readMessage(text, opts);
    const outcome = applyAnswerPolicy(reading, this.faq);
    if (!outcome.part) return { top: [] };
    const customer = customerLanguage(opts.language, text);
    const top = this.ranked(outcome.part, customer, Math.max(1, opts.limit ?? 5));
    const decision: FaqDecision = { top, matched: outcome.part.text };
    if (!outcome.answers) return { ...decision, withheld: outcome.withheld };
    const first = top[0]!;
    const answer: NonNullable<FaqDecision['answer']> = { entryId: first.id, text: first.answer.text, score: first.score, language: first.language };
    if (first.answer.link) answer.link = first.answer.link;
    return { ...decision, answer };
  }

  /**
   * Every part of the message (the whole, then each content clause) compared with every entry; the
   * costly half of `decide`, kept apart so bench/faq can try settings without reading again.
   */
  readMessage(text: string, opts: Pick<FaqMatchOptions, 'channel'> = {}): MessageReading {
    if (this.entries.length === 0) return { parts: [], clauses: 0, complains: false };
    const folded = foldForFaq(boundForAnalysis(text));
    const clauses = this.byClause ? messageClauses(folded) : [{ text: folded, raw: folded }];
    const allowed = this.allowedOn(opts.channel);
    const parts = clauses.map((c) => {
      const kind = questionKind(c);
      return this.readPart(c.text, allowed, { asks: kind !== 'none', asksExplicitly: kind === 'explicit', contentFree: isContentFree(c.text) });
    });
    if (clauses.length > 1) {
      const whole = clauses.map((c) => c.text).join('\n');
      const asks = { asks: parts.some((c) => c.asks), asksExplicitly: parts.some((c) => c.asksExplicitly), contentFree: parts.every((c) => c.contentFree) };
      parts.unshift(this.readPart(whole, allowed, asks));
    }
    // A cue the best entry was written for (a bank's "I was charged twice" entry) does not hold its answer back; nor does
    // the model for an entry written for own-case messages. The model reads messages of two clauses or more: a customer's
    // own case is a story and a question ("换货寄回去十天了，新的一直没发出来，到底怎么回事"); a one-clause question is what
    // the entries are written for ("为什么我的优惠券用不了"), and in the model's cross-validation no own-case message the FAQ
    // would answer had a single clause.
    const best = parts[0]?.best ?? -1;
    const ownCase = ownCaseCue(folded, best < 0 ? undefined : this.writtenFor[best]);
    const reading: MessageReading = { parts, clauses: clauses.length, complains: soundsLikeComplaint(folded), ...(ownCase ? { ownCase } : {}) };
    const model = this.ownCaseModel;
    if (!ownCase && model && best >= 0 && clauses.length >= 2) reading.learnedOwnCase = () => model.readsOwnCase(text) && !this.isWrittenForModel(model, best);
    return reading;
  }

  private isWrittenForModel(model: OwnCaseModel, e: number): boolean {
    const { zh = [], en = [] } = this.entries[e]!.questions;
    return (this.writtenForModel[e] ??= writtenForOwnCase(model, [...zh, ...en], this.cuedParaphrases[e]!));
  }

  private readPart(text: string, allowed: Uint8Array | undefined, signals: Pick<PartReading, 'asks' | 'asksExplicitly' | 'contentFree'>): PartReading {
    const vector = this.index.vectorize(faqFeatures(text, this.folder, this.spelling));
    const { similarity, bestParaphrase } = this.index.similarities(vector);
    const probabilities = this.classifier.probabilities(vector, allowed);
    let best = -1;
    let second = -1;
    for (let e = 0; e < this.entries.length; e++) {
      if ((allowed && !allowed[e]) || bestParaphrase[e] === -1) continue;
      if (best < 0 || probabilities[e]! > probabilities[best]!) {
        second = best;
        best = e;
      } else if (second < 0 || probabilities[e]! > probabilities[second]!) second = e;
    }
    return { text, probabilities, similarity, bestParaphrase, best, second, ...signals };
  }

  /** Entries sharing any wording with the part, by probability, as FaqMatch. */
  private ranked(r: PartReading, customer: FaqLanguage | undefined, limit: number): FaqMatch[] {
    const candidates: number[] = [];
    for (let e = 0; e < this.entries.length; e++) if (r.bestParaphrase[e] !== -1 && r.probabilities[e]! > 0) candidates.push(e);
    candidates.sort((a, b) => r.probabilities[b]! - r.probabilities[a]! || a - b);
    return candidates.slice(0, limit).map((e) => {
      const entry = this.entries[e]!;
      const paraphrase = this.paraphrases[r.bestParaphrase[e]!]!;
      const language = answerLanguage(entry, customer ?? (/[\u3400-\u9fff]/.test(paraphrase.text) ? 'zh' : 'en'));
      return {
        id: entry.id,
        score: round(r.probabilities[e]!),
        similarity: round(r.similarity[e]!),
        question: paraphrase.text,
        answer: entry.answers[language]!,
        language,
      };
    });
  }

  private allowedOn(channel: string | undefined): Uint8Array | undefined {
    if (!channel) return undefined;
    let allowed = this.channelAllowed.get(channel);
    if (!allowed) {
      allowed = Uint8Array.from(this.entries, (e) => (!e.channels || (e.channels as readonly string[]).includes(channel) ? 1 : 0));
      this.channelAllowed.set(channel, allowed);
    }
    return allowed;
  }
}

/** `zh-Hant` → zh; undefined when the text's language is not one the FAQ is written in. */
function customerLanguage(given: string | undefined, text: string): FaqLanguage | undefined {
  const bounded = given ? '' : boundForAnalysis(text);
  const lang = given ?? detectLanguage(foldText(bounded).folded, bounded).language;
  if (lang.startsWith('zh')) return 'zh';
  if (lang.startsWith('en')) return 'en';
  return undefined;
}

function answerLanguage(entry: FaqEntry, wanted: FaqLanguage): FaqLanguage {
  if (entry.answers[wanted]) return wanted;
  return wanted === 'zh' ? 'en' : 'zh';
}

/**
 * The entry was written for own-case messages, so the model does not hold its answers back: at least two of its paraphrases,
 * and a quarter, are such messages (the model reads them so, or an own-case.ts cue finds one). A shop's faq.yaml has no such
 * entry (its refund entry has "能给我退款吗" among 32 paraphrases); an FAQ of requests to an assistant ("帮我订明天早上的闹钟",
 * massive_zh_cn) or a bank's entry on charges shown twice ("you charged me twice") keeps answering them.
 */
function writtenForOwnCase(model: OwnCaseModel, paraphrases: readonly string[], cued: readonly boolean[]): boolean {
  const n = paraphrases.filter((p, i) => cued[i] || model.readsOwnCase(p)).length;
  return n >= 2 && n >= 0.25 * paraphrases.length;
}

/**
 * The kinds of own-case message (own-case.ts) an entry was written for, given the cues of each of its paraphrases: those that at least
 * two of them, and at least 5 %, are themselves. A shop's faq.yaml has none, so "我被多扣了一笔" gets a person; a bank whose
 * FAQ has an entry for charges shown twice, with paraphrases like "i was charged twice", gets that entry's answer.
 */
function casesWrittenFor(paraphrases: ReadonlyArray<readonly OwnCaseKind[]>): ReadonlySet<OwnCaseKind> {
  const counts = new Map<OwnCaseKind, number>();
  for (const kinds of paraphrases) for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return new Set([...counts].filter(([, n]) => n >= 2 && n >= 0.05 * paraphrases.length).map(([kind]) => kind));
}

/**
 * When the FAQ bot answers, given how each part of a message matched (faq-matcher.ts reads them).
 * Pure and cheap, so bench/faq can replay it over a grid of settings without reading the messages again.
 *
 * 1. The whole message (greetings and order numbers already gone) decides when it is clear on its
 *    own: its best entry's similarity reaches `minSimilarity`, its probability reaches `threshold`
 *    and, with `minMargin`, beats the runner-up by that much. Its other clauses are then context
 *    ("when can I expect my card? I live in the US": the second clause alone is about countries).
 * 2. Otherwise the clearest question among the clauses decides: the question inside a longer message
 *    ("我上周买的裙子不合身，请问怎么申请退货？"). A clause counts as a question when it asks, or when
 *    the clause right after it asks without being about anything ("想退货，要怎么弄？", "I want to
 *    cancel it. How?"). A clause that asks nothing ("失败", "credit cards", "i called customer
 *    service") never decides for a longer message: in a complaint it is part of the story. Nor does a
 *    clause that is only question words ("为什么？").
 * 3. The bot answers with that entry only if the message asks something, or every clause of it is
 *    about that entry (that entry is each clause's best) and it uses no words of dissatisfaction:
 *    "我买的水壶漏水了，要求退货退款！" names returns but asks nothing, and its first clause is about
 *    a kettle; "快递太慢，差评！" is about delivery but is a complaint. A person answers both.
 * 4. A message about the customer's own case (own-case.ts: a promise already broken, why something happened to them, a
 *    demand that someone act) is never answered: "退款说好3个工作日到账，今天都第9天了，到底什么时候给我退？" knows the rule.
 * 5. A message with words of dissatisfaction is answered only if some clause asks explicitly
 *    (question mark, final 吗/呢, "when will…"), by the whole when it is clear, else by such a clause:
 *    "退款一直不到账，太坑了，到底什么时候能到？" gets the refund answer; in a rant, "千万别买什么第三方
 *    的东西" uses a question word but asks nothing.
 */

/** How one part of a message (the whole or one clause) matched every entry. */
export interface PartReading {
  /** The part's text (folded, without greetings and order numbers). */
  text: string;
  /** entry → classifier probability. */
  probabilities: Float64Array;
  /** entry → wording similarity 0-1. */
  similarity: Float64Array;
  /** entry → index of its best paraphrase, -1 when the entry shares no wording with the part. */
  bestParaphrase: Int32Array;
  /** Most probable entry sharing any wording with the part, -1 if none. */
  best: number;
  /** Runner-up, -1 if none. */
  second: number;
  /** The part asks a question (question-signal.ts); for the whole message, some clause does. */
  asks: boolean;
  /** It asks with a question mark, a final particle or question word order, not only a question word. */
  asksExplicitly: boolean;
  /** Only question words and particles ("为什么", "how?"): it says that something is asked, not what. */
  contentFree: boolean;
}

/** A message as read: its parts, the whole first when it has several clauses, then each clause in order. */
export interface MessageReading {
  parts: PartReading[];
  /** Number of content clauses (parts.length is this plus one for the whole when it is above one). */
  clauses: number;
  /** The message uses words of dissatisfaction (question-signal.ts soundsLikeComplaint). */
  complains: boolean;
  /** What makes it about the customer's own case (own-case.ts): no FAQ answer settles it. */
  ownCase?: string;
  /**
   * Whether the learned model (own-case-model.ts) reads it as the customer's own case where no cue spoke. Asked
   * only when the message would otherwise be answered: the model is the costliest step of reading a long message.
   */
  learnedOwnCase?: () => boolean;
}

/** The settings of faq.yaml that decide. */
export interface AnswerSettings {
  threshold: number;
  minMargin?: number;
  minSimilarity: number;
}

export type WithheldReason = 'low-similarity' | 'below-threshold' | 'too-close' | 'not-asked' | 'own-case';

/** Which part decided, and whether its best entry answers. */
export interface PolicyOutcome {
  /** The part that decided (or, when none is clear, the most probable part whose wording the FAQ knows). */
  part?: PartReading;
  answers: boolean;
  withheld?: WithheldReason;
}

export function applyAnswerPolicy(reading: MessageReading, s: AnswerSettings): PolicyOutcome {
  const { parts } = reading;
  if (parts.length === 0) return { answers: false };
  const known = (r: PartReading) => r.best >= 0 && r.similarity[r.best]! >= s.minSimilarity;
  const p = (r: PartReading) => round(r.probabilities[r.best]!);
  const margin = (r: PartReading) => p(r) - (r.second < 0 ? 0 : round(r.probabilities[r.second]!));
  const clear = (r: PartReading) => !r.contentFree && known(r) && p(r) >= s.threshold && (s.minMargin === undefined || margin(r) >= s.minMargin);
  const mostProbable = (rs: PartReading[]) => rs.reduce<PartReading | undefined>((a, r) => (!a || p(r) > p(a) ? r : a), undefined);
  const whole = parts[0]!;
  const clauses = parts.length > 1 ? parts.slice(1) : parts;
  // Every clause about that entry, each one recognisably so: a clause the FAQ barely knows ("我买的电水壶用了两天就不加热了")
  // is about something else, however its few shared words lean.
  const aboutOnly = (entry: number) => !reading.complains && clauses.every((c) => c.best === entry && known(c));

  // A broken promise, the reason for what happened to them, a demand: the customer knows the general rule already.
  const ownCase = (): PolicyOutcome => ({ part: mostProbable(parts.filter(clear)) ?? mostProbable(parts.filter(known)), answers: false, withheld: 'own-case' });
  if (reading.ownCase) return ownCase();
  let part: PartReading | undefined;
  if (reading.complains) {
    part = whole.asksExplicitly && clear(whole) ? whole : mostProbable(clauses.filter((c) => c.asksExplicitly && clear(c)));
  } else if (clear(whole)) {
    if (whole.asks || aboutOnly(whole.best)) part = whole;
  } else if (parts.length > 1) {
    const isQuestion = (c: PartReading, i: number) => {
      const next = clauses[i + 1];
      return c.asks || (next !== undefined && next.asks && next.contentFree) || aboutOnly(c.best);
    };
    part = mostProbable(clauses.filter((c, i) => clear(c) && isQuestion(c, i)));
  }
  if (part) return reading.learnedOwnCase?.() ? ownCase() : { part, answers: true };

  // Withheld: the clearest part that did not count as asked, else the most probable part the FAQ knows.
  const unasked = mostProbable(parts.filter(clear));
  if (unasked) return { part: unasked, answers: false, withheld: 'not-asked' };
  const knownPart = mostProbable(parts.filter(known));
  if (!knownPart) return { part: whole.best >= 0 ? whole : undefined, answers: false, withheld: 'low-similarity' };
  return { part: knownPart, answers: false, withheld: p(knownPart) < s.threshold ? 'below-threshold' : 'too-close' };
}

/** Scores are shown and compared at four decimals, so a threshold of 0.5 means what it says. */
export function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

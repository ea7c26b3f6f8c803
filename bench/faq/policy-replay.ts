/**
 * Reads each question once (the costly part) and replays faq.yaml's answering rule (nlp/faq/answer-policy.ts)
 * at any settings, so a grid of thresholds costs arithmetic, not matching.
 */
import { applyAnswerPolicy, type AnswerSettings, type MessageReading } from '../../nlp/faq/answer-policy.js';
import type { FaqMatcher } from '../../nlp/faq/faq-matcher.js';
import type { Question } from './faq-tasks.js';

/** A question as read by one matcher. */
export interface ReadQuestion {
  reading: MessageReading;
  expected: string | null;
}

/** What answering at some settings gives on a set of questions. */
export interface Tally {
  /** Questions with a right entry that got an answer (right or wrong), as a share of them. */
  coverage: number;
  /** Share of all answers given that were the right entry (an answer to an out-of-FAQ question is wrong). */
  accuracy: number;
  /** Share of out-of-FAQ questions that got an answer. */
  outAnswered: number;
  answered: number;
  /** Answers given to questions with a right entry, and how many of those were right. */
  inAnswered: number;
  right: number;
}

export function readAll(matcher: FaqMatcher, questions: Question[]): ReadQuestion[] {
  return questions.map((q) => ({ reading: matcher.readMessage(q.text), expected: q.expected }));
}

/** The entry id answered at `settings`, or null. */
export function answerAt(matcher: FaqMatcher, q: ReadQuestion, settings: AnswerSettings): string | null {
  const o = applyAnswerPolicy(q.reading, settings);
  return o.answers && o.part ? matcher.entryId(o.part.best) : null;
}

export function tally(matcher: FaqMatcher, questions: ReadQuestion[], settings: AnswerSettings): Tally {
  let inFaq = 0;
  let inAnswered = 0;
  let out = 0;
  let outAnswered = 0;
  let answered = 0;
  let right = 0;
  for (const q of questions) {
    const a = answerAt(matcher, q, settings);
    if (q.expected === null) out++;
    else inFaq++;
    if (a === null) continue;
    answered++;
    if (q.expected === null) outAnswered++;
    else inAnswered++;
    if (a === q.expected) right++;
  }
  return {
    coverage: inFaq ? inAnswered / inFaq : NaN,
    accuracy: answered ? right / answered : NaN,
    outAnswered: out ? outAnswered / out : NaN,
    answered,
    inAnswered,
    right,
  };
}

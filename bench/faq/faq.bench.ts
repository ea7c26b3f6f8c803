/**
 * FAQ matching quality and speed, beside natural's TfIdf and the previous matcher in the same run.
 *
 *   node --import tsx bench/faq/faq.bench.ts [--write] [--categories FILE]
 *
 * - massive_zh_cn (60 intents, one FAQ entry per intent, train as paraphrases): settings chosen on
 *   validation (choose-settings.ts), reported on test. banking77 likewise: chosen on 1/5 of train
 *   with an FAQ of the other 4/5, reported on test with an FAQ of all of train.
 * - the shipped faq.yaml on test/fixtures/faq/customer-phrasings.jsonl (hand-written before tuning,
 *   never tuned on) at faq.yaml's own settings, and on the held-out half of real complaints.
 * - speed of decide() per message on the shipped faq.yaml.
 * What each set is and which part chooses or reports: faq-tasks.ts. `--write` replaces the bench:faq
 * span of bench/RESULTS.md. `--categories`: the categories.yaml whose synonyms are folded (default
 * the repository's). About half a minute on 2 cores.
 */
import { parseArgs } from 'node:util';
import type { FaqConfig } from '../../config/faq.schema.js';
import { loadCategoriesFile } from '../../config/load-categories.js';
import { applyAnswerPolicy, type AnswerSettings } from '../../nlp/faq/answer-policy.js';
import { loadFaqFile } from '../../config/load-faq.js';
import { FaqMatcher } from '../../nlp/faq/faq-matcher.js';
import { SynonymTable } from '../../nlp/term-matcher.js';
import { warmUpNormalizer } from '../../nlp/text-normalizer.js';
import { writeResultsSpan } from '../results-file.js';
import { naturalTfIdf, previousMatcher, type Baseline } from './baselines.js';
import { chooseSettings, chooseShippedSettings, describeSettings } from './choose-settings.js';
import { accuracyAtCoverage, coverageAtAccuracy, ms, num, pct, percentiles, type Scored } from './coverage-metrics.js';
import {
  COMPLAINT_OR_QUESTION_FILE,
  FIFTH_AUTHOR_FILE,
  FOURTH_AUTHOR_FILES,
  SIXTH_AUTHOR_FILE,
  SECOND_AUTHOR_FILES,
  banking77Task,
  customerPhrasingsTask,
  massiveTask,
  realComplaints,
  type FaqTask,
  type Question,
} from './faq-tasks.js';
import { readAll, tally, type ReadQuestion } from './policy-replay.js';

const { values: args } = parseArgs({ options: { write: { type: 'boolean' }, categories: { type: 'string' } } });
const COVERAGES = [1, 0.9, 0.8, 0.65, 0.5];
/** Answer everything the FAQ shares any wording with: the best entry of every question. */
const ANSWER_ALL: AnswerSettings = { threshold: 0, minSimilarity: 0 };

const out: string[] = [];
function log(s = ''): void {
  out.push(s);
  console.log(s);
}

/** Our matcher's best entry for each read question, with its probability as confidence. */
function oursScored(matcher: FaqMatcher, read: ReadQuestion[]): Scored[] {
  return read.map((q) => {
    const part = applyAnswerPolicy(q.reading, ANSWER_ALL).part;
    const id = part && part.best >= 0 ? matcher.entryId(part.best) : null;
    return { confidence: part && part.best >= 0 ? part.probabilities[part.best]! : 0, correct: id !== null && id === q.expected };
  });
}

function timedRead(matcher: FaqMatcher, questions: Question[]): { read: ReadQuestion[]; times: number[] } {
  const times: number[] = [];
  const read = questions.map((q) => {
    const t = performance.now();
    const reading = matcher.readMessage(q.text);
    times.push(performance.now() - t);
    return { reading, expected: q.expected };
  });
  return { read, times };
}

function baselineScored(b: Baseline, questions: Question[]): { rows: Scored[]; times: number[] } {
  const times: number[] = [];
  const rows = questions.map((q) => {
    const t = performance.now();
    const r = b.best(q.text);
    times.push(performance.now() - t);
    return { confidence: r.confidence, correct: r.id !== null && r.id === q.expected };
  });
  return { rows, times };
}

/** One intent set as an FAQ: settings chosen on `choose`, everything reported on `report`. */
function intentSet(title: string, choose: FaqTask, report: FaqTask, synonyms: SynonymTable, goal: { accuracy: number; coverage: number; top1?: number }): void {
  const t0 = performance.now();
  const ours = new FaqMatcher(report.faq, { synonyms });
  const buildMs = performance.now() - t0;
  const chooser = choose.faq === report.faq ? ours : new FaqMatcher(choose.faq, { synonyms });
  const chosen = chooseSettings([{ matcher: chooser, questions: readAll(chooser, choose.questions) }], 0.93);
  const { read, times } = timedRead(ours, report.questions);
  const rows: Array<{ name: string; scored: Scored[]; buildMs: number; times: number[] }> = [];
  for (const b of [naturalTfIdf(report.faq), previousMatcher(report.faq, synonyms)]) {
    const r = baselineScored(b, report.questions);
    rows.push({ name: b.name, scored: r.rows, buildMs: b.buildMs, times: r.times });
  }
  const scored = oursScored(ours, read);
  rows.push({ name: 'FaqMatcher (ours)', scored, buildMs, times });

  log('');
  log(`### ${title}`);
  log('');
  log(`FAQ: ${report.name}. Settings chosen on ${choose.name}.`);
  log('');
  log('Accuracy of the answers when answering only the most confident share of questions (top-1 = answering all):');
  log('');
  log(`| matcher | top-1 (100 %) | @90 % | @80 % | @65 % | @50 % | max coverage at ≥ ${goal.accuracy} | build | median / p99 per question |`);
  log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const p = percentiles(r.times);
    const accs = COVERAGES.map((c) => num(accuracyAtCoverage(r.scored, c)));
    const maxCoverage = pct(coverageAtAccuracy(r.scored, goal.accuracy));
    log(`| ${r.name} | ${accs.join(' | ')} | ${maxCoverage} | ${r.buildMs.toFixed(0)} ms | ${ms(p.median)} / ${ms(p.p99)} |`);
  }
  log('');
  if (!chosen) {
    log('No setting reached 0.93 accuracy on the choosing split.');
    return;
  }
  const c = chosen.settings;
  log(
    "FaqMatcher through faq.yaml's answering rule (nlp/faq/answer-policy.ts) at several thresholds, " +
      `minMargin ${c.minMargin ?? 'none'} and minSimilarity ${c.minSimilarity} as chosen:`,
  );
  log('');
  log('| threshold | coverage | accuracy of answers |');
  log('|---|---|---|');
  for (const threshold of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    const t = tally(ours, read, { ...c, threshold });
    log(`| ${threshold} | ${pct(t.coverage)} | ${num(t.accuracy)} |`);
  }
  const atChosen = tally(ours, read, c);
  const chosenOn = `chosen on ${choose.name.split(':')[0]}: ${pct(chosen.coverage)} at ${num(chosen.accuracy)}`;
  log(`| **${describeSettings(c)}** (${chosenOn}) | **${pct(atChosen.coverage)}** | **${num(atChosen.accuracy)}** |`);
  log('');
  const top1 = accuracyAtCoverage(scored, 1);
  const at65 = accuracyAtCoverage(scored, goal.coverage);
  const verdicts = [
    `≥ ${goal.accuracy} accuracy at ≥ ${goal.coverage * 100} % coverage: ${num(at65)} on the most confident ${goal.coverage * 100} %, ` +
      `${num(atChosen.accuracy)} at ${pct(atChosen.coverage)} with the settings chosen beforehand → ` +
      (atChosen.accuracy >= goal.accuracy && atChosen.coverage >= goal.coverage ? 'met' : 'missed'),
  ];
  if (goal.top1 !== undefined) verdicts.push(`top-1 ≥ ${goal.top1} answering all: ${num(top1)} → ${top1 >= goal.top1 ? 'met' : 'missed'}`);
  log(`Goals: ${verdicts.join('; ')}.`);
}

interface PhrasingCounts {
  inFaq: number;
  inAnswered: number;
  right: number;
  out: number;
  outAnswered: number;
}

function count(questions: Question[], answer: (q: Question, i: number) => string | null): PhrasingCounts {
  const c = { inFaq: 0, inAnswered: 0, right: 0, out: 0, outAnswered: 0 };
  questions.forEach((q, i) => {
    const a = answer(q, i);
    if (q.expected === null) {
      c.out++;
      if (a !== null) c.outAnswered++;
    } else {
      c.inFaq++;
      if (a !== null) c.inAnswered++;
      if (a !== null && a === q.expected) c.right++;
    }
  });
  return c;
}

const phrasingRow = (name: string, c: PhrasingCounts) =>
  [
    name,
    `${pct(c.inAnswered / c.inFaq)} (${c.inAnswered}/${c.inFaq})`,
    `${pct(c.right / c.inAnswered)} (${c.right}/${c.inAnswered})`,
    `${pct(c.outAnswered / c.out)} (${c.outAnswered}/${c.out})`,
    pct(c.right / (c.inAnswered + c.outAnswered)),
  ].reduce((row, cell) => `${row} ${cell} |`, '|');

/** The shipped faq.yaml on the hand-written customer phrasings and the held-out half of real complaints. */
function shippedFaq(synonyms: SynonymTable): void {
  const task = customerPhrasingsTask();
  const faq = task.faq;
  const ours = new FaqMatcher(faq, { synonyms });
  const wholeOnly = new FaqMatcher(faq, { synonyms, clauses: false });
  const previous = previousMatcher(faq, synonyms);
  const decided = task.questions.map((q) => ours.decide(q.text));
  const oursAnswer = (_: Question, i: number) => decided[i]!.answer?.entryId ?? null;

  log('');
  log(`### Shipped faq.yaml on customer phrasings (${faq.entries.length} entries, ${ours.size} paraphrases; ${describeSettings(faq)})`);
  log('');
  const covered = task.questions.filter((q) => q.expected).length;
  log(
    `test/fixtures/faq/customer-phrasings.jsonl: ${covered} questions an entry covers and ${task.questions.length - covered} complaints no entry answers, ` +
      'hand-written before tuning and never tuned on (zh, zh-Hant, en; greetings, several clauses, order numbers, typos). ' +
      '"Answers right" counts the answers to covered questions; the last column counts every answer, complaints included.',
  );
  log('');
  log('| matcher | covered questions answered | answers right | complaints answered | all answers right |');
  log('|---|---|---|---|---|');
  log(
    phrasingRow(
      'previous FaqMatcher (0.25, minMargin 0.05)',
      count(task.questions, (q) => previous.answers!(q.text)),
    ),
  );
  log(
    phrasingRow(
      'FaqMatcher, whole message only',
      count(task.questions, (q) => wholeOnly.decide(q.text).answer?.entryId ?? null),
    ),
  );
  const mine = count(task.questions, oursAnswer);
  log(phrasingRow('**FaqMatcher (shipped)**', mine));
  log('');
  log('By language and by what makes a question hard (FaqMatcher, shipped):');
  log('');
  log('| questions | covered questions answered | answers right | complaints answered | all answers right |');
  log('|---|---|---|---|---|');
  const groups: Array<[string, (q: Question) => boolean]> = [
    ['zh-Hans', (q) => q.language === 'zh-Hans'],
    ['zh-Hant', (q) => q.language === 'zh-Hant'],
    ['en', (q) => q.language === 'en'],
  ];
  for (const trait of ['greeting', 'multi-clause', 'order-number', 'typo', 'faq-words']) groups.push([trait, (q) => (q.traits ?? []).includes(trait)]);
  for (const [name, keep] of groups) {
    const idx = task.questions.map((q, i) => (keep(q) ? i : -1)).filter((i) => i >= 0);
    log(
      phrasingRow(
        name,
        count(
          idx.map((i) => task.questions[i]!),
          (_, j) => oursAnswer(task.questions[idx[j]!]!, idx[j]!),
        ),
      ),
    );
  }
  log('');
  const wrong = task.questions.map((q, i) => ({ q, a: oursAnswer(q, i) })).filter(({ q, a }) => a !== null && a !== q.expected);
  log(`Wrong answers and answered complaints (${wrong.length}), listed to be read, not tuned on:`);
  log('');
  for (const { q, a } of wrong) log(`- "${q.text}" → ${a} (expected ${q.expected ?? 'no answer'})`);

  blindAuthorSets(ours, new FaqMatcher(faq, { synonyms, ownCaseModel: null }));

  const complaints = realComplaints('report');
  const read = readAll(ours, complaints);
  const oursOut = tally(ours, read, faq).outAnswered;
  const prevOut = count(complaints, (q) => previous.answers!(q.text)).outAnswered / complaints.length;
  log('');
  log(
    `Real complaints, held-out half (${complaints.length.toLocaleString('en')} negative reviews and CFPB narratives, none used to choose anything): ` +
      `answered by FaqMatcher ${pct(oursOut)}, by the previous matcher ${pct(prevOut)}.`,
  );

  const today = chooseShippedSettings(synonyms);
  const same = today !== undefined && describeSettings(today.settings) === describeSettings(faq);
  log('');
  log(
    today
      ? `faq.yaml's settings ${same ? 'are' : 'are NOT'} the ones choose-settings.ts picks today (${describeSettings(today.settings)}: ` +
          `${pct(today.coverage)} of cross-validated paraphrases answered, ${num(today.accuracy)} right; ` +
          `real complaints "choose" half ${pct(today.limited[0]!)}, short off-topic requests ${pct(today.limited[1]!)}).`
      : 'choose-settings.ts finds no setting meeting its targets today.',
  );
  const verdict = (ok: boolean) => (ok ? 'met' : 'missed');
  log('');
  log(
    [
      `Goals (customer phrasings): covered questions answered ≥ 65 %: ${pct(mine.inAnswered / mine.inFaq)} → ${verdict(mine.inAnswered / mine.inFaq >= 0.65)}`,
      `answers right ≥ 90 %: ${pct(mine.right / mine.inAnswered)} → ${verdict(mine.right / mine.inAnswered >= 0.9)}`,
      `complaints answered ≤ 10 %: ${pct(mine.outAnswered / mine.out)} → ${verdict(mine.outAnswered / mine.out <= 0.1)}.`,
    ].join('; '),
  );
}

/**
 * The shipped matcher on other authors' messages, written blind to faq.yaml's paraphrases (a second author's tuning and
 * held-out sets, a third author's complaints-or-questions): the same columns, and the messages that need no answer split
 * into complaints using FAQ words and the rest (questions on other topics, chit-chat).
 */
function blindAuthorSets(ours: FaqMatcher, cuesOnly: FaqMatcher): void {
  log('');
  log(
    "A second author's messages (2026-12-05, written from the entries' answers alone, blind to faq.yaml's paraphrases and to the set " +
      'above; zh-Hans, zh-Hant with written Cantonese, en; greetings, order numbers, typos, slang, questions inside complaints, chit-chat). ' +
      "The tuning set may be read to find what the matcher misses; the held-out set is only reported here. Then a third author's " +
      '90 complaints that use FAQ words but need a person and 50 unhappy customers asking a question an entry settles, read to write ' +
      "nlp/faq/own-case.ts (in-sample), and a fourth author's two sets (2026-12-05, the same brief with more kinds of complaint: a " +
      'process that failed, a disputed charge, harm, threats, sarcasm, requests to act; 100 + 80 needing a person, 80 + 60 questions): ' +
      'the tuning set was read to widen own-case.ts, the held-out set only reported. A fifth author (2026-12-06, the same brief: ' +
      '160 complaints using FAQ words, 140 questions, many unhappy or inside a story) and a sixth (2026-12-06, unhappy customers ' +
      'only: 160 questions an answer settles, 160 that need a person) wrote sets that nothing read; with the ' +
      'other tuning sets it trains nlp/faq/own-case-model.ts (so all tuning rows are in-sample for the model), which holds back ' +
      'what the cues miss; the held-out sets are only reported.',
  );
  log('');
  log('| set | covered questions answered | answers right | no answer needed: answered | of which complaints using FAQ words | all answers right |');
  log('|---|---|---|---|---|---|');
  const heldOut: Array<{ author: string; c: PhrasingCounts; complaintsAnswered: number; complaints: number }> = [];
  for (const [name, file] of [
    ['tuning (test/fixtures/faq/second-author-tune.jsonl)', SECOND_AUTHOR_FILES.tune],
    ['held out (test/fixtures/faq-heldout/second-author-check.jsonl)', SECOND_AUTHOR_FILES.check],
    [
      "a third author's complaints using FAQ words and unhappy questions (test/fixtures/faq/complaint-or-question-tune.jsonl, tuning)",
      COMPLAINT_OR_QUESTION_FILE,
    ],
    ["a fourth author's complaints using FAQ words and questions, tuning (test/fixtures/faq/fourth-author-tune.jsonl)", FOURTH_AUTHOR_FILES.tune],
    ["a fourth author's, held out (test/fixtures/faq-heldout/fourth-author-check.jsonl)", FOURTH_AUTHOR_FILES.check],
    [
      "a fifth author's complaints using FAQ words and questions, training set of the own-case model (test/fixtures/faq/fifth-author-tune.jsonl)",
      FIFTH_AUTHOR_FILE,
    ],
    [
      "a sixth author's unhappy customers, questions and own cases, training set of the own-case model (test/fixtures/faq/sixth-author-tune.jsonl)",
      SIXTH_AUTHOR_FILE,
    ],
  ] as const) {
    const questions = customerPhrasingsTask(undefined, file).questions;
    const heldOutSet = file === SECOND_AUTHOR_FILES.check || file === FOURTH_AUTHOR_FILES.check;
    // The held-out sets also read without the own-case model (own-case.ts's cues alone): the baseline in the same run.
    for (const matcher of heldOutSet ? [cuesOnly, ours] : [ours]) {
      const answers = questions.map((q) => matcher.decide(q.text).answer?.entryId ?? null);
      const c = count(questions, (_, i) => answers[i]!);
      // The third author's set is all complaints or questions: every line that needs no answer is a complaint using FAQ words.
      const isComplaint = (q: Question) => (file === COMPLAINT_OR_QUESTION_FILE ? true : (q.traits ?? []).includes('faq-words'));
      const complaint = questions.map((q, i) => ({ q, a: answers[i] })).filter(({ q }) => q.expected === null && isComplaint(q));
      const complaintsAnswered = complaint.filter(({ a }) => a !== null).length;
      if (heldOutSet && matcher === ours)
        heldOut.push({ author: file === SECOND_AUTHOR_FILES.check ? 'second' : 'fourth', c, complaintsAnswered, complaints: complaint.length });
      log(
        `| ${name}${matcher === cuesOnly ? ', own-case cues alone (no model)' : ''} | ${pct(c.inAnswered / c.inFaq)} (${c.inAnswered}/${c.inFaq}) | ${pct(c.right / c.inAnswered)} (${c.right}/${c.inAnswered}) | ` +
          `${pct(c.outAnswered / c.out)} (${c.outAnswered}/${c.out}) | ${pct(complaintsAnswered / complaint.length)} (${complaintsAnswered}/${complaint.length}) | ` +
          `${pct(c.right / (c.inAnswered + c.outAnswered))} |`,
      );
    }
  }
  for (const { author, c, complaintsAnswered, complaints } of heldOut) {
    const ok = (x: boolean) => (x ? 'met' : 'missed');
    log('');
    log(
      `Goals on the ${author} author's held-out set: covered questions answered ≥ 65 %: ${pct(c.inAnswered / c.inFaq)} → ${ok(c.inAnswered / c.inFaq >= 0.65)}; ` +
        `answers right ≥ 90 %: ${pct(c.right / c.inAnswered)} → ${ok(c.right / c.inAnswered >= 0.9)}; complaints answered ≤ 10 %: ` +
        `${pct(complaintsAnswered / complaints)} of the complaints using FAQ words → ${ok(complaintsAnswered / complaints <= 0.1)}.`,
    );
  }
}

/** decide() per message on the shipped faq.yaml, ours beside the baselines, short and long messages. */
function speed(synonyms: SynonymTable, short: string[], long: string[]): void {
  const faq: FaqConfig = loadFaqFile();
  const t0 = performance.now();
  const ours = new FaqMatcher(faq, { synonyms });
  const buildMs = performance.now() - t0;
  const contenders: Array<{ name: string; buildMs: number; run: (t: string) => unknown }> = [
    {
      name: 'natural TfIdf (baseline, best entry only)',
      ...(() => {
        const b = naturalTfIdf(faq);
        return { buildMs: b.buildMs, run: (t: string) => b.best(t) };
      })(),
    },
    {
      name: 'previous FaqMatcher decide()',
      ...(() => {
        const b = previousMatcher(faq, synonyms);
        return { buildMs: b.buildMs, run: (t: string) => b.answers!(t) };
      })(),
    },
    { name: 'FaqMatcher decide() (ours)', buildMs, run: (t: string) => ours.decide(t) },
  ];
  const time = (run: (t: string) => unknown, texts: string[]) => {
    for (const t of texts.slice(0, 200)) run(t); // warm up the JIT and caches
    return percentiles(
      texts.map((t) => {
        const s = performance.now();
        run(t);
        return performance.now() - s;
      }),
    );
  };
  log('');
  log(`### Speed on the shipped faq.yaml (${faq.entries.length} entries, ${ours.size} paraphrases)`);
  log('');
  const meanLength = (texts: string[]) => (texts.reduce((a, t) => a + t.length, 0) / texts.length).toFixed(0);
  log(
    `Per message, ${short.length.toLocaleString('en')} short messages (customer phrasings, massive_zh_cn and banking77 test questions; ` +
      `${meanLength(short)} characters on average) and ${long.length} long ones (CFPB narratives, ${meanLength(long)} characters on average):`,
  );
  log('');
  log('| matcher | build | short: median / p99 | long: median / p99 |');
  log('|---|---|---|---|');
  for (const c of contenders) {
    const s = time(c.run, short);
    const l = time(c.run, long);
    log(`| ${c.name} | ${c.buildMs.toFixed(1)} ms | ${ms(s.median)} / ${ms(s.p99)} | ${ms(l.median)} / ${ms(l.p99)} |`);
  }
}

function main(): void {
  warmUpNormalizer();
  const synonyms = new SynonymTable(loadCategoriesFile(args.categories).synonyms);
  const shipped = loadFaqFile();
  log(
    `Run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${process.platform}, 2 cores shared with other work ` +
      `(timings are noisy; compare rows of one run). Shipped faq.yaml: ${describeSettings(shipped)}.`,
  );

  const massiveTest = massiveTask('test');
  const massiveValidation = { ...massiveTask('validation'), faq: massiveTest.faq }; // same FAQ (train), other questions
  intentSet('massive_zh_cn (zh) as an FAQ', massiveValidation, massiveTest, synonyms, { accuracy: 0.92, coverage: 0.65, top1: 0.8 });
  const bankingTest = banking77Task('test');
  intentSet('banking77 (en) as an FAQ', banking77Task('dev'), bankingTest, synonyms, { accuracy: 0.92, coverage: 0.65 });
  shippedFaq(synonyms);
  const short = [...customerPhrasingsTask().questions, ...massiveTest.questions, ...bankingTest.questions].map((q) => q.text);
  speed(
    synonyms,
    short,
    realComplaints('report')
      .filter((q) => q.language === 'en')
      .slice(0, 500)
      .map((q) => q.text),
  );
  if (args.write) writeResults(out.join('\n'));
}

/** What the numbers mean; written by hand after reading a run (update it when they change). */
const NOTE = `Reading (2026-12-04, issue 17):
- What answers: an entry classifier (softmax regression trained on the FAQ's paraphrases and answers) says which entry; the TF-IDF similarity of the
  old matcher says whether the FAQ knows the wording at all; a message is read whole and clause by clause (greetings, thanks and order numbers dropped),
  and answer-policy.ts decides which part counts and whether the message asks anything. Every setting was chosen on validation/dev data or on faq.yaml's
  own paraphrases and half of the real complaints (bench/faq/choose-settings.ts), never on a reported set.
- massive_zh_cn: both goals met on test (top-1 0.836 answering all, where published multilingual encoders reach about 0.85; 0.936 right at 75 %
  coverage with the settings chosen on validation). banking77: top-1 0.906 (previous 0.846), 0.925 right at 87.5 % coverage (0.924 at 89.6 %
  before the own-case model).
- Customer phrasings: all three goals met (previous matcher on the same faq.yaml: 43 % answered; issue 17 measured 28 % for the previous matcher and
  faq.yaml on its held-back set). Read with care: one person wrote both this set and the faq.yaml paraphrases, so their wording habits overlap
  (optimistic); faq.yaml paraphrases were extended after the set was written (checked to differ from every line, and one added paraphrase, "what if it
  does not fit", shares its idea with one set line); 94 questions and 43 complaints make each covered question worth about 1 point and each complaint
  2.3 points. English complaints are the weak spot (2 of 14 answered, both by coupons-promotions on generic words).
- The cost of answering twice as many questions: 0.6 % of the held-out real complaints get an answer (2.0 % before the own-case model; previous
  matcher 0.1 %); the gateway's bot stage still withholds every answer to a complaint of severity ≤ 2 or emotion ≥ 4.
- Speed (noisy, 2 shared cores): decide() takes 40–65 µs median per short message over several runs (previous matcher 12–15 µs), 0.7–0.9 ms for a
  1,200-character e-mail (p99 under 8 ms; the own-case model added about 15 µs and 0.3 ms); building the shipped FAQ takes 50–80 ms on each config
  reload (massive_zh_cn's 11,514 paraphrases: about 3 s); the own-case model reads an entry's paraphrases the first time it would hold
  back one of its answers, not at build.
- afqmc is no longer reported here: it is a pair-verification set (3,997 "entries" of one paraphrase each), not an FAQ with paraphrases per entry, and
  a classifier over 3,997 one-example classes says nothing useful; issue 17 names massive_zh_cn and banking77 instead.
- A fourth author (2026-12-05, blind to faq.yaml's paraphrases and the code) wrote more kinds of complaints that use FAQ words: before
  nlp/faq/own-case.ts read its tuning set, 31 of its 100 were answered (20 of 80 held out), so the second author's 31 % was no accident.
  own-case.ts now also withholds a request to act (帮我催一下, 给我换, "can someone fix this", a manager), a disputed charge (扣了两次,
  "you charged me twice"), a failed attempt (申请了三次都失败, "won't let me"), a threat to escalate (12315, 消保官, chargeback), harm to
  a person, a refusal of the FAQ's kind of answer (别跟我说退货流程), sarcasm (退款是走路来的吗), an account taken over and a wait past
  due told with what is awaited (还没到, "still nothing on my card"). Tuning set 31 → 8 of 100, no covered question lost on any tuning
  set; **held out 20 → 17 of 80** (16 before a wait past due had to name what is awaited, so that "收到3天了还没拆封，能退吗" asks
  again): the cues fit the wording they were read from better than the world's. The second author's held-out set: 5 → 4 of 16, with
  2 of its 112 covered questions lost. An entry whose own paraphrases are such messages (a bank's "i was charged twice") is still
  answered (faq-matcher.ts casesWrittenFor): without that, banking77's coverage at the chosen settings fell 90.0 → 87.8 %; with it 89.6 %.
  A text model telling "needs a person" from "a question", trained on the tuning sets, faq.yaml and real complaints, was tried after the
  rules: leaving each tuning set out in turn it withheld 0-2 more complaints for 1-6 covered questions lost, so it was not built.
- The own-case model (2026-12-06, nlp/faq/own-case-model.ts, \`npm run train:own-case\`): that earlier trial counted what a model adds to cues
  written from the same sets, where the cues leave almost nothing (11 of the tuning sets' complaints); on a new author's messages they leave a
  fifth (the held-out rows "cues alone"). Counted without the cues, leaving each of five authors out (a fifth and a sixth author wrote 300 and
  320 lines for it that nothing read; the sixth only unhappy customers, half of them asking what an answer settles), a model trained on the
  others and faq.yaml's paraphrases withheld 124 of the 141 complaints the FAQ would answer for 16 of 476 right answers at its chosen
  probability 0.55 (the surest sign-test gain; scripts/train-own-case-model.ts prints the table). It reads messages of two clauses or more:
  in that cross-validation no own-case message the FAQ would answer had one clause, and a one-clause question ("为什么我的优惠券用不了") is
  what entries are for. Shipped beside the cues, on the held-out sets: complaints answered 4 → 0 of 16 (second author) and 17 → 0 of 80
  (fourth), real complaints 2.0 → 0.6 %; covered questions answered 71.4 → 67.9 % and 71.7 → 66.7 %, answers right 95.0 → 96.1 % and
  88.4 → 90.0 %: every goal met on both held-out sets, the fourth author's right answers exactly at 90 %. Known cost: some unhappy
  questions read as the customer's own case ("我是会员，为什么没有显示会员价"); English own cases told without cue words are read worse
  than Chinese. How this was reached, so the held-out figures are read with care: these tables were printed after each step (covered questions
  answered, second / fourth author: the model on three authors at 0.5, 66.1 / 63.3 %; on four (the fifth author's set) at 0.45, 65.2 / 56.7 %;
  on five (the sixth author's) at 0.55, 64.3 / 66.7 %; then the two-clause rule), each step chosen on the tuning sets and cross-validation,
  none by reading a held-out line. An entry whose paraphrases the model reads as own case (at least 2,
  and a quarter) keeps answering: massive_zh_cn unchanged, banking77 coverage 89.6 → 87.5 % at the same accuracy.`;

/** Our span of bench/RESULTS.md. */
function writeResults(body: string): void {
  writeResultsSpan(
    'faq',
    [
      '## FAQ matching (bench/faq)',
      '',
      'Command: `npm run bench:faq -- --write` (node --import tsx bench/faq/faq.bench.ts --write; about half a minute on 2 cores). ' +
        'Settings for the shipped faq.yaml come from `node --import tsx bench/faq/choose-settings.ts`.',
      'Data: ../shared/data/massive_zh_cn, banking77, waimai_10k, online_shopping_10_cats and cfpb, read in place, and ' +
        'test/fixtures/faq/customer-phrasings.jsonl; bench/faq/faq-tasks.ts says which part of each chooses settings and which part is reported.',
      '',
      body,
      ...(NOTE ? ['', NOTE] : []),
    ].join('\n'),
  );
}

main();

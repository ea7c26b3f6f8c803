/**
 * Learning from agents (issue 17): how much do agents' category corrections help the gateway's classifier?
 * ../shared/data/complaints_zh_labelled (500 real negative reviews, one annotator, development use only: read
 * here at run time, never copied into the repository) is cut in two halves by the same fixed hash as
 * complaints-dev.bench.ts. Corrections come from half A (the half the rules were tuned on); accuracy is measured
 * on half B. For each number of corrections the model is trained through `gateway train --from-history`'s own
 * functions (historyTrainingSet → trainFromHistory) and the gateway's classifier is run as the gateway runs it:
 * the shipped categories.yaml rules plus the model where the rules are not confident.
 *
 *   node --import tsx bench/nlp/learning-curve.bench.ts [--draws 5] [--write]
 *
 * Two ways to pick the corrections, each averaged over `--draws` random orders (nested: the first 50 are among
 * the first 100, as corrections pile up over time):
 * - any ticket of half A, relabelled with its true category (an agent who labels what they see);
 * - only the tickets the rules misread (an agent changes a category only when it is wrong).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chooseHandoff, historyTrainingSet, trainFromHistory } from '../../gateway/commands/train-from-history.js';
import { loadCategoriesFile } from '../../config/load-categories.js';
import type { TextModel } from '../../nlp/text-model.js';
import { warmUpNormalizer } from '../../nlp/text-normalizer.js';
import { UnderstandingEngine } from '../../nlp/understanding.js';
import { sharedData } from '../shared-data.js';
import { devHalf, readExtraLabelled } from './extra-labels.js';
import { writeResultsSpan } from '../results-file.js';

interface Row {
  text: string;
  category: string;
}

const { values } = parseArgs({ options: { draws: { type: 'string', default: '5' }, write: { type: 'boolean', default: false } } });
const draws = Number(values.draws);
const CATEGORIES_FILE = 'config/categories.yaml';
const categories = loadCategoriesFile(CATEGORIES_FILE);
const rows: Row[] = readFileSync(sharedData('complaints_zh_labelled', 'complaints_zh.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Row);
// The same halves as complaints-dev.bench.ts; the tickets agents handle are half A and half C of the 400 reviews labelled
// later (bench/nlp/labels), so the curve reaches 400; accuracy is measured on half B of the dev set.
const pool = [...rows.filter((r) => devHalf(r.text) === 'A'), ...readExtraLabelled().filter((r) => r.half === 'C')];
const test = rows.filter((r) => devHalf(r.text) === 'B');

warmUpNormalizer();
const rulesOnly = new UnderstandingEngine(categories);
const synonyms = rulesOnly.synonymPairs();
/** OTHER in the data is "not a complaint"; the gateway says so with OTHER or INQ. */
const right = (label: string, got: string) => got === label || (label === 'OTHER' && (got === 'OTHER' || got === 'INQ'));

interface Score {
  all: number;
  complaints: number;
  modelDecided: number;
}

function score(model: TextModel | undefined): Score {
  const engine = model ? new UnderstandingEngine(categories, model) : rulesOnly;
  let ok = 0;
  let complaintsOk = 0;
  let complaints = 0;
  let byModel = 0;
  for (const r of test) {
    const u = engine.analyze({ text: r.text });
    if (right(r.category, u.category)) ok++;
    if (r.category !== 'OTHER') {
      complaints++;
      if (u.category === r.category) complaintsOk++;
    }
    if (u.source === 'model') byModel++;
  }
  return { all: ok / test.length, complaints: complaintsOk / complaints, modelDecided: byModel / test.length };
}

/** Trains as `gateway train --from-history` does; undefined when it refuses (too few examples). */
function train(corrections: Row[]): { model?: TextModel; refused?: string } {
  if (corrections.length === 0) return { refused: 'no corrections' };
  try {
    const set = historyTrainingSet(corrections, undefined, categories);
    const { handoff } = chooseHandoff(set, rulesOnly, synonyms, {}, categories.ruleConfidence);
    return { model: trainFromHistory(set, synonyms).withHandoff(handoff) };
  } catch (err) {
    return { refused: (err as Error).message };
  }
}

const order = (draw: number) => [...pool].sort((a, b) => key(draw, a.text).localeCompare(key(draw, b.text)));
const key = (draw: number, text: string) => createHash('sha256').update(`learning-curve-${draw}\0`).update(text).digest('hex');
const misread = pool.filter((r) => !right(r.category, rulesOnly.analyze({ text: r.text }).category));

interface Point {
  n: number;
  scores: Score[];
  handoffs: number[];
  refused: number;
  trainMs: number;
}

function curve(candidates: Row[], sizes: number[]): Point[] {
  return sizes.map((n) => {
    const point: Point = { n, scores: [], handoffs: [], refused: 0, trainMs: 0 };
    for (let d = 0; d < (n === 0 ? 1 : draws); d++) {
      const ordered = order(d).filter((r) => candidates.includes(r));
      const started = performance.now();
      const { model } = train(ordered.slice(0, n));
      point.trainMs += performance.now() - started;
      if (!model && n > 0) point.refused++;
      if (model) point.handoffs.push(model.handoff ?? categories.ruleConfidence);
      point.scores.push(score(model));
    }
    point.trainMs /= point.scores.length;
    return point;
  });
}

const sizes = (max: number) => [...new Set([...[0, 50, 100, 200, 400].filter((n) => n < max), max])];
const started = performance.now();
const anyTicket = curve(pool, sizes(pool.length));
const wrongOnly = curve(misread, sizes(misread.length));
const seconds = (performance.now() - started) / 1000;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (x: number) => x.toFixed(3);
function table(points: Point[]): string {
  const lines = [
    '| tickets | accuracy, all texts of B (min–max over draws) | accuracy on B’s complaints | handoff (mean) | decided by the model | trainings refused | training time |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const p of points) {
    const all = p.scores.map((s) => s.all);
    const range = p.scores.length > 1 ? ` (${f(Math.min(...all))}–${f(Math.max(...all))})` : '';
    lines.push(
      `| ${p.n} | ${f(mean(all))}${range} | ${f(mean(p.scores.map((s) => s.complaints)))} | ${p.handoffs.length > 0 ? mean(p.handoffs).toFixed(2) : '—'} | ${(mean(p.scores.map((s) => s.modelDecided)) * 100).toFixed(0)} % | ${p.n === 0 ? '—' : `${p.refused}/${p.scores.length}`} | ${p.n === 0 ? '—' : `${(p.trainMs / 1000).toFixed(2)} s`} |`,
    );
  }
  return lines.join('\n');
}

const body = `### Learning from agents: accuracy against the number of corrections (issue 17)

\`node --import tsx bench/nlp/learning-curve.bench.ts --write\` (\`npm run bench:learning\`) — ${new Date().toISOString().slice(0, 10)}, ${seconds.toFixed(0)} s.
../shared/data/complaints_zh_labelled (500 real reviews; development use only) in the halves of complaints-dev: corrections are
drawn from half A and from half C of the 400 reviews labelled later (${pool.length} texts, the halves the rules were tuned on),
accuracy is measured on half B (${test.length} texts).
Each model is trained by \`gateway train --from-history\`'s code (category labels, ≥ 2 examples per category), which also chooses its
handoff by 5-fold cross-validation on what it was taught (the rules' confidence below which the model may decide; 0 when it does not
beat the rules), and used as the gateway uses it: the shipped categories.yaml rules, and the model where their confidence is below
both the handoff and ruleConfidence (${categories.ruleConfidence}).
OTHER texts count as right when the gateway says OTHER or INQ. Means over ${draws} random orders of the corrections (0: the rules alone).

Tickets of half A handled by agents: the ones the rules misread corrected, the rest closed as the rules filed them (what
\`train --from-history\` reads: corrections and confirmed tickets):

${table(anyTicket)}

Only the corrections, without the confirmed tickets (${misread.length} of the ${pool.length} tickets misread): the model never
sees what the rules get right, and cross-validation on corrections alone cannot tell it how often that is:

${table(wrongOnly)}

Reading: before the handoff (2026-12-04, models trained on corrections alone and deciding wherever the rules were below
ruleConfidence) the curve fell from 0.726 to 0.693 at 50 corrections and stayed under the rules until 200. With the confirmed
tickets and the cross-validated handoff (2026-12-04 evening) a few corrections still cost up to 4 texts in 263 (0.722 at 50, 100
and 200 tickets, 0.741 at 424). Since 2026-12-05 a handoff must also beat the rules by more than chance in that cross-validation
(net texts gained above 1.645 standard deviations of a sign test): below 200 tickets no model gets a say and accuracy stays the
rules' own, from 200 on the model decides a few per cent of texts and accuracy on the complaints rises; the price is a smaller
gain with all 424 tickets (0.729 against 0.741 before, within the spread of the draws then). The second table is why the confirmed
tickets are read: a model taught only the rules' mistakes looks better than the rules in its own cross-validation (every text it
moves was misread by the rules) and overrules them too often; the sign test cannot see that.

Rerun on 2026-12-07, late evening (the tables above), after the shipped category model began to speak in simplified Chinese too
(nlp/category-model.ts; it decides 4 % of B before any correction): with no correction B reads 0.772 (0.790 on its complaints;
0.745 and 0.753 in the previous run, the rules alone). Corrections then give 0.772, 0.773, 0.768, 0.775 and 0.783 over all texts
and 0.790, 0.793, 0.789, 0.793 and 0.801 on the complaints: the means of the draws dip by one text of 263 at 200 tickets (some
draws lose 3, others none) and gain from 400 on. Not monotonic: the goal is missed. In the previous run, with the rules alone
under the trained model, it was monotonic on the complaints (0.753 → 0.766).

Rerun on 2026-12-08 (the tables above), after the shipped category model learned from two more authors and speaks a little more
(it decides 5 % of B before any correction; B reads 0.768 with none, 0.785 on its complaints): on the complaints the curve no
longer falls (0.785 up to 400 tickets, 0.793 with all 424), over all texts it still dips by a fraction of a text at 200 tickets
(one draw of five loses 2 texts of 263, the others none). Not monotonic over all texts: the goal is still missed, by less.`;
console.log(body);
if (values.write) writeResultsSpan('nlp-learning-curve', body);

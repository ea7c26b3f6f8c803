/**
 * `gateway train --from-history`: the statistical model trained on what agents taught the gateway
 * (their category corrections, kept in `labelled_examples`), plus any labelled CSV. The bench
 * (bench/nlp/learning-curve.bench.ts) trains through the same functions.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CategoriesSettings } from '../../config/categories.schema.js';
import { seededRandom } from '../../nlp/seeded-random.js';
import { TextModel, type TrainOptions } from '../../nlp/text-model.js';
import { OTHER, type UnderstandingEngine } from '../../nlp/understanding.js';

/**
 * A category the model learns from a single ticket would overrule unsure rules on the strength of one
 * agent's one click: two examples are the least that shows a pattern.
 */
export const MIN_EXAMPLES_PER_LABEL = 2;

/** How many examples of one label were found, where from, and whether training used them. */
export interface LabelCount {
  label: string;
  history: number;
  extra: number;
  /** Why the label was left out, when it was. */
  leftOut?: string;
}

export interface HistoryTrainingSet {
  texts: string[];
  labels: string[];
  counts: LabelCount[];
}

/** Labelled rows from a CSV/JSONL file given beside the history. */
export interface ExtraExamples {
  file: string;
  texts: string[];
  labels: string[];
}

const SUB_CODE = /^([A-Z]{2,5})-\d{2}$/;

/**
 * The training set at category level (PQ, LG…, OTHER). nlp/understanding.ts takes either a category
 * or a sub-code from the model; categories are what routing and SLAs hang on, agents correct them far
 * more often than sub-codes, and a category pools all its sub-codes' examples (a sub-code label would
 * need several corrections per sub-code before it helped). The sub-code still comes from the keyword
 * rules when they agree on the category. A CSV's sub-code labels (PQ-01) count for their category.
 *
 * Throws, naming the counts, when fewer than two categories have enough examples.
 */
export function historyTrainingSet(
  history: Array<{ text: string; category: string }>,
  extra: ExtraExamples | undefined,
  categories: CategoriesSettings,
  minPerLabel = MIN_EXAMPLES_PER_LABEL,
): HistoryTrainingSet {
  const codes = new Set([...categories.categories.map((c) => c.code), OTHER]);
  const extraLabels = (extra?.labels ?? []).map((l) => {
    const code = l.trim().toUpperCase();
    return SUB_CODE.exec(code)?.[1] ?? code;
  });
  const unknown = [...new Set((extra?.labels ?? []).filter((_, i) => !codes.has(extraLabels[i]!)))];
  if (extra && unknown.length > 0) {
    const shown = unknown
      .slice(0, 5)
      .map((l) => `"${l}"`)
      .join(', ');
    throw new Error(
      `${extra.file}: label${unknown.length > 1 ? 's' : ''} ${shown}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} ${unknown.length > 1 ? 'are' : 'is'} not a category of categories.yaml (${[...codes].join(', ')}); --from-history trains category codes`,
    );
  }

  const counts = new Map<string, LabelCount>();
  const count = (label: string) => counts.get(label) ?? counts.set(label, { label, history: 0, extra: 0 }).get(label)!;
  for (const e of history) count(e.category).history++;
  for (const l of extraLabels) count(l).extra++;
  for (const c of counts.values()) {
    // A category removed from categories.yaml since the agent chose it: the model must not bring it back.
    if (!codes.has(c.label)) c.leftOut = 'no longer in categories.yaml';
    else if (c.history + c.extra < minPerLabel) c.leftOut = `fewer than ${minPerLabel} examples`;
  }
  const ordered = [...counts.values()].sort((a, b) => b.history + b.extra - (a.history + a.extra) || a.label.localeCompare(b.label));
  const used = ordered.filter((c) => !c.leftOut);
  if (used.length < 2) {
    throw new Error(
      `too few labelled examples to train: ${ordered.length > 0 ? describeCounts(ordered) : 'none stored yet'}. ` +
        `Need at least ${minPerLabel} examples in each of at least 2 categories; every category an agent or lead changes on a ticket (PATCH /api/v1/tickets/:id) adds one.`,
    );
  }
  const keep = new Set(used.map((c) => c.label));
  const texts: string[] = [];
  const labels: string[] = [];
  for (const e of history) {
    if (keep.has(e.category)) {
      texts.push(e.text);
      labels.push(e.category);
    }
  }
  extra?.texts.forEach((t, i) => {
    if (keep.has(extraLabels[i]!)) {
      texts.push(t);
      labels.push(extraLabels[i]!);
    }
  });
  return { texts, labels, counts: ordered };
}

/** "PQ 12 (10 history + 2 extra.csv), LG 8; left out: RL 1 (fewer than 2 examples)". */
export function describeCounts(counts: LabelCount[], extraFile?: string): string {
  const one = (c: LabelCount) =>
    `${c.label} ${c.history + c.extra}${c.extra > 0 ? ` (${c.history} history + ${c.extra} ${extraFile ? path.basename(extraFile) : 'extra'})` : ''}`;
  const used = counts.filter((c) => !c.leftOut).map(one);
  const left = counts.filter((c) => c.leftOut).map((c) => `${one(c)} (${c.leftOut})`);
  return [used.join(', '), left.length > 0 ? `left out: ${left.join(', ')}` : ''].filter(Boolean).join('; ');
}

/** The same model `gateway train` builds (TF-IDF + linear SVM with the categories' synonym fold). */
export function trainFromHistory(set: HistoryTrainingSet, synonyms: Array<[string, string]>, opts: TrainOptions = {}): TextModel {
  return TextModel.trainWithSynonyms(set.texts, set.labels, synonyms, opts);
}

/** The rules' confidences below which a model may be allowed to decide (0: never; 1: wherever it is surer). */
const HANDOFFS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
export const HANDOFF_FOLDS = 5;
/** How many standard deviations a model's net gain over the rules must reach in cross-validation (one-sided, ~95 %). */
const SIGN_TEST_Z = 1.645;

/** What cross-validation said about a model beside the rules. */
export interface HandoffChoice {
  /** Below this confidence of the rules the model may decide. */
  handoff: number;
  /** Held-out examples the cross-validation scored (0 when the set was too small to split). */
  scored: number;
  /** Right answers of the rules alone, and of rules and model at the chosen handoff, on those examples. */
  rulesRight: number;
  combinedRight: number;
}

/**
 * How far a model trained on these examples may overrule unsure rules: k-fold cross-validation on
 * the training set itself. Each fold's model, trained without that fold, reads the fold beside the
 * keyword rules exactly as the gateway combines them (the model decides where the rules' confidence
 * is below the handoff and the model is surer); the handoff with the most right answers wins, ties
 * going to the smaller one, because the rules are what a lead can read and edit. A model that does
 * not beat the rules on what it was taught gets 0 and changes nothing, so more corrections never make
 * the gateway worse than the rules alone. The set should hold the tickets agents left as the rules
 * filed them (`confirmed`) as well as their corrections, or the rules look worse than they are.
 */
export function chooseHandoff(
  set: HistoryTrainingSet,
  rules: UnderstandingEngine,
  synonyms: Array<[string, string]>,
  opts: TrainOptions = {},
  /** categories.yaml's ruleConfidence: the gateway never lets a model decide above it, so neither does this choice. */
  ceiling = 1,
  folds = HANDOFF_FOLDS,
): HandoffChoice {
  const n = set.texts.length;
  const random = seededRandom(0x5eed);
  const fold = Array.from({ length: n }, (_, i) => i % folds);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [fold[i], fold[j]] = [fold[j]!, fold[i]!];
  }
  const seen: Array<{ label: string; rules: string; confidence: number; model: string; probability: number }> = [];
  for (let k = 0; k < folds; k++) {
    const trainIdx = fold.flatMap((f, i) => (f === k ? [] : [i]));
    const testIdx = fold.flatMap((f, i) => (f === k ? [i] : []));
    if (testIdx.length === 0 || new Set(trainIdx.map((i) => set.labels[i])).size < 2) continue;
    const model = TextModel.trainWithSynonyms(
      trainIdx.map((i) => set.texts[i]!),
      trainIdx.map((i) => set.labels[i]!),
      synonyms,
      opts,
    );
    for (const i of testIdx) {
      const text = set.texts[i]!;
      const r = rules.analyze({ text });
      const p = model.predict(text);
      seen.push({ label: set.labels[i]!, rules: r.category, confidence: r.confidence, model: p.label.replace(/-\d{2}$/, ''), probability: p.probability });
    }
  }
  const rulesRight = seen.filter((s) => s.rules === s.label).length;
  let best: HandoffChoice = { handoff: 0, scored: seen.length, rulesRight, combinedRight: rulesRight };
  for (const handoff of [...HANDOFFS.filter((h) => h < ceiling), ceiling]) {
    // Where the model's answer replaces the rules', count the texts it puts right and those it puts wrong.
    let gained = 0;
    let lost = 0;
    for (const s of seen) {
      if (!(s.confidence < handoff && s.probability > s.confidence) || s.model === s.rules) continue;
      if (s.model === s.label) gained++;
      else if (s.rules === s.label) lost++;
    }
    // A handoff must beat the rules by more than chance (a one-sided sign test at about 95 %): with
    // a few dozen corrections one or two lucky folds would otherwise hand the model texts the rules
    // read right, and the first corrections would make the gateway worse.
    if (gained - lost <= SIGN_TEST_Z * Math.sqrt(gained + lost)) continue;
    const right = rulesRight + gained - lost;
    if (right > best.combinedRight) best = { handoff, scored: seen.length, rulesRight, combinedRight: right };
  }
  return best;
}

/**
 * Writes the model beside its final name and renames it into place, so a gateway watching the file
 * never reads half a model.
 */
export function writeModelFile(file: string, model: TextModel): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(model.toJSON()));
  renameSync(tmp, file);
}

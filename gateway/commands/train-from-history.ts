/**
 * `gateway train --from-history`: the statistical model trained on what agents taught the gateway
 * (their category corrections, kept in `labelled_examples`), plus any labelled CSV. The bench
 * (bench/nlp/learning-curve.bench.ts) trains through the same functions.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CategoriesSettings } from '../../config/categories.schema.js';
import { TextModel, type TrainOptions } from '../../nlp/text-model.js';
import { OTHER } from '../../nlp/understanding.js';

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

/**
 * Writes the model beside its final name and renames it into place, so a gateway watching the file
 * never reads half a model.
 */
export function writeModelFile(file: string, model: TextModel): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(model.toJSON()));
  renameSync(tmp, file);
}

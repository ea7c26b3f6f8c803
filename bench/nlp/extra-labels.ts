/**
 * The negative reviews labelled after the dev set (bench/nlp/labels, see its README): labels and
 * each text's sha256 are in the repository, the texts are joined from ../shared/data's sample.csv
 * files at run time. Each batch is cut by the dev set's own hash: the first 400 into half C (read for
 * tuning) and half D (reported only), the next 400 into C2 (read for tuning) and D2 (reported only), the 400 after them into C3
 * and D3 the same way.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseCsvObjects } from '../../nlp/csv.js';
import { sharedData } from '../shared-data.js';

export interface ExtraLabelledReview {
  text: string;
  category: string;
  severity: number;
  source: string;
  half: 'C' | 'D' | 'C2' | 'D2' | 'C3' | 'D3';
}

/** The dev set's halves: A (tuned on) or B (reported), by a fixed hash of the text. */
export const devHalf = (text: string): 'A' | 'B' => (createHash('sha256').update('complaints-dev-half\0').update(text).digest()[0]! < 128 ? 'A' : 'B');

export function readExtraLabelled(): ExtraLabelledReview[] {
  const sampleTexts = new Map<string, string>();
  for (const name of ['online_shopping_10_cats', 'waimai_10k']) {
    for (const row of parseCsvObjects(readFileSync(sharedData(name, 'sample.csv'), 'utf8'))) {
      if (row.review) sampleTexts.set(createHash('sha256').update(row.review).digest('hex'), row.review);
    }
  }
  const batches = [
    { file: 'labels/complaints-extra.labels.jsonl', read: 'C', reported: 'D' },
    { file: 'labels/complaints-extra-2.labels.jsonl', read: 'C2', reported: 'D2' },
    { file: 'labels/complaints-extra-3.labels.jsonl', read: 'C3', reported: 'D3' },
  ] as const;
  return batches.flatMap((batch) => readBatch(batch.file, sampleTexts, batch.read, batch.reported));
}

function readBatch(
  file: string,
  sampleTexts: ReadonlyMap<string, string>,
  read: ExtraLabelledReview['half'],
  reported: ExtraLabelledReview['half'],
): ExtraLabelledReview[] {
  return readFileSync(new URL(file, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { sha256: string; category: string; severity: number; source: string })
    .flatMap((l) => {
      const text = sampleTexts.get(l.sha256);
      return text === undefined ? [] : [{ text, category: l.category, severity: l.severity, source: l.source, half: devHalf(text) === 'A' ? read : reported }];
    });
}

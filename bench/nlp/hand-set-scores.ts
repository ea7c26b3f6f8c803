/**
 * Scores of our hand-written labelled sets (test/fixtures/nlp and nlp-heldout) for bench/nlp/complaints-dev.bench.ts: exact
 * category (INQ and OTHER included) and urgent (severity ≤ 2) recall and precision, by language, as markdown tables.
 */
import { readFileSync } from 'node:fs';
import type { UnderstandingEngine } from '../../nlp/understanding.js';

export interface Hand {
  text: string;
  category: string;
  severity: number;
}
interface Stats {
  n: number;
  right: number;
  urgent: number;
  urgentCaught: number;
  flagged: number;
  flaggedRight: number;
}
export type HandScore = Record<string, Stats>;

const NOT_COMPLAINT = new Set(['OTHER', 'INQ']);
const LANGUAGES = ['zh-Hans', 'zh-Hant', 'en', 'all'];

/** a / b to three places, '—' for nothing to divide. */
export const pct = (a: number, b: number) => (b === 0 ? '—' : (a / b).toFixed(3));

export const readJsonl = (path: string): Hand[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** The scoring functions, reading with `engine`. */
export function handSetScorer(engine: UnderstandingEngine) {
  const langOf = (text: string) => (/[\u4e00-\u9fff]/.test(text) ? (engine.analyze({ text }).language === 'zh-Hant' ? 'zh-Hant' : 'zh-Hans') : 'en');

  /** Exact category (INQ and OTHER included) and urgent (severity ≤ 2) recall and precision, by language. */
  function scoreHandSet(set: Hand[], listErrors: boolean): HandScore {
    const score: HandScore = {};
    for (const r of set) {
      const u = engine.analyze({ text: r.text });
      for (const key of [langOf(r.text), 'all']) {
        const s = (score[key] ??= { n: 0, right: 0, urgent: 0, urgentCaught: 0, flagged: 0, flaggedRight: 0 });
        s.n++;
        if (u.category === r.category) s.right++;
        if (r.severity <= 2) s.urgent++;
        if (u.severity <= 2) s.flagged++;
        if (r.severity <= 2 && u.severity <= 2) {
          s.urgentCaught++;
          s.flaggedRight++;
        }
      }
      if (listErrors && (u.category !== r.category || r.severity <= 2 !== u.severity <= 2)) {
        console.log(`${r.category}/${r.severity} got ${u.category}/${u.severity} ${r.text}`);
      }
    }
    return score;
  }

  /** By language: exact category (OTHER or INQ), read as a complaint (any other category), flagged urgent. */
  function notComplaintTable(set: Hand[]): string {
    const by = new Map<string, { n: number; right: number; complaint: number; urgent: number }>();
    for (const r of set) {
      const u = engine.analyze({ text: r.text });
      for (const key of [langOf(r.text), 'all']) {
        const s = by.get(key) ?? { n: 0, right: 0, complaint: 0, urgent: 0 };
        s.n++;
        if (u.category === r.category) s.right++;
        if (!NOT_COMPLAINT.has(u.category)) s.complaint++;
        if (u.severity <= 2) s.urgent++;
        by.set(key, s);
      }
    }
    const lines = ['| language | texts | accuracy | read as a complaint | flagged urgent |', '|---|---:|---:|---:|---:|'];
    for (const key of LANGUAGES) {
      const s = by.get(key);
      if (s) lines.push(`| ${key} | ${s.n} | ${pct(s.right, s.n)} (${s.right}/${s.n}) | ${pct(s.complaint, s.n)} (${s.complaint}/${s.n}) | ${s.urgent} |`);
    }
    return lines.join('\n');
  }

  return { scoreHandSet, notComplaintTable };
}

/** A table by language (zh-Hans, zh-Hant, en, all) of the columns given after "language | texts | accuracy". */
const tableByLanguage = (score: HandScore, columns: Array<[header: string, cell: (s: Stats) => string]>) => {
  const lines = [`| language | texts | accuracy | ${columns.map(([h]) => h).join(' | ')} |`, `|---|---:|---:|${columns.map(() => '---:|').join('')}`];
  for (const key of LANGUAGES) {
    const s = score[key];
    if (s) lines.push(`| ${key} | ${s.n} | ${pct(s.right, s.n)} (${s.right}/${s.n}) | ${columns.map(([, cell]) => cell(s)).join(' | ')} |`);
  }
  return lines.join('\n');
};

/** Accuracy, urgent recall and urgent precision by language. */
export const handTableOf = (score: HandScore) =>
  tableByLanguage(score, [
    ['urgent recall', (s) => `${pct(s.urgentCaught, s.urgent)} (${s.urgentCaught}/${s.urgent})`],
    ['urgent precision', (s) => `${pct(s.flaggedRight, s.flagged)} (${s.flaggedRight}/${s.flagged})`],
  ]);

/** A set with no urgent texts: accuracy and how many were flagged urgent anyway. */
export const accuracyTableOf = (score: HandScore) => tableByLanguage(score, [['flagged urgent', (s) => String(s.flagged)]]);

import { expect } from 'chai';
import { loadCategoriesFile } from '../../../config/load-categories.js';
import { UnderstandingEngine } from '../../../nlp/understanding.js';

/** What a message must be read as by the shipped taxonomy (config/categories.yaml and the shipped category model, no trained model). */
export interface Reading {
  category?: string;
  /** Filed as a complaint: neither OTHER nor INQ. */
  complaint?: boolean;
  notCategory?: string;
  subcategory?: string;
  notSubcategory?: string;
  severity?: number;
  /** Severity 1 or 2 (true), or 3 or 4 (false). */
  urgent?: boolean;
  /** Any severity but this one. */
  notSeverity?: number;
  /**
   * Read by the rules alone: the shipped category model (nlp/category-model.ts), which overrules unsure rules where its
   * cross-validation gained, reads this one otherwise, a known cost (bench/RESULTS.md, "Real Chinese complaints").
   */
  byRules?: boolean;
}

/** Groups of cases: each group is one reading, each case a message and what it must be read as. */
export type Readings = Array<[reading: string, cases: Array<[text: string, want: Reading]>]>;

const config = loadCategoriesFile('config/categories.yaml');
const engine = new UnderstandingEngine(config);
// Built on first use: few readings ask for it.
let rulesAlone: UnderstandingEngine | undefined;

export function expectReading(text: string, want: Reading): void {
  const u = (want.byRules ? (rulesAlone ??= new UnderstandingEngine(config, undefined, { learnedCategory: false })) : engine).analyze({ text });
  if (want.category !== undefined) expect(u.category, text).to.equal(want.category);
  if (want.complaint) expect(u.category, text).to.not.be.oneOf(['OTHER', 'INQ']);
  if (want.notCategory !== undefined) expect(u.category, text).to.not.equal(want.notCategory);
  if (want.subcategory !== undefined) expect(u.subcategory, text).to.equal(want.subcategory);
  if (want.notSubcategory !== undefined) expect(u.subcategory, text).to.not.equal(want.notSubcategory);
  if (want.severity !== undefined) expect(u.severity, text).to.equal(want.severity);
  if (want.urgent === true) expect(u.severity, text).to.be.at.most(2);
  if (want.urgent === false) expect(u.severity, text).to.be.above(2);
  if (want.notSeverity !== undefined) expect(u.severity, text).to.not.equal(want.notSeverity);
}

/** One `it` per reading. */
export function itReadsEach(readings: Readings): void {
  for (const [reading, cases] of readings) {
    it(reading, function () {
      for (const [text, want] of cases) expectReading(text, want);
    });
  }
}

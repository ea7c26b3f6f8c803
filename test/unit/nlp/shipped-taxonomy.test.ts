import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { loadCategoriesFile } from '../../../config/load-categories.js';
import { UnderstandingEngine } from '../../../nlp/understanding.js';

/**
 * The taxonomy a new user gets (config/categories.yaml, no trained model) on complaints written by
 * hand for this project (test/fixtures/nlp, see its README): the goals of issue 17 as a floor, so a
 * rule edit that breaks how real people write fails here before it reaches a queue.
 */
const engine = new UnderstandingEngine(loadCategoriesFile('config/categories.yaml'));
const rows: Array<{ text: string; category: string; severity: number }> = readFileSync('test/fixtures/nlp/handwritten-complaints.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));

describe('the shipped taxonomy on hand-written complaints (zh, zh-Hant, en)', function () {
  const results = rows.map((r) => ({ ...r, got: engine.analyze({ text: r.text }) }));

  it('files at least 92 % under the right category (INQ and OTHER included)', function () {
    const wrong = results.filter((r) => r.got.category !== r.category).map((r) => `${r.category} → ${r.got.category}: ${r.text}`);
    expect(1 - wrong.length / results.length, wrong.join('\n')).to.be.at.least(0.92);
  });

  it('flags at least 90 % of the urgent ones (severity ≤ 2) at a precision of at least 80 %', function () {
    const urgent = results.filter((r) => r.severity <= 2);
    const flagged = results.filter((r) => r.got.severity <= 2);
    const caught = urgent.filter((r) => r.got.severity <= 2);
    expect(caught.length / urgent.length, urgent.filter((r) => r.got.severity > 2).map((r) => r.text).join('\n')).to.be.at.least(0.9);
    expect(caught.length / flagged.length, flagged.filter((r) => r.severity > 2).map((r) => r.text).join('\n')).to.be.at.least(0.8);
  });

  it('reads the README\'s own examples as a user would', function () {
    expect(engine.analyze({ text: 'The kettle I bought leaks.' }).category).to.equal('PQ');
    expect(engine.analyze({ text: '我的个人信息被泄露了，经常接到骚扰电话' })).to.include({ category: 'RL', severity: 1 });
    expect(engine.analyze({ text: '怎么申请退货' }).category).to.equal('INQ');
    expect(engine.analyze({ text: '东西很好，快递也快，谢谢' })).to.include({ category: 'OTHER', severity: 4 });
    expect(engine.analyze({ text: '外賣送了兩個小時才到，飯菜全涼了' }).category).to.equal('LG');
  });
});

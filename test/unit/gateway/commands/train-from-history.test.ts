import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { expect } from 'chai';
import { runNlpCommand } from '../../../../gateway/commands/nlp.command.js';
import { chooseHandoff, describeCounts, historyTrainingSet, trainFromHistory } from '../../../../gateway/commands/train-from-history.js';
import { TextModel } from '../../../../nlp/text-model.js';
import { UnderstandingEngine } from '../../../../nlp/understanding.js';
import { loadCategoriesFile } from '../../../../config/load-categories.js';

const categories = loadCategoriesFile('config/categories.yaml');
const gate = (n: number) => ({ text: `小区门口的道闸杆第${n}次抬不起来`, category: 'PQ' });
/** Ordinary complaints the rules already file right, with labels that agree with them. */
const rulesAgree = [
  ['快递五天了还没送到', 'LG'],
  ['外卖送了两个小时才到', 'LG'],
  ['包裹显示签收了但我没收到', 'LG'],
  ['快递员把包裹扔在门口就走了', 'LG'],
  ['新买的电水壶漏水', 'PQ'],
  ['耳机一边没有声音', 'PQ'],
  ['衣服洗了一次就掉色', 'PQ'],
  ['手机屏幕用两天就花了', 'PQ'],
  ['客服态度很差，挂我电话', 'SP'],
  ['退款申请了半个月还没退', 'SP'],
  ['维修等了一个月还没修好', 'SP'],
  ['打了十几次客服电话都没人接', 'SP'],
].map(([text, category]) => ({ text: text!, category: category! }));
const fountain = (n: number) => ({ text: `楼下喷泉第${n}个晚上一直哗哗响`, category: 'SP' });

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('gateway train --from-history', () => {
  it('refuses with the counts when fewer than two categories have two examples', () => {
    const message = refusal(() => historyTrainingSet([gate(1), gate(2), gate(3), fountain(1)], undefined, categories));
    expect(message).to.include('too few labelled examples to train: PQ 3; left out: SP 1 (fewer than 2 examples)');
    expect(message).to.include('at least 2 categories');
    expect(refusal(() => historyTrainingSet([], undefined, categories))).to.include('none stored yet');
  });

  it('trains at category level; a CSV’s sub-code labels count for their category, unknown labels are refused by name', () => {
    const extra = { file: 'extra.csv', texts: ['道闸杆卡住不动', '喷泉吵到半夜'], labels: ['pq-05', 'SP'] };
    const set = historyTrainingSet([gate(1), fountain(1), fountain(2)], extra, categories);
    expect(set.labels).to.deep.equal(['PQ', 'SP', 'SP', 'PQ', 'SP']);
    expect(describeCounts(set.counts, 'extra.csv')).to.equal('SP 3 (2 history + 1 extra.csv), PQ 2 (1 history + 1 extra.csv)');
    const model = trainFromHistory(set, [], { epochs: 10 });
    expect(model.labels).to.deep.equal(['PQ', 'SP']);
    expect(model.predict('道闸杆又抬不起来了').label).to.equal('PQ');

    const bad = { file: 'extra.csv', texts: ['a', 'b'], labels: ['quality', 'late'] };
    expect(refusal(() => historyTrainingSet([gate(1), gate(2)], bad, categories))).to.match(
      /^extra\.csv: labels "quality", "late" are not a category of categories\.yaml \(PQ, .*OTHER\)/,
    );
  });

  it('leaves out a category that is no longer in categories.yaml', () => {
    const set = historyTrainingSet(
      [gate(1), gate(2), fountain(1), fountain(2), { text: '旧分类', category: 'XX' }, { text: '旧分类二', category: 'XX' }],
      undefined,
      categories,
    );
    expect(new Set(set.labels)).to.deep.equal(new Set(['PQ', 'SP']));
    expect(describeCounts(set.counts)).to.include('left out: XX 2 (no longer in categories.yaml)');
  });

  it('says so, and writes nothing, when the gateway’s database holds no corrections yet', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'train-history-'));
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = `sqlite:${path.join(dir, 'gw.sqlite')}`;
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += d));
    try {
      const out = path.join(dir, 'model.json');
      writeFileSync(out, 'previous model');
      const code = await runNlpCommand('train', ['--from-history', '--out', out], { stdin: Readable.from([]), stdout: new PassThrough(), stderr });
      expect(code).to.equal(1);
      expect(err).to.include('gateway train: too few labelled examples to train: none stored yet');
      expect(readFileSync(out, 'utf8')).to.equal('previous model');
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  describe('how far the model may overrule the rules (handoff, chosen by cross-validation)', () => {
    const rules = new UnderstandingEngine(categories);
    const synonyms = rules.synonymPairs();

    it('lets a model decide where it taught the gateway something the rules do not know', () => {
      const set = historyTrainingSet([...[1, 2, 3, 4, 5].map(gate), ...[1, 2, 3, 4, 5].map(fountain)], undefined, categories);
      const choice = chooseHandoff(set, rules, synonyms, {}, categories.ruleConfidence);
      expect(choice.scored).to.equal(10);
      expect(choice.combinedRight).to.be.above(choice.rulesRight);
      expect(choice.handoff).to.be.above(0).and.at.most(categories.ruleConfidence);
      // Used as the gateway uses it: a new gate complaint goes the agents' way.
      const engine = new UnderstandingEngine(categories, trainFromHistory(set, synonyms).withHandoff(choice.handoff));
      expect(engine.analyze({ text: '小区门口的道闸杆今天又抬不起来了' }).category).to.equal('PQ');
    });

    it('gives 0 to a model that does not beat the rules, so the rules alone decide as before', () => {
      // Ordinary complaints the rules already file right, with labels that agree with them.
      const texts = rulesAgree;
      for (const t of texts) expect(rules.analyze({ text: t.text }).category, t.text).to.equal(t.category);
      const choice = chooseHandoff(historyTrainingSet(texts, undefined, categories), rules, synonyms);
      expect(choice).to.include({ handoff: 0, rulesRight: 12, combinedRight: 12 });
    });

    it('gives 0 when the model beats the rules on too few texts to tell from luck', () => {
      // Twelve complaints the rules file right and two corrections of a kind they miss: a model that
      // gets both in cross-validation is right twice where the rules were not, which chance alone can do.
      const set = historyTrainingSet([...rulesAgree, ...[1, 2].map(gate)], undefined, categories);
      const choice = chooseHandoff(set, rules, synonyms, {}, categories.ruleConfidence);
      expect(choice.handoff).to.equal(0);
      expect(choice.combinedRight).to.equal(choice.rulesRight);
    });

    it('is kept in the model file, and a file with a handoff outside 0-1 is refused', () => {
      const set = historyTrainingSet([...[1, 2, 3].map(gate), ...[1, 2, 3].map(fountain)], undefined, categories);
      const model = trainFromHistory(set, synonyms).withHandoff(0.4);
      const json = JSON.parse(JSON.stringify(model.toJSON()));
      expect(json.handoff).to.equal(0.4);
      expect(TextModel.fromJSON(json).handoff).to.equal(0.4);
      expect(() => TextModel.fromJSON({ ...json, handoff: 2 })).to.throw('model has a handoff of 2; expected a number between 0 and 1');
      expect(() => model.withHandoff(-0.1)).to.throw('handoff must be between 0 and 1');
    });
  });
});

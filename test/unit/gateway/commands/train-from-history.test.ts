import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { expect } from 'chai';
import { runNlpCommand } from '../../../../gateway/commands/nlp.command.js';
import { describeCounts, historyTrainingSet, trainFromHistory } from '../../../../gateway/commands/train-from-history.js';
import { loadCategoriesFile } from '../../../../config/load-categories.js';

const categories = loadCategoriesFile('config/categories.yaml');
const gate = (n: number) => ({ text: `小区门口的道闸杆第${n}次抬不起来`, category: 'PQ' });
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
});

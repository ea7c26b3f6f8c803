import { expect } from 'chai';
import { applyAnswerPolicy, type MessageReading, type PartReading } from '../../../../nlp/faq/answer-policy.js';

/** A part that matched entries 0..n-1 with these probabilities and similarities. */
type Signals = Partial<Pick<PartReading, 'asks' | 'asksExplicitly' | 'contentFree'>>;
function part(text: string, probabilities: number[], similarity: number[], signals: Signals = {}): PartReading {
  const order = probabilities
    .map((_, e) => e)
    .filter((e) => similarity[e]! > 0)
    .sort((a, b) => probabilities[b]! - probabilities[a]!);
  return {
    text,
    probabilities: Float64Array.from(probabilities),
    similarity: Float64Array.from(similarity),
    bestParaphrase: Int32Array.from(similarity, (s) => (s > 0 ? 0 : -1)),
    best: order[0] ?? -1,
    second: order[1] ?? -1,
    asks: signals.asks ?? false,
    asksExplicitly: signals.asksExplicitly ?? false,
    contentFree: signals.contentFree ?? false,
  };
}
const settings = { threshold: 0.5, minMargin: 0.2, minSimilarity: 0.15 };
const message = (parts: PartReading[], complains = false): MessageReading => ({ parts, clauses: parts.length > 1 ? parts.length - 1 : 1, complains });
const asks = { asks: true, asksExplicitly: true };

describe('answer policy: which part of a message decides, and whether the bot answers', () => {
  it('the whole message decides when it is clear, even if a clause alone points elsewhere', () => {
    const whole = part('when can i expect my card / i live in the us', [0.8, 0.2], [0.4, 0.3], asks);
    const clause2 = part('i live in the us', [0.05, 0.95], [0.1, 0.6]);
    const o = applyAnswerPolicy(message([whole, part('when can i expect my card', [0.9, 0.1], [0.5, 0.1], asks), clause2]), settings);
    expect(o).to.include({ answers: true, part: whole });
  });

  it('when the whole is not clear, the clearest question among the clauses decides', () => {
    const question = part('怎么申请退货', [0.9, 0.1], [0.5, 0.2], asks);
    const o = applyAnswerPolicy(message([part('…', [0.4, 0.6], [0.1, 0.1], asks), part('我上周买的裙子不合身', [0.3, 0.7], [0.05, 0.1]), question]), settings);
    expect(o).to.include({ answers: true, part: question });
  });

  it('a statement clause does not decide for a longer message, but "想退货，要怎么弄？" lends it the question', () => {
    const statement = part('想退货', [0.9, 0.1], [0.5, 0.1]);
    const howTo = part('要怎么弄', [0.5, 0.5], [0.05, 0.05], { ...asks, contentFree: true });
    expect(applyAnswerPolicy(message([part('…', [0.5, 0.5], [0.1, 0.1], asks), statement, howTo]), settings)).to.include({ answers: true, part: statement });
    const story = part('我打电话问过客服', [0.1, 0.9], [0.05, 0.3]);
    const o = applyAnswerPolicy(message([part('…', [0.5, 0.5], [0.1, 0.1]), part('水壶漏水了', [0.5, 0.5], [0.02, 0.02]), story]), settings);
    expect(o).to.include({ answers: false, withheld: 'not-asked' });
  });

  it('a message that asks nothing is answered only when every clause is about the entry, and not if it complains', () => {
    const a = part('cancel my order', [0.9, 0.1], [0.6, 0.1]);
    const b = part('i bought it by mistake', [0.8, 0.2], [0.3, 0.1]);
    expect(applyAnswerPolicy(message([part('…', [0.9, 0.1], [0.5, 0.1]), a, b]), settings).answers).to.equal(true);
    expect(applyAnswerPolicy(message([part('…', [0.9, 0.1], [0.5, 0.1]), a, b], true), settings)).to.include({ answers: false, withheld: 'not-asked' });
  });

  it('a complaint is answered only for a question it asks explicitly', () => {
    const implicit = part('千万别买什么第三方的东西', [0.9, 0.1], [0.4, 0.1], { asks: true });
    expect(applyAnswerPolicy(message([implicit], true), settings).answers).to.equal(false);
    const explicit = part('到底什么时候能到', [0.9, 0.1], [0.4, 0.1], asks);
    const rant = message([part('…', [0.4, 0.6], [0.1, 0.1], asks), part('太坑了', [0.5, 0.5], [0.01, 0.01]), explicit], true);
    expect(applyAnswerPolicy(rant, settings)).to.include({ answers: true, part: explicit });
  });

  it('says why it withholds: too little shared wording, too unsure, too close to the runner-up', () => {
    expect(applyAnswerPolicy(message([part('x', [0.9, 0.1], [0.1, 0.05], asks)]), settings).withheld).to.equal('low-similarity');
    expect(applyAnswerPolicy(message([part('x', [0.45, 0.1], [0.3, 0.2], asks)]), settings).withheld).to.equal('below-threshold');
    expect(applyAnswerPolicy(message([part('x', [0.55, 0.45], [0.3, 0.2], asks)]), settings).withheld).to.equal('too-close');
    expect(applyAnswerPolicy(message([]), settings)).to.deep.equal({ answers: false });
  });
});

import { expect } from 'chai';
import { readSurveyReply } from '../../../nlp/csat-reply.js';

/** Real ways customers answer "please rate us 1–5", in zh and en, and what each means. */
const REPLIES: Array<[string, number | undefined, (string | null)?]> = [
  ['5', 5],
  ['1', 1],
  ['3', 3],
  ['５', 5],
  ['5分', 5],
  ['4分，客服态度很好', 4, '客服态度很好'],
  ['5星', 5],
  ['五星', 5],
  ['五星好评', 5],
  ['三分吧', 3, '吧'],
  ['一星', 1],
  ['两分', 2],
  ['我给5分', 5],
  ['给4分 处理挺快的', 4, '处理挺快的'],
  ['非常满意', 5],
  ['非常满意！谢谢小张', 5, '谢谢小张'],
  ['很满意', 5],
  ['满意', 4],
  ['比较满意', 4],
  ['还不错', 4],
  ['不错', 4],
  ['挺好的', 4, '的'],
  ['还行', 3],
  ['一般', 3],
  ['一般般吧', 3, '吧'],
  ['不满意', 2],
  ['不满意，问题根本没解决', 2, '问题根本没解决'],
  ['不太满意', 2],
  ['非常不满意', 1],
  ['太差了，再也不买了', 1, '再也不买了'],
  ['差评', 1],
  ['★★★★', 4],
  ['⭐⭐⭐⭐⭐', 5],
  ['👍', 4],
  ['👍👍', 5],
  ['👎', 2],
  ['😡', 1],
  ['5/5', 5],
  ['4 stars', 4],
  ['5 - great service, thanks', 5, 'great service, thanks'],
  ['2 - still waiting for the refund', 2, 'still waiting for the refund'],
  ['Excellent', 5],
  ['very satisfied', 5],
  ['good', 4],
  ['ok', 3],
  ['not bad', 3],
  ['bad', 2],
  ['Terrible, nobody called me back', 1, 'nobody called me back'],
  ['dissatisfied', 2],
  ["I'd give 4", 4],
  // Not an answer: a new message about the problem, a number that is not a rating, a question.
  ['我的快递还没到', undefined],
  ['订单 12345 还没退款', undefined],
  ['10', undefined],
  ['0', undefined],
  ['2.5', undefined],
  ['what does the rating mean?', undefined],
  ['goods arrived broken again', undefined],
  ['', undefined],
];

describe('reading a satisfaction reply (1–5, words, stars, emoji; zh and en)', () => {
  for (const [text, score, comment] of REPLIES) {
    it(`${JSON.stringify(text)} → ${score ?? 'not a rating'}`, () => {
      const r = readSurveyReply(text);
      if (score === undefined) {
        expect(r).to.equal(undefined);
        return;
      }
      expect(r?.score).to.equal(score);
      if (comment !== undefined) expect(r?.comment).to.equal(comment);
    });
  }

  it('covers at least 40 real replies', () => {
    expect(REPLIES.filter(([, s]) => s !== undefined).length).to.be.at.least(40);
  });
});

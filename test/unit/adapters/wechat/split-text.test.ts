import { expect } from 'chai';
import { splitUtf8 } from '../../../../adapters/wechat/split-text.js';

describe('splitUtf8', () => {
  it('keeps a short text whole', () => {
    expect(splitUtf8('您好，已为您登记。', 2000)).to.deep.equal(['您好，已为您登记。']);
  });

  it('cuts Chinese text at sentence ends, every part within the byte limit, nothing lost', () => {
    const sentence = '您的投诉已登记，工单号 C-20261124-0042。';
    const text = sentence.repeat(100);
    const parts = splitUtf8(text, 2000);
    expect(parts.length).to.be.greaterThan(1);
    for (const p of parts) {
      expect(Buffer.byteLength(p, 'utf8')).to.be.at.most(2000);
      expect(p.endsWith('。')).to.equal(true);
    }
    expect(parts.join('')).to.equal(text);
  });

  it('never splits an emoji surrogate pair', () => {
    const parts = splitUtf8('😀'.repeat(10), 9);
    expect(parts).to.deep.equal(['😀😀', '😀😀', '😀😀', '😀😀', '😀😀']);
  });
});

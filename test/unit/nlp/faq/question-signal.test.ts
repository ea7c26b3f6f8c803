import { expect } from 'chai';
import { isContentFree, questionKind, soundsLikeComplaint } from '../../../../nlp/faq/question-signal.js';
import { foldText } from '../../../../nlp/text-normalizer.js';

const kind = (text: string) => {
  const t = foldText(text).folded;
  return questionKind({ raw: t, text: t });
};

describe('question signals: does a clause ask, and what about', () => {
  it('questions with a mark, a final particle or question word order are explicit', () => {
    const asked = [
      '退货运费谁出？',
      '能开发票吗',
      '退款到账了没呢',
      'when will my refund arrive',
      'what time does the store open',
      'can i pay by card',
      'do you ship to macau',
    ];
    for (const q of asked) {
      expect(kind(q), q).to.equal('explicit');
    }
  });

  it('a final 不 / 没 after a modal asks as plainly as 吗 (colloquial A-not-A), but "还没" states', () => {
    for (const q of ['能退差价不', '能退不', '有货没', '可以开发票不', '是正品不？']) expect(kind(q), q).to.equal('explicit');
    for (const q of ['快递还没', '我都说了不', '不', '我让他送上楼，但是他没']) expect(kind(q), q).to.not.equal('explicit');
  });

  it('a question word alone asks too, less surely', () => {
    for (const q of ['退款要几天', '怎么改地址', '包不包邮', '发没发货', 'how long for a refund', 'i want to know the opening hours']) {
      expect(kind(q), q).to.equal('implicit');
    }
  });

  it('statements that borrow question words do not ask', () => {
    const told = ['用了几天就坏了', '裤子刚穿几天', '服务不咋滴', 'when i called i was put on hold', 'what i paid was too much'];
    for (const q of [...told, 'can not get any help', 'have not received anything', 'do not send me emails', 'have a nice weekend', 'have a great day!']) {
      expect(kind(q), q).to.equal('none');
    }
  });

  it('rhetorical questions demand, they do not ask', () => {
    for (const q of [
      '你们怎么发货的？',
      '怎么这么慢',
      '快递怎么还没到！',
      '凭什么不给退',
      '这有什么用？',
      'how could you send me a broken phone?',
      'are you kidding me?',
      '你们到底管不管啊',
      '有没有人管？',
      '你们是不是倒闭了',
      'does anyone even care?',
      'is anyone there??',
    ]) {
      expect(kind(q), q).to.equal('none');
    }
  });

  it('a clause of question words only says that something is asked, not what', () => {
    for (const q of ['为什么', '怎么办呢', '要怎么弄', 'how?', 'can you help me']) expect(isContentFree(foldText(q).folded), q).to.equal(true);
    for (const q of ['怎么退货', '发票', 'how do i return it']) expect(isContentFree(foldText(q).folded), q).to.equal(false);
  });

  it('words of dissatisfaction mark a complaint in either language', () => {
    for (const q of ['快递太慢了，差评', '客服态度恶劣', 'The courier was rude', 'this is unacceptable'])
      expect(soundsLikeComplaint(foldText(q).folded), q).to.equal(true);
    for (const q of ['退款多久到账', 'how do i return an item']) expect(soundsLikeComplaint(foldText(q).folded), q).to.equal(false);
  });
});

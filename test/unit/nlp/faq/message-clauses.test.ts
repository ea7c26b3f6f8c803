import { expect } from 'chai';
import { messageClauses } from '../../../../nlp/faq/message-clauses.js';
import { foldText } from '../../../../nlp/text-normalizer.js';

const clauses = (text: string) => messageClauses(foldText(text).folded).map((c) => c.text);

describe('messageClauses: what a customer message says, clause by clause', () => {
  it('drops greetings, thanks and the order number around a question', () => {
    expect(clauses('您好，订单号：DD20261124001，请问怎么退货？谢谢！')).to.deep.equal(['怎么退货']);
    expect(clauses('Hi there, order no. 12345678. Where is my parcel? Thanks!')).to.deep.equal(['where is my parcel']);
    expect(clauses('Hello, my order is 98127734. Where is my parcel right now?')).to.deep.equal(['where is my parcel right now']);
    expect(clauses('C-20261130-0042 进度如何')).to.deep.equal(['进度如何']);
  });

  it('splits at Chinese and English punctuation, line breaks, spaces between Chinese words and connectors', () => {
    expect(clauses('衣服不合适，想退货。另外发票怎么开？')).to.deep.equal(['衣服不合适', '想退货', '发票怎么开']);
    expect(clauses('你好 我想退货 怎么弄')).to.deep.equal(['我想退货', '怎么弄']);
    expect(clauses('I want to return my shoes and how long is the refund?')).to.deep.equal(['i want to return my shoes', 'how long is the refund']);
    expect(clauses('收到了但是颜色跟图片差好多\n能换吗')).to.deep.equal(['收到了', '颜色跟图片差好多', '能换吗']);
  });

  it('keeps what only looks like a break: a list, a decimal, a time, "还有" meaning "still have"', () => {
    expect(clauses('可以用微信、支付宝付款吗')).to.deep.equal(['可以用微信、支付宝付款吗']);
    expect(clauses('运费是2.5元吗')).to.deep.equal(['运费是2.5元吗']);
    expect(clauses('客服9:00上班吗')).to.deep.equal(['客服9:00上班吗']);
    expect(clauses('这个颜色还有货吗')).to.deep.equal(['这个颜色还有货吗']);
    expect(clauses('早点发货可以吗')).to.deep.equal(['早点发货可以吗']);
  });

  it('keeps the question mark and lead-in of a clause for question detection', () => {
    const [only] = messageClauses(foldText('我想问一下，退货运费谁出？').folded);
    expect(only!.text).to.equal('退货运费谁出');
    expect(only!.raw).to.equal('我想问一下,退货运费谁出?'); // folded: full-width punctuation is half-width
  });

  it('a message of greetings only has no clause', () => {
    expect(clauses('亲，在吗？')).to.deep.equal([]);
    expect(clauses('hello?')).to.deep.equal([]);
    expect(clauses('')).to.deep.equal([]);
  });
});

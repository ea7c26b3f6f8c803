import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { questionLanguage, withParaphrase } from '../../../gateway/faq-paraphrase.js';

describe('adding a question paraphrase to faq.yaml', () => {
  const shipped = readFileSync('config/faq.yaml', 'utf8');

  it('appends to the entry’s flow list and changes no other line', () => {
    const out = withParaphrase(shipped, 'refund-time', '退款怎么这么慢, 还要等多久', 'zh');
    const before = shipped.split('\n');
    const after = out.split('\n');
    expect(after.length).to.equal(before.length);
    const changed = after.map((l, i) => (l === before[i] ? -1 : i)).filter((i) => i >= 0);
    expect(changed).to.have.length(1);
    const entry = (parse(out).entries as Array<{ id: string; questions: { zh: string[] } }>).find((e) => e.id === 'refund-time')!;
    expect(entry.questions.zh.at(-1)).to.equal('退款怎么这么慢, 还要等多久');
  });

  it('appends to a block list at its indentation', () => {
    const text = 'entries:\n  - id: hours\n    questions:\n      en:\n        - when are you open\n        - opening hours # common\n    answers: {}\n';
    const out = withParaphrase(text, 'hours', 'are you open on "Sunday"?', 'en');
    expect(out).to.equal(
      'entries:\n  - id: hours\n    questions:\n      en:\n        - when are you open\n        - opening hours # common\n        - "are you open on \\"Sunday\\"?"\n    answers: {}\n',
    );
    expect(parse(out).entries[0].questions.en).to.deep.equal(['when are you open', 'opening hours', 'are you open on "Sunday"?']);
  });

  it('refuses an unknown entry, a question it already has, and a language the entry has no list for', () => {
    expect(() => withParaphrase(shipped, 'no-such-entry', 'x', 'en')).to.throw(/no entry "no-such-entry"/);
    expect(() => withParaphrase(shipped, 'return-how', '怎么退货', 'zh')).to.throw(/already has the question/);
    expect(() => withParaphrase('entries:\n  - id: a\n    questions: { zh: [你好] }\n', 'a', 'hi', 'en')).to.throw(/no en questions yet/);
  });

  it('tells Chinese from English questions', () => {
    expect(questionLanguage('退款多久到账')).to.equal('zh');
    expect(questionLanguage('where is my refund')).to.equal('en');
  });
});

import { expect } from 'chai';
import { checkMailbox } from '../../../../adapters/email/mailbox.js';

describe('checkMailbox (issue 16: one mailbox, never a list or a header)', () => {
  it('accepts one address, with or without a display name, including internationalized ones', () => {
    expect(checkMailbox('xiaoming@example.cn')).to.deep.equal({ ok: true, mailbox: { name: '', address: 'xiaoming@example.cn' } });
    expect(checkMailbox(' Customer Service <service@example.test> ')).to.deep.equal({
      ok: true,
      mailbox: { name: 'Customer Service', address: 'service@example.test' },
    });
    expect(checkMailbox('"Service, Inc." <service@example.test>')).to.deep.equal({
      ok: true,
      mailbox: { name: 'Service, Inc.', address: 'service@example.test' },
    });
    expect(checkMailbox("o'brien+refund@mail.example.co.uk").ok).to.equal(true);
    expect(checkMailbox('张伟@例子.中国')).to.deep.equal({ ok: true, mailbox: { name: '', address: '张伟@例子.中国' } });
  });

  it('refuses anything nodemailer could read as more than one recipient or as extra headers', () => {
    const problems = [
      'victim@example.com\r\nBcc: x@attacker.example',
      'victim@example.com\u2028x@attacker.example',
      'a@example.com, b@example.com',
      'a@example.com; b@example.com',
      'undisclosed-recipients:;',
      'Group: a@example.com, b@example.com;',
      'a@example.com <b@example.com>, c@example.com',
      '<a@example.com',
      '"a\\" <x@attacker.example>" <b@example.com>',
      'a@b@example.com',
      'a.@example.com',
      '.a@example.com',
      'a..b@example.com',
      'a@-example.com',
      'a@example',
      'a@[127.0.0.1]',
      'a@10.0.0.1',
      `${'x'.repeat(65)}@example.com`,
      `a@${'x'.repeat(64)}.com`,
      `a@${'x.'.repeat(130)}com`,
      'a\u202e@example.com',
    ].map((v) => [v, checkMailbox(v)] as const);
    expect(problems.filter(([, r]) => r.ok).map(([v]) => v)).to.deep.equal([]);
    expect(checkMailbox(undefined)).to.deep.equal({ ok: false, problem: 'not text' });
  });
});

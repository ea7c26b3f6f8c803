import { expect } from 'chai';
import { maskAddress, maskContactsDeep, maskContactsInText, maskEmail, maskIdentityValue, maskPhone } from '../../../gateway/contact-masking.js';

describe('contact masking', function () {
  it('masks a Chinese mobile as 138****8000 however it is written, other numbers to their first three and last four', function () {
    for (const written of ['+8613800138000', '13800138000', '8613800138000', '+86 138-0013-8000', '１３８００１３８０００'])
      expect(maskPhone(written), written).to.equal('138****8000');
    expect(maskPhone('+14155550123')).to.equal('+14*****0123');
    expect(maskPhone('+44 20 7946 0958')).to.equal('+44******0958');
    expect(maskPhone('12345')).to.equal('***45');
  });

  it('masks an e-mail address to its first letter and domain', function () {
    expect(maskEmail('jane.doe@example.com')).to.equal('j***@example.com');
    expect(maskEmail('x@example.cn')).to.equal('x***@example.cn');
    expect(maskAddress('Wang.Fang@Example.com')).to.equal('W***@Example.com');
    expect(maskAddress('+8613800138000')).to.equal('138****8000');
    // A WeChat openid or a chat visitor id is no contact detail: left as it is.
    expect(maskAddress('oVx9k5Tq2m3L4n5P6q7R8s9T0uAB')).to.equal('oVx9k5Tq2m3L4n5P6q7R8s9T0uAB');
    expect(maskIdentityValue('wechat', 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB')).to.equal('oVx9k5Tq2m3L4n5P6q7R8s9T0uAB');
    expect(maskIdentityValue('order', 'DD20261124001')).to.equal('DD20261124001');
  });

  it('masks the contacts written in a message and keeps what agents work with: order numbers, amounts, dates', function () {
    expect(maskContactsInText('快递三天了还没到，订单 DD20261124001，电话13800138000，邮箱 wang.fang@example.com。')).to.equal(
      '快递三天了还没到，订单 DD20261124001，电话138****8000，邮箱 w***@example.com。',
    );
    expect(maskContactsInText('Call me on +44 20 7946 0958 or (415) 555-0123 about order 20261124001 (¥3980, 2026-11-24).')).to.equal(
      'Call me on +44******0958 or 415****0123 about order 20261124001 (¥3980, 2026-11-24).',
    );
    expect(maskContactsInText('座机 0755-86013388，手机 +86 139 0013 9000')).to.equal('座机 075*****3388，手机 139****9000');
    expect(maskContactsInText('mail li@example.com.')).to.equal('mail l***@example.com.');
    expect(maskContactsInText('no contact here, just 12 kettles and C-20261130-0042')).to.equal('no contact here, just 12 kettles and C-20261130-0042');
  });

  it('masks every string inside a JSON payload (event details, the classification)', function () {
    expect(
      maskContactsDeep({
        reason: 'e-mail address wang.fang@example.com given in the message',
        n: 3,
        phones: [{ text: '13800138000', value: '+8613800138000' }],
      }),
    ).to.deep.equal({ reason: 'e-mail address w***@example.com given in the message', n: 3, phones: [{ text: '138****8000', value: '138****8000' }] });
  });

  it('masks a megabyte of @, digits or addresses without backtracking blow-up', function () {
    // Not a speed limit (bench/ measures speed): linear work takes well under a second per megabyte even on a loaded
    // machine, while a backtracking pattern on this input would run for minutes, far past this timeout.
    this.timeout(20_000);
    for (const unit of ['@', 'a@', '1', '13800138000 ', 'a.b@c.de ', '+1 ']) {
      const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
      const masked = maskContactsInText(text);
      expect(masked.length, JSON.stringify(unit)).to.be.within(text.length * 0.5, text.length * 1.5);
    }
    expect(maskContactsInText('13800138000 '.repeat(3))).to.not.include('13800138000');
  });
});

import { expect } from 'chai';
import { boundPushFields, cleanText } from '../../../../adapters/wechat/wechat-field-limits.js';
import { WechatXmlError } from '../../../../adapters/wechat/wechat-official.normalize.js';

const push = {
  ToUserName: 'gh_3f1a2b4c5d6e',
  FromUserName: 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB',
  CreateTime: '1732430000',
  MsgType: 'text',
  MsgId: '7441234567890123434',
};

describe('WeChat push field limits', () => {
  it("passes WeChat's own values through unchanged and leaves unread fields out", () => {
    const b = boundPushFields({ ...push, Content: '内胆有裂痕', MediaId: 'H8uYp2kL9mNqRsTvWxYz0A1b2C3d4E5f6G7h8I9j0K1l2M3n', Unread: 'x'.repeat(100_000) });
    expect(b).to.deep.equal({
      fields: { ...push, Content: '内胆有裂痕', MediaId: 'H8uYp2kL9mNqRsTvWxYz0A1b2C3d4E5f6G7h8I9j0K1l2M3n' },
      truncated: [],
      dropped: [],
    });
  });

  for (const [name, value] of [
    ['FromUserName', 'o'.repeat(65)],
    ['FromUserName', 'oVx9k5Tq2m3L4n5P6q7R8s9T0u\u0000'],
    ['ToUserName', 'gh_<script>'],
    ['MsgId', '1'.repeat(21)],
    ['MsgID', '12a'],
    ['CreateTime', '1732430000.5'],
    ['MsgType', 'te xt'],
  ] as const) {
    it(`refuses a malformed or over-long ${name} (${JSON.stringify(value.slice(0, 20))})`, () => {
      expect(() => boundPushFields({ ...push, [name]: value })).to.throw(WechatXmlError, name);
    });
  }

  it('drops references that are malformed or too long, and says which', () => {
    const b = boundPushFields({
      ...push,
      MediaId: 'a/b',
      PicUrl: 'file:///etc/passwd',
      Url: `https://x/${'a'.repeat(3000)}`,
      Location_X: 'NaN',
      Format: 'amr',
    });
    expect(b.dropped).to.deep.equal(['MediaId', 'PicUrl', 'Url', 'Location_X']);
    expect(b.fields).to.include({ Format: 'amr' });
    expect(b.fields).not.to.have.any.keys('MediaId', 'PicUrl', 'Url', 'Location_X');
  });

  it('truncates text at its cap with "…", never splitting an emoji', () => {
    const b = boundPushFields({ ...push, Content: '😀'.repeat(15_000), Label: 'x'.repeat(600) });
    expect(b.truncated).to.deep.equal(['Content', 'Label']);
    expect(b.fields.Content!.length).to.be.at.most(20_000);
    expect(b.fields.Content!.endsWith('😀…')).to.equal(true);
    expect(b.fields.Label).to.equal(`${'x'.repeat(511)}…`);
  });

  it('removes control characters and replaces lone surrogates; keeps tabs, newlines and every script', () => {
    expect(cleanText('a\u0000b\u0007c\u001bd\u007fe\u0085f\uFFFF')).to.equal('abcdef');
    expect(cleanText('漏水\t\n\r😀')).to.equal('漏水\t\n\r😀');
    expect(cleanText('x\ud800y\udfffz')).to.equal('x\uFFFDy\uFFFDz');
  });
});

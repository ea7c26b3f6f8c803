import { expect } from 'chai';
import { chinaTime, statusLinkOf, summaryAndRest } from '../../../../adapters/wechat/wechat-template-message.js';

describe('WeChat template message text', () => {
  const base = 'https://support.example.com';

  it('finds the status link in meta, else as PUBLIC_BASE_URL/t/<token> in the text', () => {
    expect(statusLinkOf({ text: 'x', meta: { statusLink: `${base}/t/abc` } }, base)).to.equal(`${base}/t/abc`);
    expect(statusLinkOf({ text: `您的工单已解决。${base}/t/Zk3v_Q-9。`, meta: {} }, base)).to.equal(`${base}/t/Zk3v_Q-9`);
    expect(statusLinkOf({ text: 'https://evil.example.com/t/abc', meta: {} }, base)).to.equal(undefined);
    expect(statusLinkOf({ text: `${base}/t/abc`, meta: {} })).to.equal(undefined);
    expect(statusLinkOf({ text: 'x', meta: { statusLink: 'javascript:alert(1)' } }, base)).to.equal(undefined);
  });

  it('splits the first sentence from the rest (zh and en), the link taken out', () => {
    expect(summaryAndRest(`您的工单 C-1 正在处理中。${base}/t/abc`, `${base}/t/abc`)).to.deep.equal({ summary: '您的工单 C-1 正在处理中。', rest: '' });
    expect(summaryAndRest('Your ticket C-1 has been resolved. Please rate us from 1 to 5 at support.example.com.')).to.deep.equal({
      summary: 'Your ticket C-1 has been resolved.',
      rest: 'Please rate us from 1 to 5 at support.example.com.',
    });
    expect(summaryAndRest('第一行没有句号\n第二行  还有\n第三行')).to.deep.equal({ summary: '第一行没有句号', rest: '第二行 还有 第三行' });
    expect(summaryAndRest('  只有一句话 ')).to.deep.equal({ summary: '只有一句话', rest: '' });
  });

  it('formats the time in China time', () => {
    expect(chinaTime(Date.UTC(2026, 11, 31, 17, 5))).to.equal('2027-01-01 01:05');
  });
});

import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger, maskPii, maskTokens } from '../../../gateway/logger.js';

/** A logger writing into an array, one parsed JSON object per line. */
function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, log: createLogger('info', sink as never) };
}

describe('log masking of tokens and contact details inside text', function () {
  const apiToken = 'gw_R9k2vX7mQ4tL8wZ1nB6cY3hJ5dF0sA2e';
  const statusToken = 'ZJt3bB1c9Xq2Lw8rT4mN0pKs6YvH5uEa';
  const widgetToken = 'eyJ2IjoidmlzaXRvci0xIiwiYyI6ImNvbnYtMSIsImlhdCI6MTczMjQzMDAwMH0.kq3nX0m2vQ8zR5tY7wE1uI9oP4aS6dF2gH3jK5lZ8xC';

  it('cuts API tokens, bearer values, status links, signed session tokens and credential query parameters out of text', function () {
    expect(maskTokens(`token ${apiToken} refused`)).to.equal('token gw_[redacted] refused');
    expect(maskTokens('upstream said: Authorization: Bearer abcdef0123456789.xyz')).to.equal('upstream said: Authorization: Bearer [redacted]');
    expect(maskTokens(`ack sent: 查看进度 https://support.example.com/t/${statusToken}?lang=zh`)).to.equal(
      'ack sent: 查看进度 https://support.example.com/t/[redacted]?lang=zh',
    );
    expect(maskTokens(`hello with ${widgetToken}`)).to.equal('hello with [redacted]');
    expect(maskTokens('POST https://api.weixin.qq.com/cgi-bin/message/custom/send?access_token=83_AbCdEf-12345&x=1 failed')).to.equal(
      'POST https://api.weixin.qq.com/cgi-bin/message/custom/send?access_token=[redacted]&x=1 failed',
    );
    expect(maskTokens('/console/sso/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj')).to.equal(
      '/console/sso/callback?code=[redacted]&state=[redacted]',
    );
    // Ordinary words and numbers are left alone.
    expect(maskTokens('ticket C-20261130-0042 moved to /t/ queue after 3 tries')).to.equal('ticket C-20261130-0042 moved to /t/ queue after 3 tries');
  });

  it('masks e-mail addresses to their first letter and domain, as the API does for agents', function () {
    expect(maskPii('reply to Wang.Fang+shop@Example.COM.cn failed')).to.equal('reply to W***@Example.COM.cn failed');
  });

  it('no full phone, e-mail address or token reaches a log line, in the message, a field or an error', function () {
    const { lines, log } = capture();
    log.info({ ack: `您的工单已登记，进度：https://s.example.com/t/${statusToken}`, to: 'li.lei@example.org' }, `sent to +8613800138000 with ${apiToken}`);
    log.warn({ err: new Error(`wechat answered 40001 for access_token=83_AbCdEf-12345 (visitor ${widgetToken})`) }, 'send failed');
    const all = lines.join('\n');
    for (const secret of [statusToken, apiToken, '83_AbCdEf-12345', widgetToken, 'li.lei@example.org', '13800138000']) expect(all).to.not.include(secret);
    const first = JSON.parse(lines[0]!);
    expect(first.msg).to.equal('sent to +86****8000 with gw_[redacted]');
    expect(first.to).to.equal('l***@example.org');
    expect(first.ack).to.equal('您的工单已登记，进度：https://s.example.com/t/[redacted]');
  });
});

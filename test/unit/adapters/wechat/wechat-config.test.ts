import { expect } from 'chai';
import { ZodError } from 'zod';
import { DEFAULT_COMPLAINT_CUES, wechatConfigFromEnv } from '../../../../config/channels/wechat.schema.js';

describe('wechatConfigFromEnv', () => {
  it('is off when nothing is set (blank values count as unset)', () => {
    expect(wechatConfigFromEnv({})).to.equal(undefined);
    expect(wechatConfigFromEnv({ WECHAT_TOKEN: '', WECHATY_PUPPET: ' ' })).to.equal(undefined);
  });

  it('builds the Official Account part with defaults', () => {
    const c = wechatConfigFromEnv({
      WECHAT_TOKEN: 'spamtest',
      WECHAT_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      WECHAT_APP_ID: 'wx2c2769f8efd9abc2',
      WECHAT_APP_SECRET: '0123456789abcdef0123456789abcdef',
      WECHAT_API_BASE: 'https://wx-proxy.example.com/',
    });
    expect(c?.officialAccount).to.deep.include({
      token: 'spamtest',
      appId: 'wx2c2769f8efd9abc2',
      apiBase: 'https://wx-proxy.example.com',
    });
    expect(c?.officialAccount?.complaintMenuKeys).to.include('COMPLAINT');
    expect(c?.wechaty).to.equal(undefined);
  });

  it('builds the wechaty part with comma lists (half- or full-width commas)', () => {
    const c = wechatConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-wechat4u', WECHATY_GROUP_REPLY: 'private', WECHATY_COMPLAINT_CUES: '投诉，退款, refund' });
    expect(c?.wechaty).to.deep.equal({
      puppet: 'wechaty-puppet-wechat4u',
      puppetToken: undefined,
      name: 'complaint-gateway',
      groupReply: 'private',
      complaintCues: ['投诉', '退款', 'refund'],
    });
    expect(wechatConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-wechat4u' })?.wechaty?.complaintCues).to.deep.equal([...DEFAULT_COMPLAINT_CUES]);
  });

  it('names the variable that is wrong or missing', () => {
    const bad = (env: Record<string, string>, name: string) => {
      try {
        wechatConfigFromEnv(env);
        expect.fail('should throw');
      } catch (err) {
        expect(err).to.be.instanceOf(ZodError);
        expect((err as ZodError).issues.map((i) => i.path.join('.'))).to.include(name);
      }
    };
    bad({ WECHAT_TOKEN: 'spamtest', WECHAT_AES_KEY: 'short' }, 'WECHAT_AES_KEY');
    bad({ WECHAT_TOKEN: 'spamtest', WECHAT_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' }, 'WECHAT_APP_ID');
    bad({ WECHAT_APP_SECRET: '0123456789abcdef0123456789abcdef', WECHAT_APP_ID: 'wx2c2769f8efd9abc2' }, 'WECHAT_TOKEN');
    bad({ WECHATY_PUPPET: 'wechaty-puppet-service' }, 'WECHATY_PUPPET_SERVICE_TOKEN');
    bad({ WECHATY_PUPPET: 'wechaty-puppet-wechat4u', WECHATY_GROUP_REPLY: 'both' }, 'WECHATY_GROUP_REPLY');
  });
});

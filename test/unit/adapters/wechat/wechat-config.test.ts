import { expect } from 'chai';
import { ZodError } from 'zod';
import { DEFAULT_COMPLAINT_CUES, DEFAULT_TEMPLATE_TITLE, wechatConfigFromEnv } from '../../../../config/channels/wechat.schema.js';

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

  it('the template message for outside the 48-hour window: off by default; WECHAT_UPDATE_TEMPLATE_ID turns it on with the classic fields', () => {
    const base = { WECHAT_TOKEN: 'spamtest', WECHAT_APP_ID: 'wx2c2769f8efd9abc2', WECHAT_APP_SECRET: '0123456789abcdef0123456789abcdef' };
    expect(wechatConfigFromEnv(base)?.officialAccount?.updateTemplate).to.equal(undefined);
    const c = wechatConfigFromEnv({
      ...base,
      WECHAT_UPDATE_TEMPLATE_ID: 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY',
      PUBLIC_BASE_URL: 'https://support.example.com/',
    });
    expect(c?.officialAccount?.publicBaseUrl).to.equal('https://support.example.com');
    expect(c?.officialAccount?.updateTemplate).to.deep.equal({
      templateId: 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY',
      title: DEFAULT_TEMPLATE_TITLE,
      fields: [
        { field: 'first', source: 'title', maxChars: 200 },
        { field: 'keyword1', source: 'ticketNumber', maxChars: 200 },
        { field: 'keyword2', source: 'summary', maxChars: 200 },
        { field: 'remark', source: 'rest', maxChars: 200 },
      ],
    });
    const typed = wechatConfigFromEnv({
      ...base,
      WECHAT_UPDATE_TEMPLATE_ID: 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY',
      WECHAT_UPDATE_TEMPLATE_FIELDS: 'thing1 = summary:20，character_string2=ticketNumber, time3=time',
      WECHAT_UPDATE_TEMPLATE_TITLE: '投诉处理进度',
    });
    expect(typed?.officialAccount?.updateTemplate).to.deep.include({
      title: '投诉处理进度',
      fields: [
        { field: 'thing1', source: 'summary', maxChars: 20 },
        { field: 'character_string2', source: 'ticketNumber', maxChars: 200 },
        { field: 'time3', source: 'time', maxChars: 200 },
      ],
    });
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
    const account = { WECHAT_TOKEN: 'spamtest', WECHAT_APP_ID: 'wx2c2769f8efd9abc2', WECHAT_APP_SECRET: '0123456789abcdef0123456789abcdef' };
    bad({ ...account, WECHAT_UPDATE_TEMPLATE_ID: 'not a template id' }, 'WECHAT_UPDATE_TEMPLATE_ID');
    bad(
      { ...account, WECHAT_UPDATE_TEMPLATE_ID: 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY', WECHAT_UPDATE_TEMPLATE_FIELDS: 'first=headline' },
      'WECHAT_UPDATE_TEMPLATE_FIELDS',
    );
    bad({ ...account, WECHAT_UPDATE_TEMPLATE_FIELDS: 'first=title,first=summary' }, 'WECHAT_UPDATE_TEMPLATE_FIELDS');
    bad({ ...account, WECHAT_UPDATE_TEMPLATE_FIELDS: 'thing1=summary:0' }, 'WECHAT_UPDATE_TEMPLATE_FIELDS');
    bad({ WECHAT_TOKEN: 'spamtest', WECHAT_UPDATE_TEMPLATE_ID: 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY' }, 'WECHAT_APP_SECRET');
  });
});

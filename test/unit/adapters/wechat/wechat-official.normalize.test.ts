import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { boundPushFields } from '../../../../adapters/wechat/wechat-field-limits.js';
import { WechatXmlError, buildTextReplyXml, parseWechatXml } from '../../../../adapters/wechat/wechat-official.normalize.js';
import { triageOfficialPush, type WechatPushDecision } from '../../../../adapters/wechat/wechat-official.triage.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/wechat/${name}`, import.meta.url), 'utf8');
const opts = { complaintMenuKeys: ['COMPLAINT'], encrypted: false };
const triage = (name: string): WechatPushDecision => triageOfficialPush(boundPushFields(parseWechatXml(fixture(name))), opts);
/** The journaled message of a fixture, or a failure saying what was decided instead. */
const normalize = (name: string) => {
  const d = triage(name);
  if (d.action !== 'journal') throw new Error(`${name}: ${d.action} (${d.why}), not journaled`);
  return d.message;
};

describe('WeChat Official Account push normalization', () => {
  it('text: MsgId is the externalId, kept exactly (a 64-bit id a JS number would round)', () => {
    const m = normalize('text.xml')!;
    expect(m.channel).to.equal('wechat');
    expect(m.externalId).to.equal('7441234567890123434');
    expect(m.from).to.deep.equal({ address: 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB' });
    expect(m.to).to.equal('gh_3f1a2b4c5d6e');
    expect(m.text).to.equal('我买的电饭煲收到时包装破损，内胆有裂痕，订单号 SO20241124001，要求退款！');
    expect(m.receivedAt).to.equal(new Date(1732430000 * 1000).toISOString());
    expect(m.meta).to.include({ via: 'official', msgType: 'text', complaint: true, encrypted: false });
  });

  it('voice: the speech recognition result is the text, the recording an attachment', () => {
    const m = normalize('voice.xml')!;
    expect(m.text).to.equal('快递三天了还没到，物流信息一直不更新。');
    expect(m.attachments).to.deep.equal([
      { name: '7441234567890123435.amr', contentType: 'audio/amr', size: 0, ref: 'wechat-media:H8uYp2kL9mNqRsTvWxYz0A1b2C3d4E5f6G7h8I9j0K1l2M3n' },
    ]);
    expect(m.meta).to.include({ msgType: 'voice', transcribed: true, format: 'amr' });
  });

  it('voice without Recognition (recognition switched off): empty text, flagged untranscribed', () => {
    const m = normalize('voice-no-recognition.xml')!;
    expect(m.text).to.equal('');
    expect(m.attachments[0].contentType).to.equal('audio/speex');
    expect(m.meta).to.include({ transcribed: false, complaint: true });
  });

  it('image: the picture URL becomes an attachment', () => {
    const m = normalize('image.xml')!;
    expect(m.text).to.equal('');
    expect(m.attachments).to.have.length(1);
    expect(m.attachments[0]).to.include({ contentType: 'image/jpeg', ref: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc123/0' });
  });

  it('location: the label is the text, coordinates in meta', () => {
    const m = normalize('location.xml')!;
    expect(m.text).to.equal('上海市黄浦区人民大道200号');
    expect(m.meta.location).to.deep.equal({ latitude: 31.230416, longitude: 121.473701, scale: 15, label: '上海市黄浦区人民大道200号' });
  });

  it('subscribe: a welcome prompt, never a journaled message (intake would refuse it: no words)', () => {
    expect(triage('event-subscribe.xml')).to.deep.include({ action: 'prompt', prompt: 'welcome' });
    expect(triage('event-subscribe-qrscene.xml')).to.deep.include({ action: 'prompt', prompt: 'welcome' });
  });

  it('menu CLICK on a complaint key: the describe-your-complaint prompt; another menu key: acknowledged', () => {
    expect(triage('event-click-complaint.xml')).to.deep.include({ action: 'prompt', prompt: 'describeComplaint' });
    expect(triage('event-click-promo.xml').action).to.equal('acknowledge');
  });

  it('unsubscribe, VIEW, SCAN, LOCATION reports and job results are acknowledged without journaling', () => {
    for (const f of ['event-unsubscribe.xml', 'event-view.xml', 'event-scan.xml', 'event-location.xml', 'event-templatesendjobfinish.xml']) {
      expect(triage(f).action, f).to.equal('acknowledge');
    }
  });

  it('a blank text is a prompt, not a message', () => {
    expect(triage('text-blank.xml')).to.deep.include({ action: 'prompt', prompt: 'emptyMessage' });
  });

  it('refuses DTDs, malformed XML and pushes without the required fields', () => {
    expect(() => parseWechatXml('<!DOCTYPE x [<!ENTITY a "b">]><xml><A>&a;</A></xml>')).to.throw(WechatXmlError);
    expect(() => parseWechatXml('<xml><!DOCTYPE x [<!ENTITY a "b">]><A>&a;</A></xml>')).to.throw(WechatXmlError, /DTD/);
    expect(() => parseWechatXml('<notxml/>')).to.throw(WechatXmlError);
    expect(() => triageOfficialPush(boundPushFields(parseWechatXml('<xml><MsgType>text</MsgType></xml>')), opts)).to.throw(WechatXmlError);
  });

  it("keeps the parser's wording out of the error message (it is answered to the caller) and in the cause", () => {
    const err = (() => {
      try {
        parseWechatXml('hello');
      } catch (e) {
        return e as WechatXmlError;
      }
    })();
    expect(err?.message).to.equal('malformed XML');
    expect(String((err?.cause as Error)?.message)).to.match(/not expected/);
  });

  it('a DOCTYPE inside CDATA is customer text, not a DTD; an unclosed CDATA is malformed, not a hang', () => {
    expect(parseWechatXml('<xml><Content><![CDATA[<!DOCTYPE html>]]></Content></xml>')).to.deep.equal({ Content: '<!DOCTYPE html>' });
    const started = Date.now();
    expect(() => parseWechatXml(`<xml>${'<![CDATA['.repeat(7000)}`)).to.throw(WechatXmlError);
    expect(Date.now() - started).to.be.below(200);
  });

  it('builds a passive text reply that parses back, with "]]>" in the answer kept intact', () => {
    const xml = buildTextReplyXml({ toUser: 'oUser', fromAccount: 'gh_x', text: '发票请见 a]]>b', now: new Date(1_700_000_000_000) });
    expect(parseWechatXml(xml)).to.deep.equal({
      ToUserName: 'oUser',
      FromUserName: 'gh_x',
      CreateTime: '1700000000',
      MsgType: 'text',
      Content: '发票请见 a]]>b',
    });
  });
});

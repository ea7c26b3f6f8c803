import { expect } from 'chai';
import { composeReply, templateLanguage } from '../../../../adapters/email/compose-reply.js';
import { replySubject } from '../../../../adapters/email/threading.js';
import { PermanentDeliveryError, type OutboundMessage } from '../../../../adapters/types.js';

const options = { from: 'Customer Service <service@example.test>', brand: { zh: '客户服务中心', en: 'Customer Service' } };
const out = (o: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: 'ob-1',
  channel: 'email',
  to: 'jane@example.com',
  ticketNumber: 'C-20260302-0042',
  subject: 'Parcel late',
  text: 'We have chased the courier.',
  language: 'en',
  meta: {},
  ...o,
});

describe('composeReply', () => {
  it('subject is "Re: [C-…] <original subject>"', () => {
    expect(composeReply(out(), options).subject).to.equal('Re: [C-20260302-0042] Parcel late');
  });

  it('never stacks Re:/回复: prefixes or ticket tags', () => {
    expect(replySubject('C-20260302-0042', 'RE: 回复：Re: [C-20260302-0042] Re: Parcel late', 'x')).to.equal('Re: [C-20260302-0042] Parcel late');
  });

  it('without an original subject uses the template subject in the reply language', () => {
    expect(composeReply(out({ subject: undefined, language: 'zh-Hans' }), options).subject).to.equal('Re: [C-20260302-0042] 您的投诉处理进展');
  });

  it("threads under the customer's mail: In-Reply-To their Message-ID, References their chain plus it", () => {
    const r = composeReply(
      out({ meta: { messageId: '<c2@example.com>', inReplyTo: '<ours-1@example.test>', references: ['<c1@example.com>', '<ours-1@example.test>'] } }),
      options,
    );
    expect(r.inReplyTo).to.equal('<c2@example.com>');
    expect(r.references).to.deep.equal(['<c1@example.com>', '<ours-1@example.test>', '<c2@example.com>']);
  });

  it('with only meta.inReplyTo given, replies to that id', () => {
    const r = composeReply(out({ meta: { inReplyTo: '<c1@example.com>' } }), options);
    expect(r.inReplyTo).to.equal('<c1@example.com>');
    expect(r.references).to.deep.equal(['<c1@example.com>']);
  });

  it('the Message-ID is derived from the outbox id, so a retry reuses it, and uses our domain', () => {
    const a = composeReply(out(), options).messageId;
    expect(composeReply(out(), options).messageId).to.equal(a);
    expect(composeReply(out({ id: 'ob-2' }), options).messageId).to.not.equal(a);
    expect(a).to.match(/^<[0-9a-f]{24}\.C-20260302-0042@example\.test>$/);
  });

  it('marks the mail as ours and as an auto-reply so it is never answered or ingested again', () => {
    expect(composeReply(out(), options).headers).to.include({ 'X-Complaint-Gateway': 'outbound', 'Auto-Submitted': 'auto-replied' });
  });

  it('zh-Hans template: footer in simplified Chinese with the ticket number, HTML escaped', () => {
    const r = composeReply(out({ language: 'zh-Hans', text: '已处理 <b>请查收</b>' }), options);
    expect(r.text).to.contain('已处理 <b>请查收</b>').and.contain('工单号：C-20260302-0042').and.contain('客户服务中心');
    expect(r.html).to.contain('已处理 &lt;b&gt;请查收&lt;/b&gt;').and.contain('工单号：C-20260302-0042');
  });

  it('zh-TW uses the traditional template', () => {
    expect(composeReply(out({ language: 'zh-TW' }), options).text).to.contain('工單號：C-20260302-0042');
    expect(templateLanguage('zh-Hant-HK')).to.equal('zh-Hant');
    expect(templateLanguage('fr')).to.equal('en');
  });

  it('an HTML body from the agent is used as is', () => {
    expect(composeReply(out({ html: '<p>custom</p>' }), options).html).to.equal('<p>custom</p>');
  });

  it('addresses the reply with nodemailer address objects, never strings it would parse (issue 16)', () => {
    const r = composeReply(out({ to: 'jane@example.com' }), options);
    expect(r.to).to.deep.equal({ name: '', address: 'jane@example.com' });
    expect(r.from).to.deep.equal({ name: 'Customer Service', address: 'service@example.test' });
  });

  it('throws a PermanentDeliveryError, with the reason, when the recipient is not exactly one address (issue 16)', () => {
    expect(() => composeReply(out({ to: 'jane@example.com\r\nBcc: x@attacker.example' }), options)).to.throw(
      PermanentDeliveryError,
      /the recipient "jane@example.com\\r\\nBcc: x@attacker.example" is not one e-mail address \(contains a line break/,
    );
    expect(() => composeReply(out({ to: 'jane@example.com, x@attacker.example' }), options)).to.throw(PermanentDeliveryError, /list of addresses/);
    expect(() => composeReply(out(), { ...options, from: 'a@example.test; b@example.test' })).to.throw(
      PermanentDeliveryError,
      /the sender .* list of addresses/,
    );
  });
});

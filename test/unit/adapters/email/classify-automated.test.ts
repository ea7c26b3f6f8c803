import { expect } from 'chai';
import { classifyAutomated } from '../../../../adapters/email/classify-automated.js';

describe('classifyAutomated', () => {
  const person = { from: 'Jane <jane@example.com>', subject: 'My parcel is late' };

  it('a normal mail from a person is not automated', () => {
    expect(classifyAutomated(person)).to.equal(undefined);
  });

  it('"Auto-Submitted: no" is explicitly a person', () => {
    expect(classifyAutomated({ ...person, 'Auto-Submitted': 'no' })).to.equal(undefined);
  });

  it('our X-Complaint-Gateway header marks our own mail', () => {
    expect(classifyAutomated({ ...person, 'X-Complaint-Gateway': 'outbound' })?.kind).to.equal('own');
  });

  it('mail from our own address is ours, whatever the case of the address', () => {
    expect(classifyAutomated({ from: '"Svc" <SERVICE@example.test>' }, { ownAddresses: ['service@example.test'] })?.kind).to.equal('own');
  });

  it('Auto-Submitted: auto-generated (RFC 3834)', () => {
    expect(classifyAutomated({ ...person, 'auto-submitted': 'auto-generated' })?.kind).to.equal('auto-reply');
  });

  it('X-Autoreply: yes (older vacation programs)', () => {
    expect(classifyAutomated({ ...person, 'X-Autoreply': 'yes' })?.kind).to.equal('auto-reply');
  });

  it('Precedence: auto_reply', () => {
    expect(classifyAutomated({ ...person, Precedence: 'auto_reply' })?.kind).to.equal('auto-reply');
  });

  it('Precedence: bulk', () => {
    expect(classifyAutomated({ ...person, Precedence: 'bulk' })?.kind).to.equal('bulk');
  });

  it('"自动回复:" subject without any header (QQ/163 vacation replies)', () => {
    expect(classifyAutomated({ from: 'a@qq.com', subject: '自动回复: 您的投诉' })?.kind).to.equal('auto-reply');
  });

  it('"Out of Office" and "Automatic reply:" subjects (Outlook)', () => {
    expect(classifyAutomated({ from: 'a@corp.com', subject: 'Out of Office: Parcel' })?.kind).to.equal('auto-reply');
    expect(classifyAutomated({ from: 'a@corp.com', subject: 'Automatic reply: Parcel' })?.kind).to.equal('auto-reply');
  });

  it('a complaint about an auto-reply is not itself an auto-reply', () => {
    expect(classifyAutomated({ from: 'a@corp.com', subject: 'Your automatic reply system is useless' })).to.equal(undefined);
  });

  it('multipart/report; report-type=delivery-status is a bounce', () => {
    expect(classifyAutomated({ from: 'x@y', 'content-type': 'multipart/report; report-type=delivery-status; boundary="b"' })?.kind).to.equal('bounce');
  });

  it('MAILER-DAEMON sender and "系统退信" subject are bounces', () => {
    expect(classifyAutomated({ from: 'MAILER-DAEMON@mx.example.com', subject: 'failure' })?.kind).to.equal('bounce');
    expect(classifyAutomated({ from: 'system@163.com', subject: '系统退信' })?.kind).to.equal('bounce');
  });

  it('accepts a Map of header arrays as well as a plain object', () => {
    expect(classifyAutomated(new Map([['Auto-Submitted', ['auto-replied']]]))?.kind).to.equal('auto-reply');
  });
});

import { expect } from 'chai';
import pino from 'pino';
import { EmailAdapter } from '../../../../adapters/email/email.adapter.js';
import type { MailOutcome } from '../../../../adapters/email/imap-poller.js';
import type { InboundMessage, InboundSink } from '../../../../adapters/types.js';
import type { AdapterStateStore } from '../../../../contracts/adapter-state.js';
import { emailConfigSchema } from '../../../../config/channels/email.schema.js';

const noState: AdapterStateStore = { get: async () => undefined, set: async () => undefined };
type HandleMail = (raw: Buffer, info: { uid: number; uidValidity: string; mailbox: string; account: string }) => Promise<MailOutcome>;

/**
 * What the IMAP poller gets back for one mail, without an IMAP server: the adapter's private
 * handleMail with a sink plugged in (start() would open the IMAP connections).
 */
function handlerWith(sink: InboundSink, lines: string[] = []): (raw: Buffer) => Promise<MailOutcome> {
  const adapter = new EmailAdapter({
    config: emailConfigSchema.parse({
      mailboxes: [{ host: '127.0.0.1', port: 1, secure: false, user: 'complaints@example.test', password: 'x' }],
      from: 'complaints@example.test',
    }),
    state: noState,
    logger: pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }),
  });
  const inner = adapter as unknown as { sink: InboundSink; handleMail: HandleMail };
  inner.sink = sink;
  return (raw) => inner.handleMail(raw, { uid: 7, uidValidity: '1', mailbox: 'INBOX', account: 'complaints@example.test' });
}

const mail = (body: string, extra: string[] = []) =>
  Buffer.from(
    ['From: Li Na <li.na@example.cn>', 'To: complaints@example.test', 'Subject: refund', 'Message-ID: <m1@example.cn>', ...extra, '', body, ''].join('\r\n'),
  );

describe('EmailAdapter: what happens to one fetched mail (issue 16, found by the e-mail fuzz test)', () => {
  it('skips a mail the gateway refuses as invalid, with an error line, instead of blocking the mailbox on it forever', async () => {
    const lines: string[] = [];
    const refusing: InboundSink = async () => {
      throw Object.assign(new Error('invalid message from email adapter: meta: meta is larger than 64 KB'), { statusCode: 400 });
    };
    expect(await handlerWith(refusing, lines)(mail('hello'))).to.equal('refused');
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 50);
    expect(logged.map((l) => [l.msg, l.uid, l.reason])).to.deep.equal([
      ['mail refused by the gateway; skipped (it stays on the server)', 7, 'invalid message from email adapter: meta: meta is larger than 64 KB'],
    ]);
  });

  it('still leaves a mail for the next poll when the sink fails for another reason (database down)', async () => {
    const failing: InboundSink = async () => {
      throw new Error('journal unavailable');
    };
    const error = await handlerWith(failing)(mail('hello')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).to.equal('journal unavailable');
  });

  it('without an attachment store, lists an attachment too big to travel inline instead of having the whole mail refused', async () => {
    const received: InboundMessage[] = [];
    const sink: InboundSink = async (m) => (received.push(m), { id: '1', duplicate: false });
    const photo = Buffer.alloc(20_000, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
    const small = Buffer.from('order 4411').toString('base64');
    const raw = mail(
      [
        '--b',
        'Content-Type: text/plain',
        '',
        'The kettle leaks, photo attached.',
        '--b',
        'Content-Type: image/jpeg; name="kettle.jpg"',
        'Content-Transfer-Encoding: base64',
        '',
        photo,
        '--b',
        'Content-Type: text/csv; name="order.csv"',
        'Content-Disposition: attachment; filename="order.csv"',
        'Content-Transfer-Encoding: base64',
        '',
        small,
        '--b--',
      ].join('\r\n'),
      ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
    );
    expect(await handlerWith(sink)(raw)).to.equal('delivered');
    const m = received[0]!;
    expect(m.text).to.equal('The kettle leaks, photo attached.');
    expect(m.attachments.map((a) => a.name)).to.deep.equal(['order.csv']);
    expect(m.meta.droppedAttachments).to.deep.equal([{ name: 'kettle.jpg', contentType: 'image/jpeg', size: 20_000, reason: 'no-attachment-store' }]);
  });
});

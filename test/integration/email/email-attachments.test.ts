/**
 * Inbound attachments kept as files: a customer mails a complaint with a photo, a program
 * disguised as a PDF and a file over the size limit, to a real dovecot read by the gateway's own
 * e-mail channel (configured by environment, as an operator would). The photo is stored on disk
 * and an agent downloads it byte for byte from the ticket; the other two are listed on the
 * message with the reason they were not kept, and the complaint itself gets through.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ImapFlow } from 'imapflow';
import { SMTPServer } from 'smtp-server';
import { freePort, startDovecot, type DovecotServer } from '../../support/dovecot.js';
import { startTestGateway, type TestGateway } from '../../support/test-gateway.js';

// A real 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
// The start of a Windows program (an "MZ" header), sent as application/pdf.
const PROGRAM = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);
const MAX_BYTES = 4096;
const BIG = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(MAX_BYTES * 2, 0x20)]);

function part(name: string, type: string, bytes: Buffer): string {
  return [
    `--b`,
    `Content-Type: ${type}; name="${name}"`,
    `Content-Disposition: attachment; filename="${name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    bytes.toString('base64').replace(/.{76}/g, '$&\r\n'),
  ].join('\r\n');
}

describe('E-mail attachments: stored on disk, checked, downloadable from the ticket', function () {
  this.timeout(60_000);
  let dovecot: DovecotServer;
  let smtp: SMTPServer;
  let gw: TestGateway;
  let ticketId: number;
  let attachments: Array<{ name: string; contentType: string; size: number; url?: string; notKept?: string }>;

  before(async () => {
    dovecot = await startDovecot();
    const smtpPort = await freePort();
    smtp = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false, onData: (s, _x, cb) => s.on('end', () => cb()).resume() });
    await new Promise<void>((r) => smtp.listen(smtpPort, '127.0.0.1', r));
    gw = await startTestGateway({
      env: {
        EMAIL_IMAP_HOST: dovecot.host,
        EMAIL_IMAP_PORT: String(dovecot.port),
        EMAIL_IMAP_SECURE: 'false',
        EMAIL_USER: dovecot.user,
        EMAIL_PASSWORD: dovecot.password,
        EMAIL_SMTP_HOST: '127.0.0.1',
        EMAIL_SMTP_PORT: String(smtpPort),
        EMAIL_SMTP_SECURE: 'false',
        EMAIL_FROM: `Service <${dovecot.user}>`,
        EMAIL_POLL_SECONDS: '1',
        ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
      },
    });
    const imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await imap.connect();
    await imap.append(
      'INBOX',
      Buffer.from(
        [
          'From: Wang Fang <wang.fang@example.cn>',
          `To: ${dovecot.user}`,
          'Subject: The kettle I bought leaks',
          'Message-ID: <kettle-photo@example.cn>',
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b"',
          '',
          '--b',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'The kettle I bought leaks from the bottom. Photo attached.',
          part('漏水.png', 'image/png', PNG),
          part('invoice.pdf', 'application/pdf', PROGRAM),
          part('manual.pdf', 'application/pdf', BIG),
          '--b--',
          '',
        ].join('\r\n'),
      ),
    );
    await imap.logout();
    const deadline = Date.now() + 20_000;
    for (;;) {
      await gw.settle();
      const items = (await gw.api('GET', '/api/v1/tickets?channel=email')).body?.items ?? [];
      if (items.length) {
        ticketId = items[0].id;
        break;
      }
      if (Date.now() > deadline) throw new Error('the mail did not become a ticket');
      await new Promise((r) => setTimeout(r, 100));
    }
    attachments = (await gw.api('GET', `/api/v1/tickets/${ticketId}`)).body.messages.find((m: { direction: string }) => m.direction === 'in').attachments;
  });

  after(async () => {
    await gw?.stop();
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
    await dovecot?.stop();
  });

  it('keeps the photo as a file beside the database and lets an agent download it byte for byte', async () => {
    const photo = attachments.find((a) => a.name === '漏水.png')!;
    expect(photo).to.include({ contentType: 'image/png', size: PNG.length });
    expect(photo.url).to.be.a('string');
    const dir = path.join(path.dirname(gw.database.url.replace(/^sqlite:/, '')), 'attachments');
    expect(readdirSync(dir).length, 'one file under the attachment directory').to.equal(1);

    const { token: agent } = await gw.gateway.tokens.create('li.lei', 'agent');
    const res = await fetch(gw.url + photo.url!, { headers: { authorization: `Bearer ${agent}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('image/png');
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('content-disposition')).to.match(/^attachment; filename=.*filename\*=UTF-8''%E6%BC%8F%E6%B0%B4\.png$/);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).to.equal(true);

    // Shown in the page (the console's preview) only when asked, and only as the image it is.
    const preview = await fetch(`${gw.url}${photo.url}?inline=1`, { headers: { authorization: `Bearer ${agent}` } });
    expect(preview.headers.get('content-disposition')).to.equal('inline');
  });

  it('lists the disguised program and the oversized file with the reason, without keeping them', () => {
    expect(attachments.filter((a) => a.url).map((a) => a.name)).to.deep.equal(['漏水.png']);
    expect(attachments.find((a) => a.name === 'invoice.pdf')).to.include({ notKept: 'type-not-allowed' });
    expect(attachments.find((a) => a.name === 'manual.pdf')).to.include({ notKept: 'too-large' });
  });

  it('refuses the download to roles that do not work tickets, and on another ticket’s path', async () => {
    const photo = attachments.find((a) => a.url)!;
    const { token: finance } = await gw.gateway.tokens.create('fin', 'finance');
    const refused = await fetch(gw.url + photo.url!, { headers: { authorization: `Bearer ${finance}` } });
    expect(refused.status).to.equal(403);
    expect(refused.headers.get('content-type')).to.match(/json/);

    const other = await gw.api('POST', '/api/v1/messages', {
      channel: 'api',
      externalId: 'other-1',
      from: { address: 'someone@example.com' },
      text: 'My parcel never arrived.',
    });
    expect(other.status).to.equal(202);
    await gw.settle();
    const otherId = (await gw.api('GET', '/api/v1/tickets?channel=api')).body.items[0].id;
    const wrongTicket = await gw.api('GET', photo.url!.replace(`/tickets/${ticketId}/`, `/tickets/${otherId}/`));
    expect(wrongTicket.status).to.equal(404);
    expect(wrongTicket.body.error.message).to.match(/has no message/);
  });

  it('refuses an API message that claims a stored attachment it did not send', async () => {
    const res = await gw.api('POST', '/api/v1/messages', {
      externalId: 'claim-1',
      from: { address: 'mallory@example.com' },
      text: 'see attached',
      attachments: [{ name: 'x.png', contentType: 'image/png', size: 1, ref: `attachment:sha256:${'a'.repeat(64)}` }],
    });
    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.match(/attachments\.0\.ref/);
  });
});

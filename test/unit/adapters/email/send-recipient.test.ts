import { expect } from 'chai';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { EmailAdapter } from '../../../../adapters/email/email.adapter.js';
import { PermanentDeliveryError, type OutboundMessage } from '../../../../adapters/types.js';
import type { AdapterStateStore } from '../../../../contracts/adapter-state.js';
import { emailConfigSchema } from '../../../../config/channels/email.schema.js';
import { freePort } from '../../../support/dovecot.js';

/** An in-process SMTP listener: what the server was asked to deliver (envelope) and the message it got. */
class SmtpListener {
  readonly connections: string[] = [];
  readonly received: Array<{ envelopeFrom: string; envelopeTo: string[]; parsed: ParsedMail }> = [];
  port = 0;
  private server!: SMTPServer;

  async start(): Promise<void> {
    this.port = await freePort();
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect: (session, cb) => {
        this.connections.push(session.remoteAddress);
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const from = session.envelope.mailFrom;
          this.received.push({
            envelopeFrom: from ? from.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            parsed: await simpleParser(Buffer.concat(chunks)),
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const noState: AdapterStateStore = { get: async () => undefined, set: async () => undefined };

describe('EmailAdapter.send: one recipient, exactly the customer (issue 16)', function () {
  let smtp: SmtpListener;
  let adapter: EmailAdapter;

  before(async () => {
    smtp = new SmtpListener();
    await smtp.start();
  });
  after(async () => {
    await adapter?.stop();
    await smtp?.stop();
  });

  function makeAdapter(from = 'Customer Service <service@example.test>') {
    return new EmailAdapter({
      // The IMAP side is never started here: send() needs only SMTP.
      config: emailConfigSchema.parse({
        mailboxes: [{ host: '127.0.0.1', port: 1, secure: false, user: 'service@example.test', password: 'x' }],
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false },
        from,
      }),
      state: noState,
      logger: pino({ level: 'silent' }),
    });
  }

  beforeEach(() => {
    smtp.connections.length = 0;
    smtp.received.length = 0;
    adapter = makeAdapter();
  });
  afterEach(async () => adapter.stop());

  const reply = (to: string, id = 'ack-1'): OutboundMessage => ({
    id,
    channel: 'email',
    to,
    ticketNumber: 'C-20261124-0007',
    subject: '退款',
    text: '您好，我们已收到您的投诉。',
    language: 'zh-Hans',
    meta: { kind: 'acknowledgement' },
  });

  it('refuses a From address with a smuggled Bcc header: the acknowledgement fails for good and nothing reaches the SMTP server', async () => {
    const error = await adapter.send(reply('victim@example.com\r\nBcc: x@attacker.example')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(PermanentDeliveryError);
    expect((error as PermanentDeliveryError).code).to.equal('invalid-address');
    expect((error as Error).message).to.equal(
      'reply not sent: the recipient "victim@example.com\\r\\nBcc: x@attacker.example" is not one e-mail address (contains a line break or another control character)',
    );
    expect(smtp.connections, 'SMTP connections').to.deep.equal([]);
    // An ordinary reply after it goes all the way through the SMTP server: by then anything the refused one set off
    // would have reached the server too, and only that reply did.
    await adapter.send(reply('xiaoming@example.cn', 'ack-2'));
    expect(smtp.connections, 'SMTP connections').to.have.length(1);
    expect(smtp.received.map((r) => r.envelopeTo)).to.deep.equal([['xiaoming@example.cn']]);
  });

  for (const [hostile, problem] of [
    ['victim@example.com\nTo: x@attacker.example', /line break/],
    ['victim@example.com, x@attacker.example', /list of addresses/],
    ['victim@example.com;x@attacker.example', /list of addresses/],
    ['Victim <victim@example.com>, x@attacker.example', /list of addresses|angle brackets/],
    ['victim@example.com\u0000x@attacker.example', /control character/],
    ['victim@example.com x@attacker.example', /whitespace/],
    ['victim@x@attacker.example', /more than one @/],
    ['"x@attacker.example" victim@example.com', /whitespace|characters/],
    ['victim(x@attacker.example)@example.com', /more than one @|characters/],
    [`${'a'.repeat(250)}@example.com`, /over 254|over 64/],
    ['victim@127.0.0.1', /IP address/],
    ['', /empty/],
  ] as const) {
    it(`never sends to ${JSON.stringify(hostile).slice(0, 60)}`, async () => {
      const error = await adapter.send(reply(hostile)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(PermanentDeliveryError);
      expect((error as Error).message).to.match(problem);
      expect(smtp.connections).to.deep.equal([]);
    });
  }

  it('sends an ordinary reply to exactly that one address: envelope and To header', async () => {
    await adapter.send(reply('xiaoming@example.cn'));
    expect(smtp.received).to.have.length(1);
    const got = smtp.received[0]!;
    expect(got.envelopeTo).to.deep.equal(['xiaoming@example.cn']);
    expect(got.envelopeFrom).to.equal('service@example.test');
    expect(got.parsed.to).to.deep.include({ value: [{ address: 'xiaoming@example.cn', name: '' }] });
    expect(got.parsed.bcc).to.equal(undefined);
    expect(got.parsed.cc).to.equal(undefined);
  });

  it('keeps a display name with a comma in EMAIL_FROM as one sender, quoted by nodemailer', async () => {
    await adapter.stop();
    adapter = makeAdapter('"Service, Inc." <service@example.test>');
    await adapter.send(reply('xiaoming@example.cn'));
    const got = smtp.received[0]!;
    expect(got.envelopeFrom).to.equal('service@example.test');
    expect(got.parsed.from?.value).to.deep.equal([{ address: 'service@example.test', name: 'Service, Inc.' }]);
  });

  it('refuses at start-up an EMAIL_FROM that is not one address, while SMTP is on', () => {
    expect(() => makeAdapter('service@example.test, x@attacker.example')).to.throw(/EMAIL_FROM .*one e-mail address/);
  });
});

import { expect } from 'chai';
import iconv from 'iconv-lite';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { emailConfigSchema, type EmailConfigInput } from '../../../config/channels/email.schema.js';
import { EmailAdapter } from '../../../adapters/email/email.adapter.js';
import { PermanentDeliveryError, type InboundMessage } from '../../../adapters/types.js';
import type { AdapterStateStore } from '../../../contracts/adapter-state.js';
import { freePort, startDovecot, type DovecotServer } from '../../support/dovecot.js';

/** The adapter state store, as the gateway's would behave: values survive adapter restarts. */
class MemoryStateStore implements AdapterStateStore {
  readonly values = new Map<string, unknown>();
  async get<T>(key: string): Promise<T | undefined> {
    return structuredClone(this.values.get(key)) as T | undefined;
  }
  async set<T>(key: string, value: T): Promise<void> {
    this.values.set(key, structuredClone(value));
  }
}

/** A real SMTP listener collecting what it receives; `reject` makes it answer RCPT with a code. */
class SmtpListener {
  readonly received: Array<{ envelopeTo: string[]; raw: Buffer; parsed: ParsedMail }> = [];
  reject: { code: number; message: string } | undefined;
  port = 0;
  private server!: SMTPServer;

  async start(): Promise<void> {
    this.port = await freePort();
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, cb) => {
        if (this.reject) {
          const err = new Error(this.reject.message) as Error & { responseCode: number };
          err.responseCode = this.reject.code;
          return cb(err);
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          this.received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed: await simpleParser(raw) });
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

async function waitFor<T>(fn: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A GBK-bodied complaint with a GB2312 encoded-word subject, as old Foxmail/Outlook CN clients send. */
function gbkComplaint(messageId: string, body: string, subject = '投诉：快递三天没到'): Buffer {
  const subjectWord = `=?GB2312?B?${iconv.encode(subject, 'gb2312').toString('base64')}?=`;
  const nameWord = `=?GB2312?B?${iconv.encode('王小明', 'gb2312').toString('base64')}?=`;
  const head = [
    `From: ${nameWord} <xiaoming@example.cn>`,
    'To: test@example.test',
    `Subject: ${subjectWord}`,
    `Message-ID: ${messageId}`,
    'Date: Mon, 02 Mar 2026 10:00:00 +0800',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=GBK',
    'Content-Transfer-Encoding: base64',
  ].join('\r\n');
  const b64 = iconv.encode(body, 'gbk').toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(`${head}\r\n\r\n${b64}\r\n`, 'latin1');
}

describe('EmailAdapter against a real dovecot and a real SMTP listener', function () {
  this.timeout(60_000);
  let dovecot: DovecotServer;
  let smtp: SmtpListener;
  let imap: ImapFlow;
  const logger = pino({ level: 'silent' });

  before(async () => {
    dovecot = await startDovecot();
    smtp = new SmtpListener();
    await smtp.start();
    imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await imap.connect();
  });

  after(async () => {
    await imap?.logout().catch(() => undefined);
    await smtp?.stop();
    await dovecot?.stop();
  });

  function config(overrides: Partial<EmailConfigInput> = {}) {
    return emailConfigSchema.parse({
      mailboxes: [{ host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, mailbox: 'INBOX' }],
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false },
      from: 'Customer Service <service@example.test>',
      // Long poll interval: mail arriving while the adapter runs must come through IDLE.
      pollSeconds: 300,
      ...overrides,
    });
  }

  async function flagsOf(mailbox: string, messageId: string): Promise<Set<string> | undefined> {
    const lock = await imap.getMailboxLock(mailbox);
    try {
      const uids = (await imap.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
      if (!uids.length) return undefined;
      const [msg] = await imap.fetchAll(String(uids[0]), { flags: true, uid: true }, { uid: true });
      return msg?.flags;
    } finally {
      lock.release();
    }
  }

  describe('one mailbox over a restart', () => {
    const state = new MemoryStateStore();
    const received: InboundMessage[] = [];
    const sink = async (m: InboundMessage) => {
      received.push(m);
      return { id: String(received.length), duplicate: false };
    };
    let adapter: EmailAdapter;
    let first: InboundMessage;

    before(async () => {
      // Waiting before start: picked up by the first poll.
      await imap.append('INBOX', gbkComplaint('<gbk-1@example.cn>', '你好，我的订单12345已经三天没有送到，快递电话也打不通。请尽快处理！'));
      adapter = new EmailAdapter({ config: config(), state, logger, backoffMs: { min: 100, max: 1000 } });
      await adapter.start(sink);
    });

    after(async () => {
      await adapter.stop();
    });

    it('delivers a GBK mail with a GB2312 subject to the sink with readable Chinese text', async () => {
      first = await waitFor(() => received.find((m) => m.externalId === '<gbk-1@example.cn>'), 'the GBK complaint');
      expect(first.subject).to.equal('投诉：快递三天没到');
      expect(first.text).to.equal('你好，我的订单12345已经三天没有送到，快递电话也打不通。请尽快处理！');
      expect(first.from).to.deep.equal({ address: 'xiaoming@example.cn', name: '王小明' });
      expect(first.language).to.equal('zh-Hans');
      expect(first.threadKey).to.equal('<gbk-1@example.cn>');
    });

    it('flags the mail \\Seen on the server once the sink resolved', async () => {
      const flags = await waitForAsync(
        () => flagsOf('INBOX', '<gbk-1@example.cn>'),
        (f) => Boolean(f?.has('\\Seen')),
        '\\Seen',
      );
      expect(flags?.has('\\Seen')).to.equal(true);
    });

    it('receives a mail appended while running through IDLE (poll interval is 300 s)', async () => {
      const t0 = Date.now();
      await imap.append('INBOX', gbkComplaint('<gbk-2@example.cn>', '第二封：客服态度很差。'));
      await waitFor(() => received.find((m) => m.externalId === '<gbk-2@example.cn>'), 'the IDLE-delivered mail', 8000);
      expect(Date.now() - t0).to.be.lessThan(8000);
    });

    it('does not pass a bounce or an auto-reply to the sink, but still marks them processed', async () => {
      const bounce = [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.cn>',
        'To: test@example.test',
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <bounce-1@mx.example.cn>',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain',
        '',
        'I could not deliver your message.',
        '--b1--',
        '',
      ].join('\r\n');
      const ooo = [
        'From: Li Lei <lilei@example.cn>',
        'To: test@example.test',
        'Subject: =?UTF-8?B?6Ieq5Yqo5Zue5aSNOiDmiJHlnKjkvJHlgYc=?=',
        'Message-ID: <ooo-1@example.cn>',
        'Auto-Submitted: auto-replied',
        'Content-Type: text/plain; charset=utf-8',
        '',
        '我在休假，3月10日回来。',
        '',
      ].join('\r\n');
      await imap.append('INBOX', bounce);
      await imap.append('INBOX', ooo);
      await waitForAsync(
        () => flagsOf('INBOX', '<ooo-1@example.cn>'),
        (f) => Boolean(f?.has('\\Seen')),
        'auto-reply marked',
      );
      expect((await flagsOf('INBOX', '<bounce-1@mx.example.cn>'))?.has('\\Seen')).to.equal(true);
      expect(received.map((m) => m.externalId)).to.not.include.members(['<bounce-1@mx.example.cn>', '<ooo-1@example.cn>']);
    });

    it('after a restart refetches nothing and skips nothing, including mail that arrived while stopped', async () => {
      await adapter.stop();
      const before = received.length;
      await imap.append('INBOX', gbkComplaint('<while-down-1@example.cn>', '停机期间的第一封'));
      await imap.append('INBOX', gbkComplaint('<while-down-2@example.cn>', '停机期间的第二封'));
      adapter = new EmailAdapter({ config: config(), state, logger, backoffMs: { min: 100, max: 1000 } });
      await adapter.start(sink);
      await waitFor(() => received.length >= before + 2, 'the two mails that arrived while stopped');
      // Health turns up once the restarted adapter has finished a whole poll of the mailbox: a wrongly re-read mailbox has shown itself by then.
      await waitForAsync(
        () => adapter.health(),
        (h) => h.status === 'up',
        'the first poll after the restart',
      );
      expect(received.slice(before).map((m) => m.externalId)).to.deep.equal(['<while-down-1@example.cn>', '<while-down-2@example.cn>']);
      const ids = received.map((m) => m.externalId);
      expect(new Set(ids).size).to.equal(ids.length);
    });

    it("sends a reply through SMTP that threads under the customer's mail", async () => {
      const out = await adapter.send({
        id: 'outbox-1',
        channel: 'email',
        to: first.from.address,
        ticketNumber: 'C-20260302-0001',
        subject: first.subject,
        text: '您好，已为您催促快递，预计明天送达。',
        language: 'zh-Hans',
        meta: { messageId: first.meta.messageId, inReplyTo: first.meta.inReplyTo, references: first.meta.references },
      });
      const got = await waitFor(() => smtp.received.find((r) => r.parsed.messageId === out.externalId), 'the reply at the SMTP listener');
      expect(got.envelopeTo).to.deep.equal(['xiaoming@example.cn']);
      expect(got.parsed.subject).to.equal('Re: [C-20260302-0001] 投诉：快递三天没到');
      expect(got.parsed.inReplyTo).to.equal('<gbk-1@example.cn>');
      expect(got.parsed.references).to.equal('<gbk-1@example.cn>');
      expect(got.parsed.text).to.contain('已为您催促快递').and.to.contain('C-20260302-0001');
      expect(got.parsed.html).to.contain('已为您催促快递');
      expect(got.parsed.headers.get('x-complaint-gateway')).to.equal('outbound');
      expect(got.parsed.headers.get('auto-submitted')).to.equal('auto-replied');
    });

    it("puts the customer's answer in the same thread with the ticket number, and drops our reply looping back", async () => {
      const reply = smtp.received.at(-1)!;
      // Our own reply lands in the complaints mailbox (customer Cc'd us, or a forwarding rule).
      await imap.append('INBOX', reply.raw);
      const answer = [
        'From: =?UTF-8?B?546L5bCP5piO?= <xiaoming@example.cn>',
        'To: service@example.test',
        `Subject: =?UTF-8?B?${Buffer.from(`回复：${reply.parsed.subject}`).toString('base64')}?=`,
        'Message-ID: <answer-1@example.cn>',
        `In-Reply-To: ${reply.parsed.messageId}`,
        `References: <gbk-1@example.cn> ${reply.parsed.messageId}`,
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        '还是没有收到，明天再不到我就要退款。',
        '',
        '在 2026年3月2日 11:00，Customer Service <service@example.test> 写道：',
        '您好，已为您催促快递，预计明天送达。',
        '',
      ].join('\r\n');
      await imap.append('INBOX', Buffer.from(answer));
      const got = await waitFor(() => received.find((m) => m.externalId === '<answer-1@example.cn>'), 'the customer answer');
      expect(got.threadKey).to.equal(first.threadKey);
      expect(got.meta.ticketNumber).to.equal('C-20260302-0001');
      expect(got.text).to.equal('还是没有收到，明天再不到我就要退款。');
      await waitForAsync(
        () => flagsOf('INBOX', reply.parsed.messageId!),
        (f) => Boolean(f?.has('\\Seen')),
        'loop-back marked',
      );
      expect(received.map((m) => m.externalId)).to.not.include(reply.parsed.messageId);
    });

    it('turns an SMTP 5xx into a PermanentDeliveryError and a 4xx into a retryable error', async () => {
      const base = { channel: 'email' as const, to: 'nobody@example.cn', ticketNumber: 'C-20260302-0002', text: 'x', meta: {} };
      smtp.reject = { code: 550, message: 'No such user' };
      try {
        const err = await adapter.send({ ...base, id: 'o-550' }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).to.be.instanceOf(PermanentDeliveryError);
        smtp.reject = { code: 451, message: 'Try again later' };
        const err4 = await adapter.send({ ...base, id: 'o-451' }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err4).to.be.instanceOf(Error).and.not.instanceOf(PermanentDeliveryError);
      } finally {
        smtp.reject = undefined;
      }
    });

    it('reports up with the last poll time', async () => {
      const h = await adapter.health();
      expect(h.status).to.equal('up');
      expect(h.detail).to.match(/last poll \d{4}-/);
    });
  });

  it('moves processed mail to the configured folder instead of flagging it', async () => {
    const state = new MemoryStateStore();
    const received: InboundMessage[] = [];
    await imap.mailboxCreate('Complaints');
    await imap.append('Complaints', gbkComplaint('<move-1@example.cn>', '请移动我'));
    const adapter = new EmailAdapter({
      config: config({
        mailboxes: [
          {
            host: dovecot.host,
            port: dovecot.port,
            secure: false,
            user: dovecot.user,
            password: dovecot.password,
            mailbox: 'Complaints',
            processedFolder: 'Complaints/Done',
          },
        ],
      }),
      state,
      logger,
    });
    await adapter.start(async (m) => {
      received.push(m);
      return { id: '1', duplicate: false };
    });
    try {
      await waitFor(() => received.length === 1, 'the mail in Complaints');
      await waitForAsync(
        () => flagsOf('Complaints.Done', '<move-1@example.cn>'),
        (f) => f !== undefined,
        'the moved mail',
      );
      expect(await flagsOf('Complaints', '<move-1@example.cn>')).to.equal(undefined);
    } finally {
      await adapter.stop();
    }
  });

  it('does not mark a mail processed when the sink fails, and delivers it once the sink recovers', async () => {
    const state = new MemoryStateStore();
    await imap.mailboxCreate('Flaky');
    await imap.append('Flaky', gbkComplaint('<flaky-1@example.cn>', '数据库挂了也不能丢'));
    let failing = true;
    let refusals = 0;
    const received: InboundMessage[] = [];
    const adapter = new EmailAdapter({
      config: config({
        mailboxes: [{ host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, mailbox: 'Flaky' }],
      }),
      state,
      logger,
      backoffMs: { min: 100, max: 300 },
    });
    await adapter.start(async (m) => {
      if (failing) {
        refusals++;
        throw new Error('journal unavailable');
      }
      received.push(m);
      return { id: '1', duplicate: false };
    });
    try {
      // A second delivery attempt means the poll that saw the first one fail has run to its end (reconnecting after it).
      await waitFor(() => refusals >= 2, 'the mail offered to the failing sink a second time');
      expect((await flagsOf('Flaky', '<flaky-1@example.cn>'))?.has('\\Seen')).to.equal(false);
      failing = false;
      await waitFor(() => received.length === 1, 'the mail after the sink recovered');
      await waitForAsync(
        () => flagsOf('Flaky', '<flaky-1@example.cn>'),
        (f) => Boolean(f?.has('\\Seen')),
        '\\Seen after recovery',
      );
    } finally {
      await adapter.stop();
    }
  });

  it('reports down with the reason when authentication fails', async () => {
    const adapter = new EmailAdapter({
      config: config({ mailboxes: [{ host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: 'wrong', mailbox: 'INBOX' }] }),
      state: new MemoryStateStore(),
      logger,
      backoffMs: { min: 5000, max: 5000 },
    });
    await adapter.start(async () => ({ id: '1', duplicate: false }));
    try {
      const h = await adapter.health();
      expect(h.status).to.equal('down');
      expect(h.detail).to.match(/authentication failed/i);
    } finally {
      await adapter.stop();
    }
  });

  it('reports down with the reason when UIDVALIDITY changed, instead of re-reading silently', async () => {
    const state = new MemoryStateStore();
    const received: InboundMessage[] = [];
    const adapter = new EmailAdapter({ config: config(), state, logger });
    const key = `email:imap:${dovecot.user}@${dovecot.host}:${dovecot.port}/INBOX`;
    await state.set(key, { uidValidity: '1', lastUid: 3 });
    await adapter.start(async (m) => {
      received.push(m);
      return { id: '1', duplicate: false };
    });
    try {
      const h = await waitForAsync(
        () => adapter.health(),
        (x) => x.status === 'down',
        'down',
      );
      expect(h.detail).to.match(/UIDVALIDITY changed from 1 to \d+/);
      expect(received).to.have.length(0);
    } finally {
      await adapter.stop();
    }
  });
});

async function waitForAsync<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * End to end through the whole gateway (real SQLite, journal, pipeline, outbox) with the
 * e-mail adapter reading a real dovecot and sending to a real SMTP listener: a GBK
 * complaint with a GB2312 subject becomes a ticket; the acknowledgement and the agent's
 * reply through the REST API arrive at the SMTP listener threaded under the customer's
 * mail; the customer's answer, mailed while the adapter was restarting, joins the same
 * ticket, and nothing is fetched twice.
 */
import { expect } from 'chai';
import iconv from 'iconv-lite';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { EmailAdapter } from '../../adapters/email/email.adapter.js';
import type { AdapterStateStore } from '../../contracts/adapter-state.js';
import { emailConfigFromEnv } from '../../config/channels/email.schema.js';
import { freePort, startDovecot, type DovecotServer } from '../support/dovecot.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

async function waitFor<T>(fn: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForAsync(probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('E-mail end to end (dovecot → gateway on SQLite → smtp-server)', function () {
  this.timeout(90_000);
  let dovecot: DovecotServer;
  let smtpServer: SMTPServer;
  let imap: ImapFlow;
  let gw: TestGateway;
  let adapter: EmailAdapter;
  const received: Array<{ rcpt: string[]; raw: Buffer; mail: ParsedMail }> = [];

  before(async () => {
    dovecot = await startDovecot();
    const smtpPort = await freePort();
    smtpServer = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // A real login check: the adapter logs in to SMTP with the mailbox credentials by default.
      onAuth(auth, _session, cb) {
        if (auth.username === dovecot.user && auth.password === dovecot.password) return cb(null, { user: auth.username });
        cb(new Error('Invalid username or password'));
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          received.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), raw, mail: await simpleParser(raw) });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtpServer.listen(smtpPort, '127.0.0.1', r));
    imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await imap.connect();

    // The same variables an operator puts in .env.
    const config = emailConfigFromEnv({
      EMAIL_IMAP_HOST: dovecot.host,
      EMAIL_IMAP_PORT: String(dovecot.port),
      EMAIL_IMAP_SECURE: 'false',
      EMAIL_USER: dovecot.user,
      EMAIL_PASSWORD: dovecot.password,
      EMAIL_SMTP_HOST: '127.0.0.1',
      EMAIL_SMTP_PORT: String(smtpPort),
      EMAIL_SMTP_SECURE: 'false',
      EMAIL_FROM: `Customer Service <${dovecot.user}>`,
      EMAIL_POLL_SECONDS: '300',
    })!;
    // The adapter keeps its UID checkpoint in the gateway's own state store, which exists only once it is built.
    let state: AdapterStateStore | undefined;
    const lateState: AdapterStateStore = { get: (k) => state!.get(k), set: (k, v) => state!.set(k, v) };
    adapter = new EmailAdapter({ config, state: lateState, logger: pino({ level: 'silent' }) });
    gw = await startTestGateway({ adapters: [adapter] });
    state = gw.gateway.state;
  });

  after(async () => {
    await gw?.stop();
    await imap?.logout().catch(() => undefined);
    await new Promise<void>((r) => (smtpServer ? smtpServer.close(() => r()) : r()));
    await dovecot?.stop();
  });

  it('mailed complaint → ticket; reply via the API threads in the customer client; the answer after a restart joins the same ticket', async () => {
    // 1. The customer mails a complaint in GBK with a GB2312 subject (Foxmail/Outlook CN defaults).
    const subject = '投诉：冰箱送来就是坏的';
    const body = '你好，我昨天收到的冰箱不制冷，订单号 DD20260302001。请尽快上门更换！';
    const complaint = Buffer.from(
      [
        `From: =?GB2312?B?${iconv.encode('李娜', 'gb2312').toString('base64')}?= <lina@example.cn>`,
        `To: ${dovecot.user}`,
        `Subject: =?GB2312?B?${iconv.encode(subject, 'gb2312').toString('base64')}?=`,
        'Message-ID: <complaint-1@example.cn>',
        'Date: Mon, 02 Mar 2026 09:00:00 +0800',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=GBK',
        'Content-Transfer-Encoding: base64',
        '',
        iconv.encode(body, 'gbk').toString('base64'),
        '',
      ].join('\r\n'),
      'latin1',
    );
    await imap.append('INBOX', complaint);

    const ticket = await (async () => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        await gw.settle();
        const items = (await gw.api('GET', '/api/v1/tickets?channel=email')).body?.items ?? [];
        if (items.length) return items[0];
        if (Date.now() > deadline) throw new Error('no e-mail ticket');
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const detail = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body;
    expect(detail.subject).to.equal(subject);
    const inbound = detail.messages.filter((m: { direction?: string }) => m.direction === 'in');
    expect(inbound[0].text).to.equal(body);

    // 2. The acknowledgement quoting the ticket number reaches the customer, threaded.
    const ack = await waitFor(() => received.find((r) => r.mail.subject?.includes(ticket.number)), 'the acknowledgement');
    expect(ack.rcpt).to.deep.equal(['lina@example.cn']);
    expect(ack.mail.subject).to.equal(`Re: [${ticket.number}] ${subject}`);
    expect(ack.mail.inReplyTo).to.equal('<complaint-1@example.cn>');

    // 3. An agent replies through the API; it leaves by SMTP under the customer's mail.
    const agent = (await gw.api('POST', '/api/v1/tokens', { name: 'zhang.wei', role: 'agent' })).body.token;
    const text = '李女士您好，维修师傅明天上午上门为您更换冰箱。';
    expect((await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text }, agent)).status).to.equal(202);
    const reply = await waitFor(() => received.find((r) => r.mail.text?.includes(text)), 'the agent reply');
    expect(reply.rcpt).to.deep.equal(['lina@example.cn']);
    expect(reply.mail.subject).to.equal(`Re: [${ticket.number}] ${subject}`);
    expect(reply.mail.inReplyTo).to.equal('<complaint-1@example.cn>');
    expect(reply.mail.references).to.equal('<complaint-1@example.cn>');
    expect(reply.mail.from?.value[0]?.address).to.equal(dovecot.user);

    // 4. The adapter restarts; meanwhile the customer answers our reply (and a copy of our own reply lands in the inbox).
    await adapter.stop();
    await imap.append('INBOX', reply.raw);
    const answer = Buffer.from(
      [
        'From: =?UTF-8?B?5p2O5aic?= <lina@example.cn>',
        `To: ${dovecot.user}`,
        `Subject: =?UTF-8?B?${Buffer.from(`回复：${reply.mail.subject}`).toString('base64')}?=`,
        'Message-ID: <answer-1@example.cn>',
        `In-Reply-To: ${reply.mail.messageId}`,
        `References: <complaint-1@example.cn> ${reply.mail.messageId}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        '好的，明天上午我在家。',
        '',
        `在 2026年3月2日 10:00，Customer Service <${dovecot.user}> 写道：`,
        text,
        '',
      ].join('\r\n'),
    );
    await imap.append('INBOX', answer);
    await adapter.start(gw.gateway.sink);

    const deadline = Date.now() + 15_000;
    let messages: Array<{ text: string; direction?: string }>;
    for (;;) {
      await gw.settle();
      messages = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body.messages;
      if (messages.some((m) => m.text === '好的，明天上午我在家。')) break;
      if (Date.now() > deadline) throw new Error(`the answer did not reach the ticket: ${JSON.stringify(messages.map((m) => m.text))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // A refetched mail (or our reply taken in) would come in the same poll as the answer: once the restarted adapter has
    // finished that poll (its health turns up) and the gateway has settled, the ticket shows all it ever will.
    await waitForAsync(() => adapter.health().then((h) => h.status === 'up'), 'the first poll after the restart');
    await gw.settle();
    messages = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body.messages;
    // Still one e-mail ticket, and each customer mail is on it exactly once (nothing refetched, nothing skipped).
    expect((await gw.api('GET', '/api/v1/tickets?channel=email')).body.items).to.have.length(1);
    const customerTexts = messages.filter((m) => m.direction === 'in').map((m) => m.text);
    expect(customerTexts).to.deep.equal([body, '好的，明天上午我在家。']);
  });
});

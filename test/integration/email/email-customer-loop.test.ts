/**
 * The customer's loop on e-mail through its real adapter path (issue 20 goal): the gateway built from the
 * same EMAIL_* variables an operator sets, reading a real dovecot over IMAP and sending through a real SMTP
 * listener. A resolved e-mail ticket produces a real mail with the ticket number, the status link and the
 * satisfaction question, threaded under the customer's mail; the customer's answer by mail is the rating.
 */
import { expect } from 'chai';
import { ImapFlow } from 'imapflow';
import { TEST_DATABASES } from '../../support/databases.js';
import { startDovecot, type DovecotServer } from '../../support/dovecot.js';
import { SmtpListener } from '../../support/smtp-listener.js';
import { startTestGateway, type TestGateway } from '../../support/test-gateway.js';

const PUBLIC_BASE_URL = 'https://support.example.test';

for (const db of TEST_DATABASES) {
  describe(`progress and the satisfaction question by e-mail (dovecot → gateway on ${db} → SMTP)`, function () {
    this.timeout(90_000);
    let dovecot: DovecotServer;
    let smtp: SmtpListener;
    let imap: ImapFlow;
    let gw: TestGateway;

    before(async () => {
      dovecot = await startDovecot();
      smtp = new SmtpListener({ user: dovecot.user, password: dovecot.password });
      await smtp.start();
      imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
      await imap.connect();
      gw = await startTestGateway({
        db,
        env: {
          EMAIL_IMAP_HOST: dovecot.host,
          EMAIL_IMAP_PORT: String(dovecot.port),
          EMAIL_IMAP_SECURE: 'false',
          EMAIL_USER: dovecot.user,
          EMAIL_PASSWORD: dovecot.password,
          EMAIL_SMTP_HOST: '127.0.0.1',
          EMAIL_SMTP_PORT: String(smtp.port),
          EMAIL_SMTP_SECURE: 'false',
          EMAIL_FROM: `Customer Service <${dovecot.user}>`,
          PUBLIC_BASE_URL,
        },
        // The wall clock must not decide this test (quiet hours have tests of their own).
        tweak: (c) => {
          c.gateway.customerUpdates.quietHours = null;
        },
      });
    });

    after(async () => {
      await gw?.stop();
      await imap?.logout().catch(() => undefined);
      await smtp?.stop();
      await dovecot?.stop();
    });

    /** Waits until the gateway has taken in what the mailbox holds and `probe` holds. */
    async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        await gw.settle();
        const v = await probe();
        if (v !== undefined) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    it('a resolved e-mail ticket mails the customer its number, status link and the rating question; their answer by mail is the rating', async () => {
      const subject = '投诉：电热水壶漏水';
      await imap.append(
        'INBOX',
        Buffer.from(
          [
            'From: =?UTF-8?B?546L5bCP5piO?= <wang@example.cn>',
            `To: ${dovecot.user}`,
            `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
            'Message-ID: <kettle-1@example.cn>',
            'MIME-Version: 1.0',
            'Content-Type: text/plain; charset=utf-8',
            'Content-Transfer-Encoding: 8bit',
            '',
            '你好，我上周买的电热水壶底部漏水，订单号 DD20261118007，请给我换一个。',
            '',
          ].join('\r\n'),
        ),
      );
      const ticket = await until(async () => (await gw.api('GET', '/api/v1/tickets?channel=email')).body?.items?.[0], 'the e-mail ticket');
      const token = (await gw.gateway.tickets.get(gw.gateway.db, ticket.id))!.statusToken;

      const agent = (await gw.api('POST', '/api/v1/tokens', { name: 'zhang.wei', role: 'agent' })).body.token;
      expect((await gw.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'resolved' }, agent)).status).to.equal(200);
      const survey = await smtp.next((m) => !!m.text?.includes('请回复 1–5'), 'the satisfaction question');
      expect(survey.envelopeTo).to.deep.equal(['wang@example.cn']);
      expect(survey.parsed.subject).to.equal(`Re: [${ticket.number}] ${subject}`);
      expect(survey.parsed.inReplyTo).to.equal('<kettle-1@example.cn>');
      expect(survey.parsed.text).to.include(`您的工单 ${ticket.number} 已解决`).and.include(`${PUBLIC_BASE_URL}/t/${token}`);
      // The HTML part a mail client shows carries the same words and a working link.
      expect(survey.parsed.html).to.include(ticket.number).and.include(`${PUBLIC_BASE_URL}/t/${token}`);

      // The customer answers in their mail client, above the quoted question.
      await imap.append(
        'INBOX',
        Buffer.from(
          [
            'From: =?UTF-8?B?546L5bCP5piO?= <wang@example.cn>',
            `To: ${dovecot.user}`,
            `Subject: =?UTF-8?B?${Buffer.from(`回复：${survey.parsed.subject}`).toString('base64')}?=`,
            'Message-ID: <kettle-2@example.cn>',
            `In-Reply-To: ${survey.parsed.messageId}`,
            `References: <kettle-1@example.cn> ${survey.parsed.messageId}`,
            'MIME-Version: 1.0',
            'Content-Type: text/plain; charset=utf-8',
            'Content-Transfer-Encoding: 8bit',
            '',
            '5 非常满意，换货很快',
            '',
            `在 2026年12月4日 10:00，Customer Service <${dovecot.user}> 写道：`,
            `> ${survey.parsed.text!.split('\n')[0]}`,
            '',
          ].join('\r\n'),
        ),
      );
      const rated = await until(async () => {
        const t = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body;
        return t.csat !== null ? t : undefined;
      }, 'the rating');
      expect(rated).to.include({ status: 'resolved', csat: 5, csatComment: '非常满意，换货很快' });
      const thanks = await smtp.next((m) => !!m.text?.includes('感谢您的评价'), 'the thanks');
      expect(thanks.envelopeTo).to.deep.equal(['wang@example.cn']);
      expect(thanks.parsed.inReplyTo).to.equal('<kettle-2@example.cn>');
      expect((await gw.api('GET', '/api/v1/tickets?channel=email')).body.items, 'the answer opened no ticket').to.have.length(1);
    });
  });
}

import { expect } from 'chai';
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { parseEmail, type ParseEmailResult, type ParsedComplaint } from '../../../../adapters/email/parse-email.js';
import { leastStall, MAX_EVENT_LOOP_STALL_MS } from '../../../support/fuzz.js';

// Real messages from permissively licensed parsers' test suites, copied into test/fixtures/email/mime (sources and
// licences in test/fixtures/email/README.md).
const mime = (name: string) => readFileSync(new URL(`../../../../test/fixtures/email/mime/${name}`, import.meta.url));

function complaint(r: ParseEmailResult): ParsedComplaint['message'] {
  if (r.kind !== 'message') throw new Error(`expected a complaint, got ${r.category}: ${r.reason}`);
  return r.message;
}

/** Builds a raw message; bodies in legacy charsets are produced with iconv-lite here, not stored as files. */
function rawMail(headers: string[], body: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(headers.join('\r\n') + '\r\n\r\n', 'latin1'), typeof body === 'string' ? Buffer.from(body) : body]);
}
const b64lines = (buf: Buffer) => buf.toString('base64').replace(/.{76}/g, '$&\r\n');

describe('parseEmail', () => {
  describe('charsets (fixtures generated in the test with iconv-lite)', () => {
    it('GBK base64 body with a GB2312 B-encoded subject and sender name', async () => {
      const m = complaint(
        await parseEmail(
          rawMail(
            [
              `From: =?GB2312?B?${iconv.encode('王小明', 'gb2312').toString('base64')}?= <Xiaoming@Example.cn>`,
              `Subject: =?GB2312?B?${iconv.encode('投诉：空调不制冷', 'gb2312').toString('base64')}?=`,
              'Message-ID: <gbk@example.cn>',
              'Content-Type: text/plain; charset=GBK',
              'Content-Transfer-Encoding: base64',
            ],
            // 镕 and 珺 are GBK-only (not in GB2312): a GB2312-only decoder would lose them.
            b64lines(iconv.encode('朱镕基路的李珺家里，空调修了三次还是不制冷。', 'gbk')),
          ),
        ),
      );
      expect(m.subject).to.equal('投诉：空调不制冷');
      expect(m.from).to.deep.equal({ address: 'xiaoming@example.cn', name: '王小明' });
      expect(m.text).to.equal('朱镕基路的李珺家里，空调修了三次还是不制冷。');
      expect(m.language).to.equal('zh-Hans');
    });

    it('GB2312 Q-encoded subject and an 8-bit GB2312 body', async () => {
      const q = [...iconv.encode('退款', 'gb2312')].map((b) => `=${b.toString(16).toUpperCase()}`).join('');
      const m = complaint(
        await parseEmail(
          rawMail(
            ['From: a@example.cn', `Subject: =?gb2312?Q?${q}?=`, 'Content-Type: text/plain; charset=gb2312', 'Content-Transfer-Encoding: 8bit'],
            iconv.encode('请退款。', 'gb2312'),
          ),
        ),
      );
      expect(m.subject).to.equal('退款');
      expect(m.text).to.equal('请退款。');
    });

    it('GB18030 body with four-byte sequences (emoji)', async () => {
      const m = complaint(
        await parseEmail(
          rawMail(
            ['From: a@example.cn', 'Subject: x', 'Content-Type: text/plain; charset=GB18030', 'Content-Transfer-Encoding: base64'],
            b64lines(iconv.encode('太差了😡', 'gb18030')),
          ),
        ),
      );
      expect(m.text).to.equal('太差了😡');
    });

    it('Big5 body with a raw 8-bit Big5 subject header (no encoded word)', async () => {
      const raw = Buffer.concat([
        Buffer.from('From: chan@example.hk\r\nSubject: ', 'latin1'),
        iconv.encode('帳單重複扣款', 'big5'),
        Buffer.from('\r\nContent-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: 8bit\r\n\r\n', 'latin1'),
        iconv.encode('我的信用卡被扣了兩次錢。', 'big5'),
      ]);
      const m = complaint(await parseEmail(raw));
      expect(m.subject).to.equal('帳單重複扣款');
      expect(m.text).to.equal('我的信用卡被扣了兩次錢。');
      expect(m.language).to.equal('zh-Hant');
    });

    it('ISO-2022-JP body and encoded-word subject', async () => {
      // "こんにちは" in JIS X 0208 between ESC $ B and ESC ( B.
      const jis = Buffer.from([0x1b, 0x24, 0x42, 0x24, 0x33, 0x24, 0x73, 0x24, 0x4b, 0x24, 0x41, 0x24, 0x4f, 0x1b, 0x28, 0x42]);
      const m = complaint(
        await parseEmail(
          rawMail(
            [
              'From: yamada@example.jp',
              `Subject: =?ISO-2022-JP?B?${jis.toString('base64')}?=`,
              'Content-Type: text/plain; charset=ISO-2022-JP',
              'Content-Transfer-Encoding: 7bit',
            ],
            jis,
          ),
        ),
      );
      expect(m.subject).to.equal('こんにちは');
      expect(m.text).to.equal('こんにちは');
    });
  });

  describe('mime fixtures (test/fixtures/email/mime)', () => {
    it('flanker__charset-gb2312: raw 8-bit GB2312 Subject and From name are decoded, not latin1 mojibake', async () => {
      const m = complaint(await parseEmail(mime('flanker__charset-gb2312.eml')));
      expect(m.subject).to.equal('提示：您的企业成员暂时无法登录邮件客户端');
      expect(m.from).to.deep.equal({ address: '10000@qq.com', name: '腾讯企业邮箱' });
      expect(m.text).to.contain('尊敬的管理员');
      expect(m.meta.html).to.equal(true);
    });

    it('flanker__charset-gb2312-1: a mail already mangled at the source (U+FFFD in the subject) passes through without crashing', async () => {
      const m = complaint(await parseEmail(mime('flanker__charset-gb2312-1.eml')));
      expect(m.from.address).to.equal('10000@qq.com');
      expect(m.text.length).to.be.greaterThan(0);
    });

    it('flanker__bilingual-simple: UTF-8 B-encoded subject, English and Russian body', async () => {
      const m = complaint(await parseEmail(mime('flanker__bilingual-simple.eml')));
      expect(m.subject).to.equal('Simple text. How are you? Как ты поживаешь?');
      expect(m.text).to.equal('This line is in English\nА эта линия по-русски.');
    });

    it('enmime__incorrect-charset: 8-bit UTF-8 labelled us-ascii is still read as UTF-8', async () => {
      const m = complaint(await parseEmail(mime('enmime__incorrect-charset.raw')));
      expect(m.text).to.contain('∮ E⋅da = Q');
    });

    it('flanker__quoted-printable: soft line breaks in very long links are joined', async () => {
      const m = complaint(await parseEmail(mime('flanker__quoted-printable.eml')));
      expect(m.text).to.match(/http:\/\/translate\.google\.com\/\S{100,}/);
    });

    it('flanker__missing-final-boundary: a multipart without its closing boundary still yields the body', async () => {
      expect(complaint(await parseEmail(mime('flanker__missing-final-boundary.eml'))).text).to.equal('Some body');
    });

    it('mailparser__nested: multipart/mixed > related > alternative picks the text part', async () => {
      expect(complaint(await parseEmail(mime('mailparser__nested.eml'))).text).to.contain('Dear Sir,\n\nGood evening.');
    });

    it('mailparser__nodemailer: attachments and inline images become data: refs; the Apple watch-html part is not an attachment', async () => {
      const m = complaint(await parseEmail(mime('mailparser__nodemailer.eml')));
      expect(m.attachments.map((a) => a.name)).to.deep.equal(['image.png', 'nyan cat ✔.gif', 'notes.txt']);
      expect(m.attachments[2]!.ref).to.match(/^data:text\/plain;base64,/);
      expect(Buffer.from(m.attachments[2]!.ref.split(',')[1]!, 'base64').length).to.equal(m.attachments[2]!.size);
      expect(m.meta.inlineImages).to.equal(2);
    });

    it('mailparser__nodemailer: an attachment over EMAIL_MAX_ATTACHMENT_BYTES is dropped and listed', async () => {
      const m = complaint(await parseEmail(mime('mailparser__nodemailer.eml'), { maxAttachmentBytes: 10_000 }));
      expect(m.attachments.map((a) => a.name)).to.deep.equal(['image.png', 'notes.txt']);
      expect(m.meta.droppedAttachments).to.deep.equal([{ name: 'nyan cat ✔.gif', contentType: 'image/gif', size: 29361, reason: 'too-large' }]);
    });

    it('mailparser__base64encodedroot: a base64 image as the whole message is an attachment with empty text', async () => {
      const m = complaint(await parseEmail(mime('mailparser__base64encodedroot.eml')));
      expect(m.attachments.map((a) => [a.name, a.contentType, a.size])).to.deep.equal([['screenshot.png', 'image/png', 425]]);
    });

    it('rubymail__attachment-attachment_with_encoded_name: RFC 2231/2047 encoded attachment name', async () => {
      const m = complaint(await parseEmail(mime('rubymail__attachment-attachment_with_encoded_name.eml')));
      expect(m.attachments.map((a) => a.name)).to.include('01 Quien Te Dijat. Pitbull.mp3');
    });

    it('rubymail__plain-raw_email_reply: thread key is the References root; In-Reply-To kept in meta', async () => {
      const m = complaint(await parseEmail(mime('rubymail__plain-raw_email_reply.eml')));
      expect(m.externalId).to.equal('<473FFE27.20003@xxx.org>');
      expect(m.threadKey).to.equal('<473FF3B8.9020707@xxx.org>');
      expect(m.meta.inReplyTo).to.equal('<348F04F142D69C21-291E56D292BC@xxxx.net>');
      expect(m.meta.references).to.deep.equal(['<473FF3B8.9020707@xxx.org>', '<348F04F142D69C21-291E56D292BC@xxxx.net>']);
    });

    it('rubymail__error-multiple_references_with_one_invalid: a broken References header does not break threading', async () => {
      const m = complaint(await parseEmail(mime('rubymail__error-multiple_references_with_one_invalid.eml')));
      expect(m.threadKey).to.equal('<foo@bar.net>');
    });

    it("stalwart__015: References of mails attached as .txt files do not leak into the outer mail's thread", async () => {
      const m = complaint(await parseEmail(mime('stalwart__015.eml')));
      expect(m.meta.references).to.deep.equal([]);
      expect(m.threadKey).to.equal('<7da78721a8a234894af702fe25fc64a5@proxforge.de>');
      expect(m.attachments.map((a) => a.name)).to.deep.equal(['training-mail.txt', 'office-reply.txt', 'shop-mail.txt']);
    });

    it('phpmmp__issue84: a header-first reply with answers between quotes keeps the answers', async () => {
      const m = complaint(await parseEmail(mime('phpmmp__issue84.eml')));
      expect(m.threadKey).to.equal('<CAFMT4NpJxuuqc-wTr1aE4K+wZBT8+04j+9-SsY+nhUMU83fDUg@mail.gmail.com>');
      expect(m.text.split('\n').some((l) => l.trim() && !l.startsWith('>') && !/wrote:$/.test(l))).to.equal(true);
    });

    it('flanker__multi-received-headers: a Gmail forward keeps the forwarded text and is flagged forwarded', async () => {
      const m = complaint(await parseEmail(mime('flanker__multi-received-headers.eml')));
      expect(m.meta.forwarded).to.equal(true);
      expect(m.text).to.contain('---------- Forwarded message ----------');
    });

    it('mailparser__spam: an HTML-only mail is marked html and its text comes from the HTML', async () => {
      const m = complaint(await parseEmail(mime('mailparser__spam.eml')));
      expect(m.meta.html).to.equal(true);
    });

    it('flanker__attached-pdf: a mail without any From is not a complaint', async () => {
      const r = await parseEmail(mime('flanker__attached-pdf.eml'));
      expect(r).to.include({ kind: 'not-a-complaint', category: 'no-sender' });
    });
  });

  describe('not complaints (bounces, auto-replies, receipts, reports)', () => {
    const cases: Array<[string, string]> = [
      ['mailparser__delivery-status.eml', 'bounce'],
      ['flanker__bounce-mailbox-full.eml', 'bounce'],
      ['flanker__bounce-delayed.eml', 'bounce'],
      ['flanker__bounce-office365.eml', 'bounce'],
      ['flanker__bounce-no-mx.eml', 'bounce'],
      ['flanker__bounce-gmail-invalid-address.eml', 'bounce'],
      ['enmime__dsn_with_multipart_alternative.raw', 'bounce'],
      ['phpmmp__failure.eml', 'bounce'],
      ['rubymail__multipart_report-multi_address_bounce1.eml', 'bounce'],
      ['sisimai__lhost-postfix-01.eml', 'bounce'],
      ['flanker__disposition-notification.eml', 'read-receipt'],
      ['flanker__fbl-aol.eml', 'abuse-report'],
      ['sisimai__arf-01.eml', 'abuse-report'],
      ['sisimai__rfc3834-01.eml', 'auto-reply'],
      ['sisimai__rfc3834-03.eml', 'auto-reply'],
      ['sisimai__rfc3834-05.eml', 'auto-reply'],
      ['sisimai__rfc3834-06.eml', 'auto-reply'],
      ['flanker__from-encoding.eml', 'bulk'],
    ];
    for (const [file, category] of cases) {
      it(`${file}: ${category}`, async () => {
        const r = await parseEmail(mime(file));
        expect(r.kind).to.equal('not-a-complaint');
        expect((r as { category: string }).category).to.equal(category);
      });
    }
  });

  describe('hostile headers (issue 16, found by test/fuzz/email.fuzz.test.ts)', () => {
    it('reads a 60 kB From header without holding the event loop (it took seconds: quadratic address regexes)', async () => {
      for (const from of ['x'.repeat(60_000), `a${' '.repeat(60_000)}b <a@example.cn>`, `${'x'.repeat(30_000)}@${'y'.repeat(30_000)}`]) {
        const mail = rawMail([`From: ${from}`, 'Subject: s', 'Message-ID: <big-from@example.cn>'], 'hello');
        let fastest = Infinity;
        let kind: string | undefined;
        const stall = await leastStall(async () => {
          const started = performance.now();
          kind = (await parseEmail(mail)).kind;
          fastest = Math.min(fastest, performance.now() - started);
        });
        expect(fastest, `ms to read a From of ${from.slice(0, 20)}…`).to.be.below(1000);
        expect(stall, `longest stall for a From of ${from.slice(0, 20)}…`).to.be.below(MAX_EVENT_LOOP_STALL_MS);
        expect(kind).to.be.oneOf(['message', 'not-a-complaint']);
      }
    });

    it('rejects a mail whose header block is over 64 kB (a bare-CR mail is all header) without holding the event loop', async () => {
      const raw = Buffer.from(`From: a@example.cn\rSubject: ${'x'.repeat(400_000)}\r\rhello`);
      const refused = () =>
        parseEmail(raw).then(
          () => undefined,
          (e: unknown) => e,
        );
      let error: unknown;
      expect(await leastStall(async () => (error = await refused()))).to.be.below(MAX_EVENT_LOOP_STALL_MS);
      expect((error as Error).message).to.match(/Max header size/);
    });

    it('bounds what the gateway journal would refuse: long subject and name shortened, huge References trimmed, empty mail skipped', async () => {
      const refs = Array.from({ length: 3000 }, (_, i) => `<r${i}@example.cn>`).join(' ');
      const m = complaint(
        await parseEmail(
          rawMail(
            [
              `From: "${'Wang '.repeat(80)}" <a@example.cn>`,
              `Subject: ${'refund '.repeat(500)}`,
              `References: ${refs}`,
              `In-Reply-To: <${'i'.repeat(600)}@example.cn>`,
            ],
            'hi',
          ),
        ),
      );
      expect(m.subject).to.have.length(2000);
      expect(m.from.name).to.have.length(256);
      expect(m.meta.references).to.have.length(50);
      expect((m.meta.references as string[])[0]).to.equal('<r0@example.cn>');
      expect((m.meta.references as string[]).at(-1)).to.equal('<r2999@example.cn>');
      expect(m.threadKey).to.equal('<r0@example.cn>');
      expect(m.meta.inReplyTo).to.equal(undefined);
      const empty = await parseEmail(rawMail(['From: a@example.cn', 'Message-ID: <empty@example.cn>'], '   \r\n'));
      expect(empty).to.deep.include({ kind: 'not-a-complaint', category: 'empty' });
    });

    it('keeps the display name of an ordinary From', async () => {
      const m = complaint(await parseEmail(rawMail(['From: "Li, Na" <li.na@example.cn>', 'Subject: s'], 'hi')));
      expect(m.from).to.deep.equal({ address: 'li.na@example.cn', name: 'Li, Na' });
    });
  });

  describe('ids, threading and loop protection', () => {
    const plain = (extra: string[], body = 'My parcel never arrived.') =>
      rawMail(['From: Jane <jane@example.com>', 'To: service@example.test', 'Subject: Parcel', 'Content-Type: text/plain; charset=utf-8', ...extra], body);

    it('a mail without Message-ID gets a stable synthetic id, the same on every fetch', async () => {
      const a = complaint(await parseEmail(plain([])));
      const b = complaint(await parseEmail(plain([])));
      expect(a.externalId).to.match(/^<[0-9a-f]{32}@no-message-id\.invalid>$/);
      expect(a.externalId).to.equal(b.externalId);
      expect(a.threadKey).to.equal(a.externalId);
    });

    it('the ticket number in a reply subject lands in meta.ticketNumber', async () => {
      const m = complaint(
        await parseEmail(
          rawMail(
            ['From: jane@example.com', 'Subject: Re: [C-20260302-0042] Parcel', 'Message-ID: <r1@example.com>', 'In-Reply-To: <ours@example.test>'],
            'Still nothing.',
          ),
        ),
      );
      expect(m.meta.ticketNumber).to.equal('C-20260302-0042');
      expect(m.threadKey).to.equal('<ours@example.test>');
    });

    it('our own reply looping back (X-Complaint-Gateway) is not a complaint', async () => {
      const r = await parseEmail(plain(['X-Complaint-Gateway: outbound', 'Auto-Submitted: auto-replied']));
      expect(r).to.include({ kind: 'not-a-complaint', category: 'own' });
    });

    it('mail from our own EMAIL_FROM address is not a complaint, even without our header', async () => {
      const r = await parseEmail(rawMail(['From: "Customer Service" <Service@Example.test>', 'Subject: hi'], 'x'), {
        ownAddresses: ['Customer Service <service@example.test>'],
      });
      expect(r).to.include({ kind: 'not-a-complaint', category: 'own' });
    });

    it('an HTML-only reply is turned into text with the quoted blockquote removed', async () => {
      const html =
        '<div>The refund has not arrived.</div><div>On Mon, Mar 2, 2026 at 10:00 AM Service &lt;s@example.test&gt; wrote:</div><blockquote>We refunded you.</blockquote>';
      const m = complaint(await parseEmail(rawMail(['From: jane@example.com', 'Subject: Re: refund', 'Content-Type: text/html; charset=utf-8'], html)));
      expect(m.text).to.equal('The refund has not arrived.');
      expect(m.meta.html).to.equal(true);
    });

    it('a reply that is only quoted history keeps the history rather than an empty complaint', async () => {
      const m = complaint(await parseEmail(plain([], '> We refunded you.\n> Regards')));
      expect(m.text).to.equal('> We refunded you.\n> Regards');
    });

    it('receivedAt is the server INTERNALDATE when given', async () => {
      const m = complaint(await parseEmail(plain(['Date: Mon, 02 Mar 2026 10:00:00 +0800']), { receivedAt: new Date('2026-03-02T03:00:05Z') }));
      expect(m.receivedAt).to.equal('2026-03-02T03:00:05.000Z');
    });
  });
});

import { expect } from 'chai';
import iconv from 'iconv-lite';
import { composeReply } from '../../adapters/email/compose-reply.js';
import { parseEmail } from '../../adapters/email/parse-email.js';
import { PermanentDeliveryError, type InboundMessage } from '../../adapters/types.js';
import { TEST_DATABASES } from '../support/databases.js';
import { MAX_EVENT_LOOP_STALL_MS, expectJournalDrained, fc, fuzzParams, hostileString, watchEventLoop } from '../support/fuzz.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Hostile raw mail through the e-mail adapter's parse path (parseEmail, as handleMail calls it)
 * and then the gateway's sink, as the IMAP poller would hand them over: odd and unknown
 * charsets, broken base64 and quoted-printable, huge and injected headers, deeply nested or
 * unterminated multiparts, NUL bytes.
 */

const CRLF = '\r\n';
const b = (s: string) => Buffer.from(s, 'latin1');
const utf8 = (s: string) => Buffer.from(s, 'utf8');

const charset = fc.constantFrom(
  'utf-8',
  'GBK',
  'gb2312',
  'GB18030',
  'big5',
  'iso-2022-jp',
  'utf-7',
  'UTF-16',
  'x-unknown',
  'unknown-8bit',
  '',
  '"',
  'utf-8"; x="',
  'ks_c_5601-1987',
  'windows-1252',
  'binary',
  '../../etc/passwd',
);
const transferEncoding = fc.constantFrom('7bit', '8bit', 'binary', 'base64', 'quoted-printable', 'x-uuencode', 'BASE64 ', 'bogus', '');

/** Body bytes: random bytes, hostile text, real GBK/Big5, base64 and quoted-printable gone wrong. */
const bodyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 4000 }).map((a) => Buffer.from(a)),
  hostileString(4000).map(utf8),
  fc.constantFrom('你好，我的订单 DD20261124001 三天没到，请尽快处理。', 'The kettle I bought leaks. Order 4411.').map(utf8),
  fc
    .constantFrom('你好，订单 DD20261124001 三天没到，请尽快处理。', '我的信用卡被扣了兩次錢。')
    .chain((s) => fc.constantFrom(iconv.encode(s, 'gbk'), iconv.encode(s, 'big5'), iconv.encode(s, 'gb18030'))),
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=!*-_\r\n \t'), maxLength: 4000 }).map(b),
  fc
    .array(fc.constantFrom('=', '=Z1', '=\r\n', '=E4=BD', '=C4=E3', 'abc', '=0', ' \r\n', '=3D', '==', '=\n', '\u0000'), { maxLength: 800 })
    .map((a) => b(a.join(''))),
);

/** Header values: hostile text, broken encoded words, bare CR/LF. */
const headerValue = fc.oneof(
  // hostileString's long runs (up to 50 000 repeats) are cut: oversized headers are their own, rarer case below.
  { weight: 5, arbitrary: hostileString(300).map((s) => utf8(s.slice(0, 2000))) },
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(
        '=?GBK?B?xOO6ww==?=',
        '=?gb2312?Q?=C4=E3=BA=C3?=',
        '=?x-unknown?B?AAAA?=',
        '=?utf-8?B?###?=',
        '=?utf-8?Q?=ZZ=?=',
        '=?=?=?',
        '=?utf-8?B?' + 'QUFB'.repeat(5000) + '?=',
        '=?utf-8*zh?Q?=E4=BD=A0?=',
        'a\rBcc: x@attacker.example',
        'a\nBcc: x@attacker.example',
        '=?utf-8?B?' + Buffer.from('victim@example.com\r\nBcc: x@attacker.example').toString('base64') + '?=',
      )
      .map(b),
  },
);

/** One header far past any real one: a huge value, thousands of folds, a References chain of thousands. */
const oversizedHeader = fc.tuple(
  fc.constantFrom('Subject', 'From', 'References', 'Received', 'X-Mailer', 'Date'),
  fc.oneof(
    fc.integer({ min: 1000, max: 300_000 }).map((n) => b('x'.repeat(n))),
    fc.integer({ min: 10, max: 3000 }).map((n) => b(Array.from({ length: n }, (_, i) => `p${i}`).join('\r\n\t'))),
    fc.integer({ min: 100, max: 8000 }).map((n) => b(Array.from({ length: n }, (_, i) => `<r${i}@example.cn>`).join(' '))),
  ),
);

/** From: ordinary, injected (folded, encoded, listed) and nonsense. */
const fromValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('Wang <wang@example.cn>', 'li.na@example.cn', '=?GBK?B?zfXQoQ==?= <xiaoming@example.cn>').map(b) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        'victim@example.com\r\nBcc: x@attacker.example',
        'victim@example.com, x@attacker.example',
        'victim@example.com; x@attacker.example',
        '"x@attacker.example" <victim@example.com>',
        '=?utf-8?B?' + Buffer.from('victim@example.com\r\nBcc: x@attacker.example').toString('base64') + '?= <victim@example.com>',
        '<' + Buffer.from('victim@example.com\r\nBcc: x@attacker.example').toString('latin1') + '>',
        'undisclosed-recipients:;',
        'Group: a@example.com, b@example.com;',
        '<>',
        '',
        '@',
        'a@b@c',
        'victim@example.com\u0000x@attacker.example',
        'MAILER-DAEMON@mx.example.cn',
      )
      .map(b),
  },
  { weight: 1, arbitrary: fc.emailAddress().map(b) },
  { weight: 1, arbitrary: headerValue },
);

type Node =
  | { kind: 'leaf'; type: string; charset: string; cte: string; name?: string; body: Buffer }
  | { kind: 'multipart'; sub: string; boundary: string | undefined; close: boolean; mismatched: boolean; parts: Node[] };

const leaf: fc.Arbitrary<Node> = fc.record({
  kind: fc.constant('leaf' as const),
  type: fc.constantFrom('text/plain', 'text/html', 'application/octet-stream', 'image/png', 'message/rfc822', 'text/x-unknown', 'TEXT/PLAIN', 'text', ''),
  charset,
  cte: transferEncoding,
  name: fc.option(
    hostileString(120).map((s) => s.slice(0, 500)),
    { nil: undefined },
  ),
  body: bodyBytes,
});

const tree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({
      kind: fc.constant('multipart' as const),
      sub: fc.constantFrom('mixed', 'alternative', 'related', 'report; report-type=delivery-status', 'x-unknown'),
      boundary: fc.option(
        fc.oneof(
          fc.constantFrom('b1', 'b1', '', '--', '"quoted boundary"', 'a'.repeat(2000)),
          hostileString(80).map((s) => s.slice(0, 500)),
        ),
        { nil: undefined, freq: 6 },
      ),
      close: fc.boolean(),
      mismatched: fc.boolean(),
      parts: fc.array(tie('node'), { maxLength: 4 }),
    }),
  ),
})).node;

let boundarySeq = 0;
/** Renders one MIME entity (headers + body); `boundary` names are made unique per level unless the generator chose a broken one. */
function render(node: Node): Buffer {
  if (node.kind === 'leaf') {
    const name = node.name === undefined ? '' : `; name="${node.name}"`;
    return Buffer.concat([
      b(`Content-Type: ${node.type}; charset=${node.charset}`),
      utf8(name),
      b(`${CRLF}Content-Transfer-Encoding: ${node.cte}${CRLF}${CRLF}`),
      node.body,
      b(CRLF),
    ]);
  }
  const boundary = node.boundary === 'b1' ? `b${++boundarySeq}` : node.boundary;
  const header =
    boundary === undefined ? `Content-Type: multipart/${node.sub}${CRLF}${CRLF}` : `Content-Type: multipart/${node.sub}; boundary="${boundary}"${CRLF}${CRLF}`;
  const used = node.mismatched ? `${boundary ?? ''}x` : (boundary ?? 'none');
  const chunks: Buffer[] = [utf8(header), b(`preamble${CRLF}`)];
  for (const part of node.parts) chunks.push(utf8(`--${used}${CRLF}`), render(part));
  if (node.close) chunks.push(utf8(`--${used}--${CRLF}`));
  return Buffer.concat(chunks);
}

/** multipart/mixed nested `depth` levels deep, one child each; built without recursion. */
function nested(depth: number, close: boolean): Buffer {
  const open: string[] = [];
  const closing: string[] = [];
  for (let i = 0; i < depth; i++) {
    open.push(`Content-Type: multipart/mixed; boundary="n${i}"${CRLF}${CRLF}--n${i}${CRLF}`);
    if (close) closing.unshift(`${CRLF}--n${i}--${CRLF}`);
  }
  return b(open.join('') + `Content-Type: text/plain${CRLF}${CRLF}deep inside${CRLF}` + closing.join(''));
}

const extraHeaders = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom('X-Mailer', 'Received', 'Auto-Submitted', 'Precedence', 'Return-Path', 'Content-Language', 'X-Complaint-Gateway', 'Bcc', 'Reply-To'),
      hostileString(40).map((s) => s.slice(0, 200)),
    ),
    headerValue,
  ),
  { maxLength: 4 },
);

const messageId = fc.option(
  fc.oneof(
    fc.uuid().map((u) => b(`<${u}@example.cn>`)),
    headerValue,
  ),
  { nil: undefined },
);
const references = fc.option(
  fc.oneof(
    fc.integer({ min: 1, max: 300 }).map((n) => b(Array.from({ length: n }, (_, i) => `<r${i}@example.cn>`).join(' '))),
    headerValue,
  ),
  { nil: undefined },
);

/** A whole raw message: headers (some hostile) around a generated or pathologically nested body, NUL bytes sprinkled in. */
const rawMail = fc
  .record({
    from: fromValue,
    subject: fc.option(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('投诉：快递三天没到', '=?GB2312?B?zbvL36O6v9W198Kpy64=?=', 'Re: [C-20261124-0001] refund').map(utf8) },
        { weight: 2, arbitrary: headerValue },
      ),
      { nil: undefined },
    ),
    messageId,
    references,
    date: fc.option(fc.oneof(fc.constantFrom('Mon, 02 Mar 2026 10:00:00 +0800', 'yesterday', '99 Foo 99999 99:99:99 +9999').map(b), headerValue), {
      nil: undefined,
    }),
    extra: extraHeaders,
    oversized: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: oversizedHeader }),
    body: fc.oneof(
      { weight: 4, arbitrary: tree.map(render) },
      { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean()).map(([d, c]) => nested(d, c)) },
    ),
    nuls: fc.array(fc.nat(), { maxLength: 5 }),
    lineEnding: fc.constantFrom(CRLF, '\n', '\r'),
  })
  .map((m) => {
    const headers: Buffer[] = [b('From: '), m.from, b(CRLF), b(`To: complaints@example.test${CRLF}`)];
    if (m.subject) headers.push(b('Subject: '), m.subject, b(CRLF));
    if (m.messageId) headers.push(b('Message-ID: '), m.messageId, b(CRLF));
    if (m.references) headers.push(b('References: '), m.references, b(CRLF));
    if (m.date) headers.push(b('Date: '), m.date, b(CRLF));
    for (const [name, value] of m.extra) headers.push(utf8(`${name}: `), value, b(CRLF));
    if (m.oversized) headers.push(b(`${m.oversized[0]}: `), m.oversized[1], b(CRLF));
    headers.push(b(`MIME-Version: 1.0${CRLF}`));
    let raw = Buffer.concat([...headers, m.body]);
    if (m.lineEnding !== CRLF) raw = Buffer.from(raw.toString('latin1').replace(/\r\n/g, m.lineEnding), 'latin1');
    if (m.nuls.length) {
      raw = Buffer.from(raw);
      for (const n of m.nuls) if (raw.length) raw[n % raw.length] = 0;
    }
    return raw;
  });

/** How long one mail may take end to end before it counts as stalled (parsing is streamed, so the event loop stays free). */
const PARSE_DEADLINE_MS = 10_000;

function withinDeadline<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${PARSE_DEADLINE_MS} ms`)), PARSE_DEADLINE_MS))),
  ]).finally(() => clearTimeout(timer));
}

for (const db of TEST_DATABASES) {
  describe(`fuzz: raw e-mail through parseEmail and the sink on ${db}`, function () {
    // One property, stopped by fuzzParams after 120 s at most, plus the drain.
    this.timeout(240_000);
    let gw: TestGateway;
    const crashes: unknown[] = [];
    const onCrash = (err: unknown) => crashes.push(err);

    before(async function () {
      process.on('uncaughtException', onCrash);
      process.on('unhandledRejection', onCrash);
      gw = await startTestGateway({ db });
    });
    after(async function () {
      process.removeListener('uncaughtException', onCrash);
      process.removeListener('unhandledRejection', onCrash);
      await gw?.stop();
    });

    it('parses every mail without a crash or a stall, never addresses a reply to more than the sender, and processes every message the sink accepts', async function () {
      const outcomes = new Map<string, number>();
      const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
      const parsed: InboundMessage[] = [];

      // 1. The adapter's parse path, watched on its own: the gateway has nothing to process meanwhile,
      //    so a stall here is parseEmail's, not the pipeline's.
      const loop = watchEventLoop();
      await fc.assert(
        fc.asyncProperty(rawMail, async (raw) => {
          let result;
          try {
            result = await withinDeadline(
              parseEmail(raw, { ownAddresses: ['service@example.test'], maxAttachmentBytes: 1024 * 1024, mailboxAddress: 'complaints@example.test' }),
              'parseEmail',
            );
          } catch (err) {
            // As EmailAdapter.handleMail does: a mail mailparser cannot read (header or nesting over its limits) is skipped as 'unparseable'.
            // That must be an ordinary rejected Error, not a stall (the deadline) or a crash (the listeners above).
            if (!(err instanceof Error) || /took over/.test(err.message)) throw err;
            return void count(`unparseable: ${err.message.slice(0, 60)}`);
          }
          if (result.kind !== 'message') return void count(result.category);
          const m = result.message;
          // Whatever the From header held, a reply goes to that one mailbox or nowhere (issue 16).
          try {
            const reply = composeReply(
              { id: 'o1', channel: 'email', to: m.from.address, ticketNumber: 'C-20261124-0001', text: 'ok', meta: {} },
              { from: 'Service <service@example.test>', brand: { zh: 'x', en: 'x' } },
            );
            expect(reply.to.address).to.equal(m.from.address.trim());
            expect(reply.to.address).to.not.match(/[\r\n\0,;\s]/);
          } catch (err) {
            if (!(err instanceof PermanentDeliveryError)) throw err;
          }
          parsed.push(m);
        }),
        fuzzParams(),
      );
      expect(loop.stop(), 'longest event-loop stall while parsing (ms)').to.be.below(MAX_EVENT_LOOP_STALL_MS);

      // 2. The gateway's sink, as the poller hands messages over, then the pipeline drains them all.
      let accepted = 0;
      for (const m of parsed) {
        try {
          await withinDeadline(gw.gateway.sink(m), 'sink');
          accepted++;
          count('accepted');
        } catch (err) {
          // The sink may refuse a message (400; the adapter then skips the mail); it must not fail any other way.
          expect((err as { statusCode?: number }).statusCode, String(err)).to.equal(400);
          count('refused by the sink');
        }
      }
      await expectJournalDrained(gw);
      expect(crashes, 'uncaught errors').to.deep.equal([]);
      // The generator must reach the accepting path, or the drain check proves nothing.
      expect(accepted, JSON.stringify([...outcomes])).to.be.above(0);
    });
  });
}

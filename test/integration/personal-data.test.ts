/**
 * Issue 23, data subject rights: a customer who complained by e-mail (with a photo), SMS, WeChat and
 * web chat asks for their data, then for its erasure. The export holds every message and the photo;
 * after the erasure no table, attachment file or later log line holds their name, addresses, phone or
 * words (every text column of every table the database lists is searched), on SQLite and PostgreSQL;
 * a restart and a channel re-delivering one of their messages bring nothing back; the tickets still
 * count in the reports; and the erasure is on record (who, when, why).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { expect } from 'chai';
import { extract } from 'tar-stream';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { ManualClock } from '../../contracts/clock.js';
import { recordInteraction } from '../../adapters/wechat/wechat-service-window.js';
import { main } from '../../gateway/cli.js';
import { Gateway } from '../../gateway/compose.js';
import { createLogger } from '../../gateway/logger.js';
import { replay } from '../../gateway/replay.js';
import { periodBefore } from '../../gateway/retention.js';
import { dialectOf, type Db } from '../../storage/db.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/test-gateway.js';

// A real 1×1 PNG: the photo of the leaking kettle.
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const WANG = {
  name: 'Wang Fang',
  nameZh: '王芳',
  email: 'wang.fang@example.cn',
  phone: '+8613812345678',
  phoneLocal: '13812345678',
  openid: 'oWangFangOpenid7788',
  visitor: 'visitor-wangfang-91',
  conversation: 'conv-wangfang-1',
  order: 'DD20261124777',
};
/** Words only Wang Fang wrote (or an agent wrote about her). */
const HER_WORDS = [
  'leaks from the bottom of the base',
  '水壶底座漏水',
  '还没人处理我的水壶',
  'the leaking kettle from the shop on Nanjing Road',
  '发票抬头写错了',
  '换货很及时',
  'called her back on the mobile',
];
const NEEDLES = [WANG.name, WANG.nameZh, WANG.email, WANG.phone, WANG.phoneLocal, WANG.openid, WANG.visitor, WANG.conversation, WANG.order, ...HER_WORDS];

/** Every row of every table the database lists, as text, with where it came from. */
async function dumpDatabase(db: Db): Promise<Array<{ table: string; text: string }>> {
  const tables: string[] =
    dialectOf(db) === 'sqlite'
      ? (await db.raw(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((r: { name: string }) => r.name)
      : (await db.raw(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)).rows.map(
          (r: { table_name: string }) => r.table_name,
        );
  expect(tables).to.include.members(['messages', 'intake_journal', 'outbox', 'ticket_events', 'kv_state', 'customer_identities', 'faq_unanswered']);
  const out: Array<{ table: string; text: string }> = [];
  for (const table of tables) {
    for (const row of await db(table).select('*')) out.push({ table, text: JSON.stringify(row) });
  }
  return out;
}

function holding(rows: Array<{ table: string; text: string }>, needles: string[]): string[] {
  const found: string[] = [];
  for (const r of rows) for (const n of needles) if (r.text.toLowerCase().includes(n.toLowerCase())) found.push(`${r.table}: "${n}"`);
  return [...new Set(found)];
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** The entries of a .tar.gz, by name. */
async function untar(archive: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const ex = extract();
  ex.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
    stream.on('end', () => {
      files.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => (ex.on('finish', resolve), ex.on('error', reject)));
  Readable.from(archive).pipe(createGunzip()).pipe(ex);
  await done;
  return files;
}

for (const db of TEST_DATABASES) {
  describe(`a customer's data: export and erasure on ${db}`, function () {
    this.timeout(120_000);
    let gw: TestGateway;
    let restarted: Gateway | undefined;
    let attachmentDir: string;
    const logLines: string[] = [];
    const adapters = {
      email: new FakeAdapter('email'),
      sms: new FakeAdapter('sms'),
      wechat: new FakeAdapter('wechat'),
      webchat: new FakeAdapter('webchat'),
    };

    before(async function () {
      attachmentDir = mkdtempSync(path.join(tmpdir(), 'gw-privacy-files-'));
      gw = await startTestGateway({
        db,
        adapters: Object.values(adapters),
        env: { ATTACHMENT_DIR: attachmentDir },
        logLines,
        tweak: (c) => {
          c.gateway.customerUpdates.quietHours = null;
        },
      });
    });
    after(async function () {
      await restarted?.stop().catch(() => undefined);
      if (restarted) await gw.database.drop();
      else await gw?.stop();
      rmSync(attachmentDir, { recursive: true, force: true });
    });

    const api = (method: string, p: string, body?: unknown, token?: string) => gw.api(method, p, body, token);
    const firstEmail = {
      externalId: '<kettle-1@mail.example.cn>',
      from: { address: 'Wang.Fang@Example.cn', name: `${WANG.nameZh} ${WANG.name}` },
      subject: `Kettle ${WANG.order} leaks`,
      text: `The kettle of order ${WANG.order} ${HER_WORDS[0]}. I am ${WANG.name}, call me on ${WANG.phoneLocal}. It was bought at ${HER_WORDS[3]}.`,
    };
    let customerId: number;
    let bystanderTicket: number;
    let ticketIds: number[];

    it('keeps everything she sent on four channels under one customer, and a bystander apart', async function () {
      const photo = await gw.gateway.attachments.put('漏水.png', 'image/png', PHOTO);
      await adapters.email.receive({
        ...firstEmail,
        attachments: [{ name: '漏水.png', contentType: photo.contentType, size: photo.size, ref: photo.ref }],
        meta: { messageId: firstEmail.externalId, references: [] },
      });
      await gw.settle();
      await adapters.sms.receive({ externalId: 'SM-wang-1', from: { address: WANG.phone }, text: `${HER_WORDS[1]}，订单 ${WANG.order}，${WANG.nameZh}` });
      await gw.settle();
      await adapters.wechat.receive({
        externalId: 'wx-wang-1',
        from: { address: WANG.openid },
        text: `${HER_WORDS[2]} ${WANG.order}`,
        meta: { via: 'official' },
      });
      await gw.settle();
      await adapters.webchat.receive({
        externalId: 'chat-wang-1',
        from: { address: WANG.visitor, name: WANG.name },
        threadKey: WANG.conversation,
        text: `Hi, ${WANG.name} here about ${WANG.order}: ${HER_WORDS[0]}`,
      });
      await gw.settle();
      // A second problem, by e-mail.
      await adapters.email.receive({
        externalId: '<invoice-1@mail.example.cn>',
        from: { address: WANG.email },
        subject: '发票',
        text: `${HER_WORDS[4]}，请重开。${WANG.name}`,
      });
      await gw.settle();
      // What the channels keep about her (an SMS opt-out, WeChat's 48-hour window, the chat's conversation reference).
      await gw.gateway.state.scoped('twilio').set(`twilio:sms-opt-out:${WANG.phone}`, { optedOut: false, at: new Date().toISOString(), reason: 'START' });
      await recordInteraction(gw.gateway.state.scoped('wechat'), WANG.openid, Date.now());
      await gw.gateway.state.scoped('webchat').set(`ref:${WANG.conversation}`, { user: { id: WANG.visitor, name: WANG.name } });

      const bystander = await adapters.email.receive({
        externalId: '<other@example.org>',
        from: { address: 'li.lei@example.org' },
        text: 'My blender smells burnt.',
      });
      await gw.settle();
      bystanderTicket = (await api('GET', `/api/v1/messages/${bystander.id}`)).body.ticket.id;

      const list = (await api('GET', '/api/v1/tickets?limit=200')).body.items as Array<{ id: number; customerId: number }>;
      const hers = list.filter((t) => t.id !== bystanderTicket);
      expect(new Set(hers.map((t) => t.customerId)).size, 'one customer').to.equal(1);
      customerId = hers[0]!.customerId;
      ticketIds = hers.map((t) => t.id).sort((a, b) => a - b);
      const customer = (await api('GET', `/api/v1/customers/${customerId}`)).body;
      expect(customer.identities.map((i: { kind: string; value: string }) => `${i.kind}:${i.value}`)).to.include.members([
        `email:${WANG.email}`,
        `phone:${WANG.phone}`,
        `wechat:${WANG.openid}`,
        `webchat:${WANG.visitor}`,
        `order:${WANG.order}`,
      ]);

      // An agent answers, notes a call, resolves; she rates it with a comment.
      const kettle = ticketIds[0]!;
      expect((await api('POST', `/api/v1/tickets/${kettle}/replies`, { text: `您好${WANG.nameZh}，我们马上为您换货。` })).status).to.equal(202);
      expect((await api('POST', `/api/v1/tickets/${kettle}/notes`, { text: `${HER_WORDS[6]} ${WANG.phoneLocal}, she wants a new kettle` })).status).to.equal(
        201,
      );
      expect((await api('PATCH', `/api/v1/tickets/${kettle}`, { status: 'resolved' })).status).to.equal(200);
      await gw.settle();
      await adapters.webchat.receive({ externalId: 'chat-wang-2', from: { address: WANG.visitor }, threadKey: WANG.conversation, text: `5 ${HER_WORDS[5]}` });
      await gw.settle();
      expect((await api('GET', `/api/v1/tickets/${kettle}`)).body).to.include({ csat: 5 });
    });

    it('exports every message, ticket, event, identity and attachment to an admin, and refuses others', async function () {
      const res = await fetch(`${gw.url}/api/v1/customers/${customerId}/export`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/gzip');
      expect(res.headers.get('content-disposition')).to.match(
        new RegExp(`attachment; filename="customer-${customerId}-export-\\d{4}-\\d\\d-\\d\\d\\.tar\\.gz"`),
      );
      const files = await untar(Buffer.from(await res.arrayBuffer()));
      const doc = JSON.parse(files.get('export.json')!.toString('utf8'));
      expect(doc.customerId).to.equal(customerId);
      expect(doc.identities.map((i: { kind: string }) => i.kind)).to.include.members(['email', 'phone', 'wechat', 'webchat', 'order']);
      expect(doc.tickets.map((t: { id: number }) => t.id).sort()).to.deep.equal(ticketIds);
      const messages = doc.tickets.flatMap((t: { messages: unknown[] }) => t.messages) as Array<{
        channel: string;
        direction: string;
        text: string;
        attachments: Array<{ exportedAs?: string }>;
      }>;
      expect(new Set(messages.filter((m) => m.direction === 'in').map((m) => m.channel))).to.deep.equal(new Set(['email', 'sms', 'wechat', 'webchat']));
      const inbound = messages.map((m) => m.text).join('\n');
      for (const words of HER_WORDS.filter((w) => w !== HER_WORDS[6])) expect(inbound).to.include(words);
      expect(
        messages.some((m) => m.direction === 'out' && m.text.includes(WANG.nameZh)),
        'the agent reply',
      ).to.equal(true);
      const events = doc.tickets.flatMap((t: { events: Array<{ type: string; after: { text?: string } }> }) => t.events);
      expect(events.map((e: { type: string }) => e.type)).to.include.members(['created', 'replied', 'note', 'csat_received']);
      const photo = messages.flatMap((m) => m.attachments).find((a) => a.exportedAs)!;
      expect(files.get(photo.exportedAs!)!.equals(PHOTO), 'the photo, byte for byte').to.equal(true);
      expect(files.has('README.txt')).to.equal(true);
      expect(JSON.stringify(doc)).to.not.include('statusToken');

      const agent = (await api('POST', '/api/v1/tokens', { name: 'han.mei', role: 'agent' })).body.token;
      const lead = (await api('POST', '/api/v1/tokens', { name: 'li.lei', role: 'lead' })).body.token;
      for (const token of [agent, lead]) {
        expect((await api('GET', `/api/v1/customers/${customerId}/export`, undefined, token)).status).to.equal(403);
        const refused = await api('POST', `/api/v1/customers/${customerId}/erase`, { reason: 'asked by phone' }, token);
        expect(refused.status).to.equal(403);
        expect(refused.body.error.code).to.equal('forbidden');
      }
      const unknown = await api('GET', '/api/v1/customers/987654/export');
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.message).to.equal('customer 987654 does not exist');
      expect((await api('POST', '/api/v1/customers/987654/erase', { reason: 'data subject request' })).status).to.equal(404);
      const noReason = await api('POST', `/api/v1/customers/${customerId}/erase`, {});
      expect(noReason.status).to.equal(400);
      expect(noReason.body.error.message).to.include('reason');
    });

    it('erases her for good: no table, file or later log line holds her data; reports still count her tickets', async function () {
      const csatBefore = (await api('GET', '/api/v1/csat/stats?by=channel')).body;
      const volumeBefore = (await api('GET', '/api/v1/insights/volume?by=channel')).body;
      const before = await dumpDatabase(gw.gateway.db);
      expect(holding(before, NEEDLES).length, 'the data is there before').to.be.greaterThan(10);
      expect(filesUnder(attachmentDir)).to.have.length(1);
      const logMark = logLines.length;

      const erased = await api('POST', `/api/v1/customers/${customerId}/erase`, { reason: 'Data subject request 2026-117 (received by post)' });
      expect(erased.status, JSON.stringify(erased.body)).to.equal(200);
      expect(erased.body).to.include({ customerId, filesDeleted: 1 });
      expect(erased.body.counts.tickets).to.equal(ticketIds.length);

      // A channel delivers one of her messages again (same provider id): a duplicate, nothing recreated.
      const again = await adapters.email.receive({ ...firstEmail, meta: { messageId: firstEmail.externalId } });
      expect(again.duplicate).to.equal(true);
      await gw.settle();
      // The retention job and a replay of the stored complaints run over her tickets.
      await gw.gateway.retention.run();
      const report = await replay(gw.gateway.db, gw.gateway.activeConfig, { sinceMs: 30 * 86_400_000 });
      expect(JSON.stringify(report)).to.not.include(WANG.order);

      // A restart on the same database and attachment store, and another re-delivery by SMS.
      const config = gw.gateway.activeConfig;
      await gw.gateway.stop();
      restarted = await Gateway.create({
        config,
        adapters: [adapters.sms],
        workers: false,
        watchConfig: false,
        logger: createLogger('info', { write: (line: string) => void logLines.push(line) } as never),
      });
      await adapters.sms.start(restarted.sink);
      expect(
        (await adapters.sms.receive({ externalId: 'SM-wang-1', from: { address: WANG.phone }, text: `${HER_WORDS[1]}，订单 ${WANG.order}，${WANG.nameZh}` }))
          .duplicate,
      ).to.equal(true);
      await restarted.pipeline.drain();

      const leftovers = holding(await dumpDatabase(restarted.db), NEEDLES);
      expect(leftovers, 'personal data left in the database').to.deep.equal([]);
      expect(filesUnder(attachmentDir), 'attachment files left').to.deep.equal([]);
      const logged = logLines.slice(logMark).filter((line) => NEEDLES.some((n) => line.toLowerCase().includes(n.toLowerCase())));
      expect(logged, 'log lines written after the erasure').to.deep.equal([]);
      if (db === 'sqlite') {
        // Not even in the SQLite file's free pages or its write-ahead log.
        const file = config.env.DATABASE_URL.slice('sqlite:'.length);
        const raw = Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f) && statSync(f).size > 0).map((f) => readFileSync(f)));
        expect(
          NEEDLES.filter((n) => raw.includes(Buffer.from(n))),
          'bytes in the database file',
        ).to.deep.equal([]);
      }

      // The tickets keep their figures: the reports count them as before.
      await restarted.start(0, '127.0.0.1');
      const get = async (p: string) => (await fetch(`${restarted!.url}${p}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).json();
      expect(await get('/api/v1/csat/stats?by=channel')).to.deep.equal(csatBefore);
      expect(await get('/api/v1/insights/volume?by=channel')).to.deep.equal(volumeBefore);
      const kettle = await get(`/api/v1/tickets/${ticketIds[0]}`);
      expect(kettle).to.include({ csat: 5, status: 'resolved' });
      expect(kettle.category).to.be.a('string');
      expect(kettle.messages.every((m: { text: string }) => m.text === '')).to.equal(true);
      const audit = kettle.events.find((e: { type: string }) => e.type === 'personal_data_erased');
      expect(audit).to.deep.include({ actor: 'token:admin' });
      expect(audit.after).to.include({ reason: 'Data subject request 2026-117 (received by post)', customerId });
      const recorded = await restarted.db('privacy_requests').orderBy('id');
      expect(recorded.map((r) => `${r.kind}:${r.actor}`)).to.deep.equal(['export:token:admin', 'erase:token:admin']);
      // The bystander's complaint is untouched.
      const other = await get(`/api/v1/tickets/${bystanderTicket}`);
      expect(other.messages[0].text).to.equal('My blender smells burnt.');
    });
  });
}

for (const db of TEST_DATABASES) {
  describe(`retention of finished tickets, on an injected clock, on ${db}`, function () {
    this.timeout(60_000);
    const DAY = 86_400_000;
    const now = Math.floor(Date.now() / DAY) * DAY + 2 * 3_600_000;
    const threeYearsAgo = periodBefore(now, '3y');
    let gw: TestGateway;
    let clock: ManualClock;
    const sms = new FakeAdapter('sms');
    let n = 0;

    before(async function () {
      clock = new ManualClock(threeYearsAgo - 2 * DAY);
      gw = await startTestGateway({ db, clock, adapters: [sms], tweak: (c) => void (c.gateway.customerUpdates.enabled = false) });
    });
    after(async function () {
      await gw?.stop();
    });

    async function complaint(text: string): Promise<{ id: number; number: string; category: string }> {
      const { id } = await sms.receive({
        from: { address: `+86139000000${String(++n).padStart(2, '0')}` },
        text,
        receivedAt: new Date(clock.now()).toISOString(),
      });
      await gw.settle();
      const t = (await gw.api('GET', `/api/v1/messages/${id}`)).body.ticket;
      return { id: t.id, number: t.number, category: (await gw.api('GET', `/api/v1/tickets/${t.id}`)).body.category };
    }
    const finish = async (id: number, status: 'closed' | 'resolved') =>
      expect((await gw.api('PATCH', `/api/v1/tickets/${id}`, { status })).status).to.equal(200);
    /** What the customer wrote on the ticket (the acknowledgement sent back is left out). */
    const texts = async (id: number) =>
      ((await gw.api('GET', `/api/v1/tickets/${id}`)).body.messages as Array<{ text: string; direction: string }>)
        .filter((m) => m.direction === 'in')
        .map((m) => m.text);
    const everyText = async (id: number) => ((await gw.api('GET', `/api/v1/tickets/${id}`)).body.messages as Array<{ text: string }>).map((m) => m.text);

    it('anonymises a ticket closed 3 years + 1 day ago, not one closed yesterday; the dry run lists exactly what the run changes', async function () {
      const closedLongAgo = await complaint('The kettle I bought leaks from the bottom, old complaint number one.');
      const resolvedLongAgo = await complaint('My parcel was lost and nobody answers the phone, old complaint two.');
      const stillOpen = await complaint('The washing machine shakes and walks across the floor, never finished.');
      clock.set(threeYearsAgo - DAY);
      await finish(closedLongAgo.id, 'closed');
      await finish(resolvedLongAgo.id, 'resolved');
      clock.set(now - 2 * DAY);
      const closedYesterday = await complaint('The heater makes a loud noise at night, recent complaint.');
      clock.set(now - DAY);
      await finish(closedYesterday.id, 'closed');
      clock.set(now);

      // A category kept longer (5 years) keeps its ticket.
      const retention = gw.gateway.activeConfig.gateway.retention;
      retention.byCategory = { [closedLongAgo.category]: '5y' };
      expect((await gw.gateway.retention.plan()).map((t) => t.number)).to.not.include(closedLongAgo.number);
      retention.byCategory = {};

      const planned = await gw.gateway.retention.plan();
      expect(planned.map((t) => t.number)).to.deep.equal([closedLongAgo.number, resolvedLongAgo.number]);
      expect(planned[0]).to.include({ status: 'closed', rule: '3y', finishedAt: threeYearsAgo - DAY });
      // The dry run changed nothing.
      expect(await texts(closedLongAgo.id)).to.deep.equal(['The kettle I bought leaks from the bottom, old complaint number one.']);

      const done = await gw.gateway.retention.run();
      expect(done.map((t) => t.number)).to.deep.equal(planned.map((t) => t.number));
      const changed = (await gw.gateway.db('tickets').whereNotNull('anonymised_at').orderBy('id').select('number')).map((r) => r.number);
      expect(changed).to.deep.equal(planned.map((t) => t.number));
      for (const t of [closedLongAgo, resolvedLongAgo]) {
        const left = await everyText(t.id);
        expect(left.length).to.be.greaterThan(1);
        expect(
          left.every((text) => text === ''),
          `${t.number}: ${JSON.stringify(left)}`,
        ).to.equal(true);
      }
      expect(await texts(closedYesterday.id)).to.deep.equal(['The heater makes a loud noise at night, recent complaint.']);
      expect(await texts(stillOpen.id)).to.deep.equal(['The washing machine shakes and walks across the floor, never finished.']);
      const kept = (await gw.api('GET', `/api/v1/tickets/${closedLongAgo.id}`)).body;
      expect(kept).to.include({ status: 'closed', number: closedLongAgo.number, category: closedLongAgo.category });
      expect(kept.events.find((e: { type: string }) => e.type === 'retention_anonymised')).to.deep.include({
        actor: 'retention',
        after: { rule: '3y', finishedAt: new Date(threeYearsAgo - DAY).toISOString() },
      });
      // Nothing is due twice; a day later the one closed yesterday is still kept.
      expect(await gw.gateway.retention.plan()).to.deep.equal([]);
      clock.advance(DAY);
      expect(await gw.gateway.retention.run()).to.deep.equal([]);
    });
  });
}

describe('gateway customer and gateway retention on the command line', function () {
  this.timeout(60_000);
  let gw: TestGateway;
  let dir: string;
  const saved = { ...process.env };

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), 'gw-privacy-cli-'));
    gw = await startTestGateway({ db: TEST_DATABASES[0], env: { ATTACHMENT_DIR: path.join(dir, 'files') } });
    process.env.DATABASE_URL = gw.gateway.activeConfig.env.DATABASE_URL;
    process.env.ATTACHMENT_DIR = path.join(dir, 'files');
    process.env.LOG_LEVEL = 'silent';
  });
  after(async function () {
    process.env = saved;
    await gw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out = new PassThrough();
    const err = new PassThrough();
    const o: Buffer[] = [];
    const e: Buffer[] = [];
    out.on('data', (c) => o.push(c));
    err.on('data', (c) => e.push(c));
    const code = await main(argv, { stdout: out, stderr: err });
    return { code, out: Buffer.concat(o).toString(), err: Buffer.concat(e).toString() };
  }

  it('exports to a file and erases by id; an unknown customer or a missing reason is an error', async function () {
    await gw.api('POST', '/api/v1/messages', {
      channel: 'api',
      externalId: 'cli-1',
      from: { address: 'zhao.lei@example.com' },
      text: 'The fridge door does not close.',
    });
    await gw.settle();
    const customer = (await gw.gateway.db('customers').first('id')).id;
    const file = path.join(dir, 'export.tar.gz');
    const exported = await run('customer', 'export', String(customer), '--out', file);
    expect(exported.code, exported.err).to.equal(0);
    expect(exported.err).to.include('1 ticket(s)');
    const doc = JSON.parse((await untar(readFileSync(file))).get('export.json')!.toString());
    expect(doc.tickets[0].messages[0].text).to.equal('The fridge door does not close.');

    expect(await run('customer', 'erase', String(customer))).to.include({ code: 2 });
    const unknown = await run('customer', 'erase', '424242', '--reason', 'data subject request');
    expect(unknown).to.deep.include({ code: 1, err: 'gateway: customer 424242 does not exist\n' });
    expect((await run('customer', 'export', 'abc')).code).to.equal(2);

    const erased = await run('customer', 'erase', String(customer), '--reason', 'asked in writing');
    expect(erased.code, erased.err).to.equal(0);
    expect(erased.out).to.match(/^customer \d+ erased: 1 ticket\(s\) anonymised/);
    const message = await gw.gateway.db('messages').first('text', 'from_address');
    expect(message).to.deep.equal({ text: '', from_address: null });
    const recorded = await gw.gateway.db('privacy_requests').where({ kind: 'erase' }).first();
    expect(recorded.actor).to.match(/^cli:/);
    expect(recorded.reason).to.equal('asked in writing');
  });

  it('gateway retention --dry-run lists and changes nothing', async function () {
    const dry = await run('retention', '--dry-run');
    expect(dry.code, dry.err).to.equal(0);
    expect(dry.out).to.match(/^dry run: would anonymise 0 finished ticket\(s\) \(retention: closed tickets 3y\); nothing was changed/);
  });
});

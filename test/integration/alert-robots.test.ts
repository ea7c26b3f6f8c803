import { createHmac } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { ManualClock } from '../../contracts/clock.js';
import { TEST_DATABASES } from '../support/databases.js';
import { HttpReceiver, type ReceivedRequest } from '../support/http-receiver.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const DINGTALK_SECRET = 'SECd1n6741k-robot-secret-for-tests';
const FEISHU_SECRET = 'feishu-bot-signing-secret';
const MINUTE = 60_000;

/**
 * Each vendor's side, written from its documentation rather than from our code: the receiver refuses what the
 * vendor would refuse, the way the vendor says it does.
 */
const vendors = {
  /** DingTalk: `timestamp` (ms, within an hour) and `sign` = urlencode(base64(HmacSHA256(secret, timestamp + "\n" + secret))) in the query. */
  dingtalk(req: ReceivedRequest): object {
    const url = new URL(req.url, 'http://x');
    if (url.searchParams.get('access_token') !== 'ding-token') return { errcode: 300001, errmsg: 'token is not exist' };
    const timestamp = url.searchParams.get('timestamp') ?? '';
    const sign = url.searchParams.get('sign') ?? '';
    const expected = createHmac('sha256', DINGTALK_SECRET).update(`${timestamp}\n${DINGTALK_SECRET}`).digest('base64');
    if (Math.abs(Date.now() - Number(timestamp)) > 3_600_000 || sign !== expected) return { errcode: 310000, errmsg: 'sign not match' };
    const body = JSON.parse(req.body);
    if (!['actionCard', 'markdown'].includes(body.msgtype)) return { errcode: 40035, errmsg: 'msgtype' };
    return { errcode: 0, errmsg: 'ok' };
  },
  /** Feishu: `timestamp` (s, within an hour) and `sign` = base64(HmacSHA256(key = timestamp + "\n" + secret, message = "")) in the body. */
  feishu(req: ReceivedRequest): object {
    const body = JSON.parse(req.body);
    const expected = createHmac('sha256', `${body.timestamp}\n${FEISHU_SECRET}`).update('').digest('base64');
    if (Math.abs(Date.now() / 1000 - Number(body.timestamp)) > 3600 || body.sign !== expected)
      return { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' };
    if (body.msg_type !== 'interactive' || !body.card?.header) return { code: 9499, msg: 'Bad Request' };
    return { code: 0, data: {}, msg: 'success' };
  },
  /** WeCom: no signature; the key in the address is the secret. */
  wecom(req: ReceivedRequest): object {
    if (new URL(req.url, 'http://x').searchParams.get('key') !== 'wecom-key') return { errcode: 93000, errmsg: 'invalid webhook url' };
    const body = JSON.parse(req.body);
    if (body.msgtype !== 'markdown' || Buffer.byteLength(body.markdown.content) > 4096) return { errcode: 40058, errmsg: 'markdown.content exceed max length' };
    return { errcode: 0, errmsg: 'ok' };
  },
};

function configDir(robotsYaml: string, edit?: (dir: string) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-robots-'));
  cpSync('config', dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  writeFileSync(path.join(dir, 'webhooks.yaml'), `delivery: { pollIntervalMs: 20, backoffSeconds: [30] }\nrobots:\n${robotsYaml}`);
  edit?.(dir);
  return dir;
}

for (const db of TEST_DATABASES) {
  describe(`alerts in DingTalk, Feishu, WeCom and Slack rooms on ${db}`, function () {
    this.timeout(90_000);
    let gw: TestGateway;
    let receiver: HttpReceiver;
    let sms: FakeAdapter;
    const clock = new ManualClock(Date.now());
    let phone = 0;
    /** Requests each vendor took, and what it answered. */
    const taken: Record<string, Array<{ req: ReceivedRequest; answer: unknown }>> = { dingtalk: [], feishu: [], wecom: [], slack: [], wrongsecret: [] };

    before(async function () {
      receiver = await HttpReceiver.start((req, res) => {
        const vendor = req.url.split('/')[1]!;
        let answer: unknown;
        if (vendor === 'slack') {
          const ok = req.url === '/slack/services/T000/B000/XXXX' && Array.isArray(JSON.parse(req.body).blocks);
          answer = ok ? 'ok' : 'invalid_payload';
          res.writeHead(ok ? 200 : 400).end(String(answer));
        } else {
          answer = vendors[vendor === 'wrongsecret' ? 'dingtalk' : (vendor as keyof typeof vendors)](req);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        }
        taken[vendor]!.push({ req, answer });
      });
      const dir = configDir(
        `  - { id: ops-dingtalk, kind: dingtalk, urlEnv: DINGTALK_URL, secretEnv: DINGTALK_SECRET, language: zh, events: [incident.opened, incident.resolved] }
  - { id: ops-feishu, kind: feishu, urlEnv: FEISHU_URL, secretEnv: FEISHU_SECRET, language: zh }
  - { id: ops-wecom, kind: wecom, urlEnv: WECOM_URL, language: en }
  - { id: ops-slack, kind: slack, urlEnv: SLACK_URL, language: en }
  - { id: stale-dingtalk, kind: dingtalk, urlEnv: WRONG_URL, secretEnv: WRONG_SECRET, events: [incident.opened] }
`,
        (d) => {
          const routing = path.join(d, 'routing.yaml');
          writeFileSync(
            routing,
            readFileSync(routing, 'utf8').replace(
              /^rules:\s*\n/m,
              (m) => `${m}  - id: safety-to-rooms
    description: Safety complaints are announced in the ops rooms
    when: { severity: 1 }
    then: { notify: [{ robot: ops-dingtalk }, { robot: ops-feishu }, { robot: ops-wecom }, { robot: ops-slack }], stop: false }
`,
            ),
          );
          const sla = path.join(d, 'sla.yaml');
          const firstResponseBreach = 'escalate: { to: supervisors, reason: "first response overdue" }\n      notify: [{ queue: supervisors }';
          writeFileSync(sla, readFileSync(sla, 'utf8').replace(firstResponseBreach, `${firstResponseBreach}, { robot: ops-feishu }`));
          expect(readFileSync(sla, 'utf8')).to.include('{ robot: ops-feishu }');
        },
      );
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({
        db,
        clock,
        configDir: dir,
        adapters: [sms],
        env: {
          PUBLIC_BASE_URL: 'https://gw.example.com',
          DINGTALK_URL: `${receiver.url}/dingtalk/robot/send?access_token=ding-token`,
          DINGTALK_SECRET,
          FEISHU_URL: `${receiver.url}/feishu/open-apis/bot/v2/hook/feishu-hook-id`,
          FEISHU_SECRET,
          WECOM_URL: `${receiver.url}/wecom/cgi-bin/webhook/send?key=wecom-key`,
          SLACK_URL: `${receiver.url}/slack/services/T000/B000/XXXX`,
          WRONG_URL: `${receiver.url}/wrongsecret/robot/send?access_token=ding-token`,
          WRONG_SECRET: 'SEC-a-secret-the-room-does-not-have',
        },
        tweak: (c) => {
          c.gateway.incidents.minTickets = 3;
        },
      });
    });
    after(async function () {
      await gw?.stop();
      await receiver?.stop();
    });

    async function complaint(text: string): Promise<{ id: number; number: string }> {
      const { id } = await sms.receive({ from: { address: `+861370066${String(++phone).padStart(4, '0')}` }, text });
      await gw.settle();
      const m = await gw.api('GET', `/api/v1/messages/${id}`);
      return { id: m.body.ticket.id, number: m.body.ticket.number };
    }
    async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>): Promise<T> {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const v = await fn();
        if (v !== undefined) return v;
        if (Date.now() > deadline) throw new Error(`${what} did not happen within 15 s`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    const okAnswers = (vendor: string) => taken[vendor]!.filter((t) => JSON.stringify(t.answer).match(/"(errcode|code)":0|^"ok"$/));

    it("posts a routing rule's alert to each room in its vendor's format, signed as the vendor checks, in the room's language", async function () {
      const t = await complaint('热水器漏电，我家孩子被电了一下！');
      const link = `https://gw.example.com/console#/tickets/${t.id}`;
      const ding = await until('DingTalk took the alert', () => okAnswers('dingtalk')[0]);
      const card = JSON.parse(ding.req.body);
      expect(card.msgtype).to.equal('actionCard');
      expect(card.actionCard.title).to.equal(`新工单 ${t.number} 转入 crisis`);
      expect(card.actionCard.text).to.include('- **严重度**：1').and.include('- **优先级**：紧急');
      expect(card.actionCard).to.include({ singleTitle: '查看工单', singleURL: link });

      const feishu = JSON.parse((await until('Feishu took the alert', () => okAnswers('feishu')[0])).req.body);
      expect(feishu.card.header).to.deep.equal({ title: { tag: 'plain_text', content: `新工单 ${t.number} 转入 crisis` }, template: 'red' });
      expect(feishu.card.elements.at(-1).actions[0]).to.deep.include({ url: link });

      const wecom = JSON.parse((await until('WeCom took the alert', () => okAnswers('wecom')[0])).req.body);
      expect(wecom.markdown.content).to.include(`New ticket ${t.number} in crisis`).and.include(`[Open ticket](${link})`);

      const slack = JSON.parse((await until('Slack took the alert', () => okAnswers('slack')[0])).req.body);
      expect(slack.blocks[0].text.text).to.equal(`New ticket ${t.number} in crisis`);
      expect(slack.blocks.at(-1).elements[0]).to.include({ url: link, style: 'danger' });

      const robots = (await gw.api('GET', '/api/v1/robots')).body.items;
      expect(robots.find((r: { id: string }) => r.id === 'ops-dingtalk')).to.deep.include({ kind: 'dingtalk', signed: true, language: 'zh' });
      expect(JSON.stringify(robots)).to.not.include('ding-token').and.not.include(DINGTALK_SECRET);
    });

    it('posts an SLA breach named in sla.yaml to Feishu with the due time', async function () {
      const before = okAnswers('feishu').length;
      const t = await complaint('The blender I received is missing its lid, please send one.');
      const due = (await gw.gateway.tickets.get(gw.gateway.db, t.id))!.firstResponseDueAt!;
      clock.set(due + 1);
      await gw.gateway.slaWorker.runDue();
      const alert = JSON.parse((await until('Feishu took the breach', () => okAnswers('feishu')[before])).req.body);
      expect(alert.card.header.title.content).to.equal(`SLA 已超时：工单 ${t.number}（首次响应）`);
      expect(JSON.stringify(alert.card.elements[0])).to.include('截止时间');
    });

    it('announces an incident in the room subscribed to incidents, linking to the incident board; a room whose secret is wrong refuses and the alert is retried', async function () {
      for (const text of ['The app crashes every time I open it.', 'Your app keeps crashing on startup.', 'App crashed again right after launch.'])
        await complaint(text);
      const incident = (await gw.api('GET', '/api/v1/incidents')).body.items[0];
      const alert = await until('DingTalk took the incident', () =>
        okAnswers('dingtalk').find((t) => JSON.parse(t.req.body).actionCard?.title?.startsWith('突发事件')),
      );
      expect(JSON.parse(alert.req.body).actionCard).to.include({
        singleTitle: '查看事件',
        singleURL: `https://gw.example.com/console#/incidents?id=${incident.id}`,
      });

      const refused = await until('the wrongly signed room answered', () => taken.wrongsecret![0]);
      expect(refused.answer).to.deep.equal({ errcode: 310000, errmsg: 'sign not match' });
      // The room has answered; the worker records the refusal just after (until then the delivery is still in hand).
      const delivery = await until('the refusal was recorded', async () => {
        const [first] = (await gw.api('GET', '/api/v1/robots/stale-dingtalk/deliveries')).body.items;
        return first?.status === 'processing' ? undefined : first;
      });
      expect(delivery).to.include({ status: 'pending', attempts: 1, lastError: 'DingTalk refused: errcode 310000 sign not match' });
    });
  });

  describe(`a surge does not flood a room: rate limit and summary on ${db}`, function () {
    this.timeout(90_000);
    let gw: TestGateway;
    let receiver: HttpReceiver;
    let sms: FakeAdapter;
    const clock = new ManualClock(Date.now());
    let phone = 0;

    before(async function () {
      receiver = await HttpReceiver.start((_req, res) => void res.writeHead(200).end('ok'));
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({
        db,
        clock,
        configDir: configDir(
          '  - { id: flood, kind: slack, urlEnv: SLACK_URL, language: zh, events: [ticket.created], rateLimit: { max: 3, windowSeconds: 60 } }\n',
        ),
        adapters: [sms],
        env: { PUBLIC_BASE_URL: 'https://gw.example.com', SLACK_URL: `${receiver.url}/services/T000/B000/XXXX` },
      });
      // Driven by hand below, so each batch is exactly what the test says.
      await gw.gateway.webhooks.worker.stop();
    });
    after(async function () {
      await gw?.stop();
      await receiver?.stop();
    });

    const complain = async (n: number) => {
      for (let i = 0; i < n; i++)
        await sms.receive({ from: { address: `+861360055${String(++phone).padStart(4, '0')}` }, text: `第 ${phone} 位客户：快递三天了还没到` });
      await gw.settle();
    };
    const posts = () => receiver.requests.map((r) => JSON.parse(r.body) as { blocks: Array<{ text?: { text: string } }> });
    const titles = () => posts().map((p) => p.blocks[0]!.text!.text);

    it('sends the first alerts of a surge, then one summary per window for the rest, never more than the limit in a window', async function () {
      await complain(8);
      await gw.gateway.webhooks.worker.processBatch();
      // 3 posts allowed: two alerts as they are, the other six in one summary.
      expect(titles()).to.have.length(3);
      expect(
        titles()
          .slice(0, 2)
          .every((t) => t.startsWith('新工单')),
      ).to.equal(true);
      expect(titles()[2]).to.equal('告警汇总：6 条提醒');
      const summary = posts()[2]!;
      expect(JSON.stringify(summary)).to.include('为避免刷屏，本群每 60 秒最多推送 3 条').and.include('https://gw.example.com/console#/tickets/');

      // More while the window is full: nothing goes out…
      await complain(4);
      await gw.gateway.webhooks.worker.processBatch();
      expect(titles()).to.have.length(3);
      const waiting = (await gw.api('GET', '/api/v1/robots/flood/deliveries?status=pending')).body.items;
      expect(waiting).to.have.length(4);
      // …until the window has room again: then the four (over the three allowed) go out as one summary.
      clock.advance(MINUTE + 1000);
      await gw.gateway.webhooks.worker.processBatch();
      expect(titles()).to.have.length(6);
      expect(titles().slice(3)).to.deep.equal([titles()[3], titles()[4], '告警汇总：2 条提醒']);

      const all = (await gw.api('GET', '/api/v1/robots/flood/deliveries?limit=50')).body.items as Array<{ status: string; collapsedInto: number | null }>;
      expect(all).to.have.length(12);
      expect(all.every((d) => d.status === 'delivered')).to.equal(true);
      expect(all.filter((d) => d.collapsedInto !== null)).to.have.length(6);
      const robots = (await gw.api('GET', '/api/v1/robots')).body.items;
      expect(robots[0]).to.deep.include({
        id: 'flood',
        kind: 'slack',
        signed: false,
        rateLimit: { max: 3, windowSeconds: 60 },
        deliveries: { pending: 0, delivered: 12, dead: 0 },
      });
    });
  });
}

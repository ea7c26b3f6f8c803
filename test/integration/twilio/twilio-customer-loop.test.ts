/**
 * The customer's loop on SMS and for callers (issue 20: each channel's notification and survey through
 * its real adapter path; "Voice complaints can get the survey by SMS, or by an outbound IVR call where
 * Twilio voice is configured"), through the whole gateway: the real webhooks signed as Twilio signs them,
 * the real Twilio adapters and SDK, and Twilio's REST API behind nock (nothing leaves the machine).
 */
import { expect } from 'chai';
import type { GatewayConfig } from '../../../config/loader.js';
import { TEST_DATABASES } from '../../support/databases.js';
import { startTestGateway, type TestGateway } from '../../support/test-gateway.js';
import { stubTwilioRest } from './twilio-gateway.js';
import { findAll, fixture, parseTwiml, postSigned, PUBLIC_BASE_URL, SMS_FROM, testEnv, type FormFields } from './twilio-harness.js';

const HOTLINE = fixture('voice-incoming-zh').To;
const sid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;

for (const db of TEST_DATABASES) {
  describe(`progress messages and the satisfaction question on SMS and voice, through Twilio (${db})`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let rest: ReturnType<typeof stubTwilioRest>;
    let n = 0;

    async function start(tweak: (c: GatewayConfig) => void = () => undefined) {
      rest = stubTwilioRest();
      gw = await startTestGateway({
        db,
        env: testEnv() as Record<string, string>,
        tweak: (c) => {
          // The wall clock must not decide these tests (quiet hours have tests of their own).
          c.gateway.customerUpdates.quietHours = null;
          tweak(c);
        },
      });
    }
    afterEach(async () => {
      await gw?.stop();
      rest?.restore();
    });

    const post = async (path: string, params: FormFields) => {
      const res = await postSigned(gw.url, path, params);
      expect(res.status, res.text).to.equal(200);
      return res;
    };

    /** A caller says their complaint at the hotline menu; returns the ticket and the caller's number. */
    async function phoneComplaint(): Promise<{ id: number; number: string; caller: string }> {
      const caller = `+861391234${String(++n).padStart(4, '0')}`;
      const call = { ...fixture('voice-incoming-zh'), CallSid: sid('CA', n), From: caller, Caller: caller };
      await post('/webhooks/twilio/voice', call);
      const twiml = parseTwiml(
        (await post('/webhooks/twilio/voice/menu?lang=zh-CN', { ...call, SpeechResult: '我买的电饭煲用了三天就坏了，内胆涂层脱落，要求退货' })).text,
      );
      expect(findAll(twiml, 'Dial'), 'not put through as an emergency').to.have.length(0);
      await gw.settle();
      const items = (await gw.api('GET', '/api/v1/tickets')).body.items as Array<{ id: number; number: string }>;
      const ticket = items.find((t) => t.number) as { id: number; number: string };
      const detail = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body;
      expect(detail.messages[0]).to.include({ channel: 'voice' });
      return { id: ticket.id, number: ticket.number, caller };
    }
    const resolve = async (id: number) => {
      const res = await gw.api('PATCH', `/api/v1/tickets/${id}`, { status: 'resolved' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      await gw.settle();
    };
    const ticket = async (id: number) => (await gw.api('GET', `/api/v1/tickets/${id}`)).body;
    const textsTo = (number: string) => rest.sent.filter((m) => m.To === number).map((m) => m.Body);

    it('texts an SMS customer through the Twilio SDK: being handled, then resolved with the rating question; their reply SMS is the rating', async () => {
      await start();
      const customer = '+8613812340001';
      await post('/webhooks/twilio/sms', { ...fixture('sms-inbound-zh'), MessageSid: sid('SM', ++n), From: customer });
      await gw.settle();
      const t = (await gw.api('GET', '/api/v1/tickets?channel=sms')).body.items[0] as { id: number; number: string };
      const link = `${PUBLIC_BASE_URL}/t/${(await gw.gateway.tickets.get(gw.gateway.db, t.id))!.statusToken}`;
      for (const status of ['open', 'resolved']) {
        const res = await gw.api('PATCH', `/api/v1/tickets/${t.id}`, { status });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        await gw.settle();
      }
      // What Twilio's Messages API was asked to send (the REST call's form body), after the acknowledgement.
      const [handling, resolved] = rest.sent.filter((m) => m.To === customer).slice(-2);
      expect(handling).to.include({ From: SMS_FROM, Body: `您的工单 ${t.number} 正在处理中。${link}` });
      expect(handling!.StatusCallback).to.equal(`${PUBLIC_BASE_URL}/webhooks/twilio/sms/status`);
      expect(resolved).to.include({ From: SMS_FROM });
      expect(resolved!.Body).to.equal(`您的工单 ${t.number} 已解决。请回复 1–5 为本次服务打分（5 = 非常满意），也可以附上意见。${link}`);
      // Twilio accepted both: the ticket shows them sent.
      const detail = await ticket(t.id);
      const system = detail.messages.filter((m: { author: string; direction: string }) => m.author === 'system' && m.direction === 'out');
      expect(system.slice(-2).map((m: { deliveryStatus: string }) => m.deliveryStatus)).to.deep.equal(['sent', 'sent']);

      await post('/webhooks/twilio/sms', { ...fixture('sms-inbound-zh'), MessageSid: sid('SM', ++n), From: customer, Body: '一般，等了好几天' });
      await gw.settle();
      expect(await ticket(t.id)).to.include({ status: 'resolved', csat: 3, csatComment: '等了好几天' });
      expect(textsTo(customer).at(-1)).to.equal(`感谢您的评价！\n[${t.number}]`);
    });

    it('asks a caller by SMS on resolve (voiceSurvey: sms), and their reply SMS is the rating of that ticket', async () => {
      await start();
      const t = await phoneComplaint();
      await resolve(t.id);
      const survey = rest.sent.find((m) => m.To === t.caller && m.Body.includes('请回复 1–5'));
      expect(survey, JSON.stringify(rest.sent)).to.not.equal(undefined);
      expect(survey!.Body).to.include(t.number).and.include(`${PUBLIC_BASE_URL}/t/`);
      // Not from the hotline number the caller dialled (it cannot text), from our SMS sender.
      expect(survey!.From).to.equal(SMS_FROM);
      expect(rest.calls, 'no call placed').to.deep.equal([]);

      await post('/webhooks/twilio/sms', { ...fixture('sms-inbound-zh'), MessageSid: sid('SM', ++n), From: t.caller, To: SMS_FROM, Body: '4 处理得挺快' });
      await gw.settle();
      expect(await ticket(t.id)).to.include({ status: 'resolved', csat: 4, csatComment: '处理得挺快' });
      // Every SMS carries the ticket number (the adapter adds it).
      expect(textsTo(t.caller).at(-1)).to.equal(`感谢您的评价！\n[${t.number}]`);
      expect((await gw.api('GET', '/api/v1/tickets')).body.items, 'the rating opened no ticket').to.have.length(1);
    });

    it('calls the caller with a one-key question in Chinese (voiceSurvey: call); the key pressed is the rating, a low one reopens the ticket', async () => {
      await start((c) => {
        c.gateway.customerUpdates.voiceSurvey = 'call';
      });
      const t = await phoneComplaint();
      const textsBefore = textsTo(t.caller).length;
      await resolve(t.id);
      expect(textsTo(t.caller), 'the question is not texted as well').to.have.length(textsBefore);
      expect(rest.calls).to.have.length(1);
      const placed = rest.calls[0]!;
      // Called from the hotline number the customer dialled, which they know.
      expect(placed).to.include({ To: t.caller, From: HOTLINE });
      const twiml = parseTwiml(placed.Twiml!);
      const gather = findAll(twiml, 'Gather')[0]!;
      expect(gather.attrs).to.include({ input: 'dtmf', numDigits: '1', method: 'POST' });
      const action = new URL(gather.attrs.action!);
      expect(`${action.origin}${action.pathname}`).to.equal(`${PUBLIC_BASE_URL}/webhooks/twilio/voice/survey`);
      expect(Object.fromEntries(action.searchParams)).to.deep.equal({ lang: 'zh-CN', ticket: t.number });
      const question = findAll(gather, 'Say')[0]!;
      expect(question.attrs).to.include({ language: 'cmn-CN', voice: 'Polly.Zhiyu' });
      expect(question.text).to.include('非常满意请按5').and.include('非常不满意请按1');
      const detail = await ticket(t.id);
      expect(detail.csatRequestedAt).to.be.a('string');
      expect(detail.events.find((e: { type: string }) => e.type === 'customer_notified').after).to.include({ channel: 'voice', survey: true, by: 'call' });

      // Twilio posts the key to the Gather's action, on the call we placed (From: us, To: the customer).
      const answered = { CallSid: sid('CA', 900 + n), AccountSid: fixture('voice-incoming-zh').AccountSid, From: HOTLINE, To: t.caller, Digits: '2' };
      const path = `${action.pathname}${action.search}`;
      const reply = parseTwiml((await post(path, answered)).text);
      expect(reply.children.map((c) => c.name)).to.deep.equal(['Say', 'Hangup']);
      expect(reply.children[0]!.text).to.equal('感谢您的评价，再见。');
      // Twilio redelivering the same callback files it once.
      await post(path, answered);
      await gw.settle();
      const rated = await ticket(t.id);
      expect(rated).to.include({ status: 'reopened', queue: 'supervisors', csat: 2 });
      expect(rated.events.find((e: { type: string }) => e.type === 'csat_received').after).to.include({ score: 2, channel: 'voice' });
      expect(rated.events.filter((e: { type: string }) => e.type === 'csat_received')).to.have.length(1);
      expect(textsTo(t.caller), 'thanked on the call, not texted').to.have.length(textsBefore);
      expect((await gw.api('GET', '/api/v1/tickets')).body.items, 'the key opened no ticket').to.have.length(1);
    });

    it('asks once more after a key that is no rating, then says goodbye; nothing is filed', async () => {
      await start((c) => {
        c.gateway.customerUpdates.voiceSurvey = 'call';
      });
      const t = await phoneComplaint();
      await resolve(t.id);
      const action = new URL(findAll(parseTwiml(rest.calls[0]!.Twiml!), 'Gather')[0]!.attrs.action!);
      const base = { CallSid: sid('CA', 800 + n), From: HOTLINE, To: t.caller };
      const again = parseTwiml((await post(`${action.pathname}${action.search}`, { ...base, Digits: '7' })).text);
      const retry = findAll(again, 'Gather')[0]!;
      expect(findAll(retry, 'Say')[0]!.text).to.equal('请按1到5之间的一个数字。');
      const retryUrl = new URL(retry.attrs.action!);
      expect(retryUrl.searchParams.get('retry')).to.equal('1');
      const last = parseTwiml((await post(`${retryUrl.pathname}${retryUrl.search}`, { ...base, Digits: '0' })).text);
      expect(last.children.map((c) => c.name)).to.deep.equal(['Say', 'Hangup']);
      await gw.settle();
      expect(await ticket(t.id)).to.include({ status: 'resolved', csat: null });
      expect(await gw.gateway.db('intake_journal').where('external_id', 'like', '%:survey').count({ n: '*' }).first()).to.deep.include({ n: 0 });
    });

    it('tells a caller their ticket is resolved without asking when voiceSurvey is off', async () => {
      await start((c) => {
        c.gateway.customerUpdates.voiceSurvey = 'off';
      });
      const t = await phoneComplaint();
      await resolve(t.id);
      expect(textsTo(t.caller).at(-1)).to.equal(
        `您的工单 ${t.number} 已解决。${PUBLIC_BASE_URL}/t/${(await gw.gateway.tickets.get(gw.gateway.db, t.id))!.statusToken}`,
      );
      expect(rest.calls).to.deep.equal([]);
      expect((await ticket(t.id)).csatRequestedAt).to.equal(null);
    });
  });
}

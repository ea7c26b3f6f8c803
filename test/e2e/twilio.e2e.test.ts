/**
 * End to end through the whole gateway (real SQLite, journal, pipeline, outbox):
 * a signed Twilio SMS complaint becomes a ticket, the agent's reply through the REST
 * API leaves as a Twilio REST call with the right To/From/Body, and a caller pressing
 * 9 is put through to the on-call number.
 *
 * The webhooks go to the gateway's own `/webhooks/twilio` when the composition root
 * mounts it; until then they go to the same router mounted on a side app that feeds
 * the gateway's real sink and state store.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import express from 'express';
import nock from 'nock';
import twilio from 'twilio';
import { TwilioSmsAdapter } from '../../adapters/twilio/twilio-sms.adapter.js';
import { TwilioVoiceAdapter } from '../../adapters/twilio/twilio-voice.adapter.js';
import { createTwilioRouter } from '../../adapters/twilio/twilio.router.js';
import type { AdapterStateStore } from '../../contracts/adapter-state.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  findAll,
  fixture,
  ONCALL,
  parseTwiml,
  PUBLIC_BASE_URL,
  silentLogger,
  SMS_FROM,
  testConfig,
  testEnv,
} from '../integration/twilio/twilio-harness.js';

const MESSAGES = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
/** Twilio answers 21610 for this recipient (they texted STOP to the carrier, not to us). */
const UNSUBSCRIBED = '+14155550166';

describe('Twilio end to end (gateway on SQLite, Twilio REST through nock)', function () {
  this.timeout(60_000);
  let gw: TestGateway;
  let side: Server | undefined;
  let webhookBase: string;
  const sent: Array<Record<string, string>> = [];
  const config = testConfig();

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock('https://api.twilio.com')
      .persist()
      .post(MESSAGES)
      .reply((_uri, body) => {
        const params = Object.fromEntries(new URLSearchParams(String(body)));
        sent.push(params);
        if (params.To === UNSUBSCRIBED) {
          return [
            400,
            { code: 21610, message: 'Attempt to send to unsubscribed recipient', more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 },
          ];
        }
        return [201, { sid: `SM${String(sent.length).padStart(32, '0')}`, status: 'queued' }];
      });

    // The adapters keep opt-outs in the gateway's own state store, which exists only once it is built.
    let state: AdapterStateStore | undefined;
    const lateState: AdapterStateStore = {
      get: (k) => state!.get(k),
      set: (k, v) => state!.set(k, v),
    };
    gw = await startTestGateway({
      env: testEnv() as Record<string, string>,
      adapters: [
        new TwilioSmsAdapter({ config, state: lateState, logger: silentLogger }),
        new TwilioVoiceAdapter({ config, state: lateState, logger: silentLogger }),
      ],
    });
    state = gw.gateway.state;

    const probe = await fetch(`${gw.url}/webhooks/twilio/sms`, { method: 'POST' });
    if (probe.status === 403) {
      webhookBase = gw.url;
    } else {
      const app = express();
      app.use(
        '/webhooks/twilio',
        createTwilioRouter({ config, sink: gw.gateway.sink, state: gw.gateway.state, logger: silentLogger, isBusinessHours: () => true }),
      );
      side = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      webhookBase = `http://127.0.0.1:${(side.address() as AddressInfo).port}`;
    }
  });

  after(async () => {
    side?.closeAllConnections();
    await new Promise((r) => (side ? side.close(r) : r(undefined)));
    await gw?.stop();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  async function postSigned(path: string, params: Record<string, string>) {
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, params);
    const res = await fetch(`${webhookBase}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, text: await res.text() };
  }

  async function waitForSent(n: number, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (sent.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} Twilio REST calls, saw ${sent.length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return sent;
  }

  it('SMS complaint → ticket → acknowledgement → agent reply through the API → Twilio REST call with the right To/From/Body', async () => {
    const sms = fixture('sms-inbound-zh');
    const res = await postSigned('/webhooks/twilio/sms', sms);
    expect(res.status).to.equal(200);
    // Twilio redelivers: still one ticket, one acknowledgement.
    expect((await postSigned('/webhooks/twilio/sms', sms)).status).to.equal(200);
    await gw.settle();

    const tickets = (await gw.api('GET', '/api/v1/tickets?channel=sms')).body.items;
    expect(tickets).to.have.length(1);
    const ticket = tickets[0];
    const detail = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body;
    expect(detail.messages[0].text).to.equal(sms.Body);

    const [ack] = await waitForSent(1);
    expect(ack).to.include({ To: '+8613812345678', From: SMS_FROM });
    expect(ack.Body).to.contain(ticket.number);
    expect(ack.StatusCallback).to.equal(`${PUBLIC_BASE_URL}/webhooks/twilio/sms/status`);

    const agent = (await gw.api('POST', '/api/v1/tokens', { name: 'wang.fang', role: 'agent' })).body.token;
    const text = '您好，已为您办理退货，快递员明天上门取件。';
    const reply = await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text }, agent);
    expect(reply.status).to.equal(202);
    const calls = await waitForSent(2);
    expect(calls[1]).to.deep.equal({
      To: '+8613812345678',
      From: SMS_FROM,
      Body: `${text}\n[${ticket.number}]`,
      StatusCallback: `${PUBLIC_BASE_URL}/webhooks/twilio/sms/status`,
    });
    await gw.settle();
    expect(sent).to.have.length(2);
  });

  it('a permanent Twilio 21610 becomes a delivery_failed ticket event with the code, and is not retried', async () => {
    const before = sent.length;
    const res = await postSigned('/webhooks/twilio/sms', {
      ...fixture('mms-inbound-en'),
      MessageSid: 'SM' + '6'.repeat(32),
      SmsMessageSid: 'SM' + '6'.repeat(32),
      From: UNSUBSCRIBED,
      NumMedia: '0',
    });
    expect(res.status).to.equal(200);
    await gw.settle();
    const items = (await gw.api('GET', '/api/v1/tickets?channel=sms')).body.items as Array<{ id: string }>;
    const details = await Promise.all(items.map(async (t) => (await gw.api('GET', `/api/v1/tickets/${t.id}`)).body));
    const detail = details.find((d) => d.messages[0].text === 'The box arrived crushed, photos attached');
    expect(detail, 'a ticket for the complaint').to.not.equal(undefined);
    const failed = detail.events.find((e: any) => e.type === 'delivery_failed');
    expect(failed, JSON.stringify(detail.events)).to.not.equal(undefined);
    expect(JSON.stringify(failed)).to.contain('21610');
    expect(sent.length - before, 'one REST attempt, no retry').to.equal(1);
  });

  it('a caller choosing 9 is put through to the on-call number, and the call is on a voice ticket', async () => {
    const callParams = fixture('voice-incoming-zh');
    const greeting = parseTwiml((await postSigned('/webhooks/twilio/voice', callParams)).text);
    const menuUrl = findAll(greeting, 'Gather')[0].attrs.action;
    const res = await postSigned(menuUrl.slice(PUBLIC_BASE_URL.length), { ...callParams, Digits: '9' });
    expect(res.status).to.equal(200);
    const dial = findAll(parseTwiml(res.text), 'Dial');
    expect(dial.map((d) => d.text)).to.deep.equal([ONCALL]);

    await gw.settle();
    const voice = (await gw.api('GET', '/api/v1/tickets?channel=voice')).body.items;
    expect(voice).to.have.length(1);
    const detail = (await gw.api('GET', `/api/v1/tickets/${voice[0].id}`)).body;
    expect(detail.messages[0]).to.include({ channel: 'voice' });
  });
});

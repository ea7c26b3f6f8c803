import { expect } from 'chai';
import nock from 'nock';
import { TwilioSmsAdapter } from '../../../../adapters/twilio/twilio-sms.adapter.js';
import { TwilioVoiceAdapter } from '../../../../adapters/twilio/twilio-voice.adapter.js';
import { PermanentDeliveryError, type OutboundMessage } from '../../../../adapters/types.js';
import { ACCOUNT_SID, MemoryStateStore, PUBLIC_BASE_URL, silentLogger, SMS_FROM, testConfig } from '../../../integration/twilio/twilio-harness.js';

const API = 'https://api.twilio.com';
const MESSAGES = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const SERVICE = 'MG' + '1'.repeat(32);

function reply(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: 'outbox-1',
    channel: 'sms',
    to: '+8613812345678',
    ticketNumber: 'C-20261124-0042',
    text: '您好，您的退货已受理，工单号 C-20261124-0042。',
    meta: {},
    ...overrides,
  };
}

/** Intercepts one Messages.create call, capturing the form body the real twilio client sent. */
function expectCreate(status = 201, body: object = { sid: 'SM' + 'c'.repeat(32), status: 'queued' }) {
  const seen: Array<Record<string, string>> = [];
  const scope = nock(API)
    .post(MESSAGES)
    .basicAuth({ user: ACCOUNT_SID, pass: testConfig().authToken })
    .reply(status, (_uri, requestBody) => {
      seen.push(Object.fromEntries(new URLSearchParams(String(requestBody))));
      return body;
    });
  return { scope, seen };
}

async function sendError(adapter: TwilioSmsAdapter, out = reply()): Promise<Error> {
  const err = await adapter.send(out).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'send should fail').to.be.instanceOf(Error);
  return err as Error;
}

describe('TwilioSmsAdapter (real twilio client, REST intercepted by nock)', () => {
  let state: MemoryStateStore;
  before(() => {
    nock.disableNetConnect();
  });
  after(() => {
    nock.enableNetConnect();
  });
  beforeEach(() => {
    state = new MemoryStateStore();
  });
  afterEach(() => {
    expect(nock.pendingMocks(), 'every expected REST call was made').to.deep.equal([]);
    nock.cleanAll();
  });

  it('sends exactly To, From, Body and a status callback on PUBLIC_BASE_URL; returns the MessageSid', async () => {
    const { seen } = expectCreate();
    const adapter = new TwilioSmsAdapter({ config: testConfig(), state, logger: silentLogger });
    const res = await adapter.send(reply());
    expect(res).to.deep.equal({ externalId: 'SM' + 'c'.repeat(32) });
    expect(seen).to.deep.equal([
      {
        To: '+8613812345678',
        From: SMS_FROM,
        Body: '您好，您的退货已受理，工单号 C-20261124-0042。',
        StatusCallback: `${PUBLIC_BASE_URL}/webhooks/twilio/sms/status`,
      },
    ]);
  });

  it('answers from the number the customer wrote to, and quotes the ticket number when the text lacks it', async () => {
    const { seen } = expectCreate();
    const adapter = new TwilioSmsAdapter({ config: testConfig(), state, logger: silentLogger });
    await adapter.send(reply({ from: '+14155550199', text: 'A replacement ships tomorrow.' }));
    expect(seen[0]).to.include({ From: '+14155550199', Body: 'A replacement ships tomorrow.\n[C-20261124-0042]' });
  });

  it('a reply to a phone call (mapped to sms by the gateway) goes out from the SMS sender, not the dialled hotline', async () => {
    const { seen } = expectCreate();
    const adapter = new TwilioSmsAdapter({ config: testConfig(), state, logger: silentLogger });
    await adapter.send(reply({ from: '+864008001234', meta: { inbound: { callSid: 'CA' + '7'.repeat(32) } } }));
    expect(seen[0]).to.include({ From: SMS_FROM });
  });

  it('uses the Messaging Service when configured (no From unless the customer wrote to a specific number)', async () => {
    const { seen } = expectCreate();
    const adapter = new TwilioSmsAdapter({
      config: testConfig({ TWILIO_FROM: '', TWILIO_MESSAGING_SERVICE_SID: SERVICE }),
      state,
      logger: silentLogger,
    });
    await adapter.send(reply());
    expect(seen[0]).to.include({ MessagingServiceSid: SERVICE, To: '+8613812345678' });
    expect(seen[0]).to.not.have.property('From');
  });

  it('an opted-out number gets no REST call and a permanent opted_out error', async () => {
    const adapter = new TwilioSmsAdapter({ config: testConfig(), state, logger: silentLogger });
    await adapter.optOuts.optOut('+8613812345678', 'STOP');
    const err = await sendError(adapter);
    expect(err).to.be.instanceOf(PermanentDeliveryError);
    expect((err as PermanentDeliveryError).code).to.equal('opted_out');
  });

  it('21610 (unsubscribed) is permanent, carries the Twilio code, and the next reply skips the API', async () => {
    expectCreate(400, {
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
      more_info: 'https://www.twilio.com/docs/errors/21610',
      status: 400,
    });
    const adapter = new TwilioSmsAdapter({ config: testConfig(), state, logger: silentLogger });
    const err = await sendError(adapter);
    expect(err).to.be.instanceOf(PermanentDeliveryError);
    expect((err as PermanentDeliveryError).code).to.equal('21610');
    const again = await sendError(adapter); // no interceptor left: a REST call would fail with NetConnectNotAllowed
    expect((again as PermanentDeliveryError).code).to.equal('opted_out');
  });

  it('21211 (invalid To) is permanent', async () => {
    expectCreate(400, { code: 21211, message: "The 'To' number +8612300 is not a valid phone number.", status: 400 });
    const adapter = new TwilioSmsAdapter({ config: testConfig(), state, logger: silentLogger });
    const err = await sendError(adapter, reply({ to: '+8612300' }));
    expect(err).to.be.instanceOf(PermanentDeliveryError);
    expect((err as PermanentDeliveryError).code).to.equal('21211');
  });

  for (const [status, code] of [
    [429, 20429],
    [500, 20500],
    [503, 20503],
  ] as const) {
    it(`${status} is retried by the outbox: a plain Error, not a PermanentDeliveryError, and health turns degraded`, async () => {
      expectCreate(status, { code, message: 'try later', status });
      const adapter = new TwilioSmsAdapter({ config: testConfig(), state, logger: silentLogger });
      const err = await sendError(adapter);
      expect(err).to.not.be.instanceOf(PermanentDeliveryError);
      expect(err.message).to.contain(String(status));
      expect((await adapter.health()).status).to.equal('degraded');
      expect(await adapter.optOuts.isOptedOut('+8613812345678')).to.equal(false);
    });
  }

  it('a network failure is retried (plain Error); the next success makes health up again', async () => {
    nock(API).post(MESSAGES).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const adapter = new TwilioSmsAdapter({ config: testConfig(), state, logger: silentLogger });
    const err = await sendError(adapter);
    expect(err).to.not.be.instanceOf(PermanentDeliveryError);
    expectCreate();
    await adapter.send(reply());
    expect((await adapter.health()).status).to.equal('up');
  });

  it('a body over 1600 characters is cut (Twilio would reject it with 21617)', async () => {
    const { seen } = expectCreate();
    const adapter = new TwilioSmsAdapter({ config: testConfig(), state, logger: silentLogger });
    await adapter.send(reply({ text: '长'.repeat(2000) }));
    expect(seen[0].Body).to.have.length(1600);
    expect(seen[0].Body.endsWith('…')).to.equal(true);
  });
});

describe('TwilioVoiceAdapter', () => {
  before(() => nock.disableNetConnect());
  after(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('answers a caller by SMS from the SMS sender, not from the hotline number they dialled', async () => {
    const { seen, scope } = expectCreate();
    const adapter = new TwilioVoiceAdapter({ config: testConfig(), state: new MemoryStateStore(), logger: silentLogger });
    expect(adapter.id).to.equal('voice');
    await adapter.send(reply({ channel: 'voice', from: '+864008001234', text: 'We called the courier; your parcel arrives today.' }));
    expect(scope.isDone()).to.equal(true);
    expect(seen[0]).to.include({ From: SMS_FROM, To: '+8613812345678' });
  });

  it('a caller who withheld their number cannot be answered: permanent, no REST call', async () => {
    const adapter = new TwilioVoiceAdapter({ config: testConfig(), state: new MemoryStateStore(), logger: silentLogger });
    const err = await adapter.send(reply({ channel: 'voice', to: 'anonymous:CA123' })).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PermanentDeliveryError);
    expect((err as PermanentDeliveryError).code).to.equal('no_callback_number');
  });
});

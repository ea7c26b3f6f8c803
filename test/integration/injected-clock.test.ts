import { expect } from 'chai';
import { ManualClock } from '../../contracts/clock.js';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Issue 21, "one clock": the pipeline, the SLA worker, FAQ deflection and agents' ticket changes read
 * the gateway's one injected clock. Here it stands a year ahead of the wall clock (a Wednesday 10:00
 * China time, inside business hours) and moves only when the test says so: SLA due times, breaches,
 * the deflection window and resolve times all follow it, with no sleeping and no dependence on today.
 */
function aYearAheadOnAWednesdayMorning(): number {
  const d = new Date(Date.now() + 365 * DAY);
  // 02:00 UTC = 10:00 in Shanghai; step to the next Wednesday.
  d.setUTCHours(2, 0, 0, 0);
  while (d.getUTCDay() !== 3) d.setTime(d.getTime() + DAY);
  return d.getTime();
}

for (const db of TEST_DATABASES) {
  describe(`one injected clock for SLA, deflection and ticket changes on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let clock: ManualClock;
    let n = 0;

    before(async function () {
      clock = new ManualClock(aYearAheadOnAWednesdayMorning());
      gw = await startTestGateway({ db, clock });
    });
    after(async function () {
      await gw?.stop();
    });

    async function complain(text: string) {
      const posted = await gw.api('POST', '/api/v1/messages', {
        channel: 'api',
        externalId: `clock-${db}-${++n}`,
        from: { address: `clock-customer-${n}@example.com` },
        text,
      });
      expect(posted.status).to.equal(202);
      await gw.settle();
      const m = await gw.api('GET', `/api/v1/messages/${posted.body.id}`);
      return gw.gateway.tickets.get(gw.gateway.db, m.body.ticket.id);
    }

    it('sets SLA due times from the injected clock and breaches them when it moves past, not when the wall clock does', async function () {
      const t = (await complain('The parcel arrived with the box crushed and the vase inside broken'))!;
      const now = clock.now();
      expect(t.createdAt).to.equal(now);
      expect(t.firstResponseDueAt)
        .to.be.greaterThan(now)
        .and.lessThan(now + 2 * DAY);
      // By the wall clock this ticket is due a year from now: the worker, on the gateway's clock, finds nothing yet.
      expect(await gw.gateway.slaWorker.runDue()).to.deep.equal([]);
      clock.set(t.firstResponseDueAt! + 1);
      const raised = await gw.gateway.slaWorker.runDue();
      expect(raised).to.deep.include({ ticketId: t.id, kind: 'breach', target: 'firstResponse' });
    });

    it('closes a bot-answered question after the deflection window of the injected clock', async function () {
      const t = (await complain('请问怎么申请退货？'))!;
      expect(t.status).to.equal('pending_customer');
      expect(await gw.gateway.deflection.run()).to.not.include(t.id);
      clock.advance(gw.gateway.activeConfig.faq.deflectionMinutes * 60_000 + 1);
      expect(await gw.gateway.deflection.run()).to.include(t.id);
      expect((await gw.gateway.tickets.get(gw.gateway.db, t.id))!.status).to.equal('resolved');
    });

    it('stamps an agent resolving a ticket with the injected clock', async function () {
      const t = (await complain('The kettle I bought leaks from the bottom.'))!;
      clock.advance(3 * HOUR);
      const patched = await gw.api('PATCH', `/api/v1/tickets/${t.id}`, { status: 'resolved' });
      expect(patched.status).to.equal(200);
      expect((await gw.gateway.tickets.get(gw.gateway.db, t.id))!.resolvedAt).to.equal(clock.now());
    });
  });

  describe(`the outbox on the injected clock on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let clock: ManualClock;
    const email = new FakeAdapter('email');

    before(async function () {
      clock = new ManualClock(aYearAheadOnAWednesdayMorning());
      gw = await startTestGateway({ db, clock, adapters: [email] });
    });
    after(async function () {
      await gw?.stop();
    });

    it('sends what is due on the gateway clock, and retries after the backoff measured on it', async function () {
      // The first send of the acknowledgement fails; the retry is due backoffSeconds[0] later on the gateway's
      // clock, a year ahead of the wall clock: only moving the gateway's clock brings it.
      email.failNext('transient');
      const posted = await gw.api('POST', '/api/v1/messages', {
        channel: 'email',
        externalId: `clock-outbox-${db}`,
        from: { address: 'outbox-clock@example.com' },
        subject: 'Broken kettle',
        text: 'The kettle I bought leaks from the bottom.',
      });
      expect(posted.status).to.equal(202);
      const retrying = async () => (await gw.gateway.db('outbox').where({ status: 'pending' }).where('attempts', '>=', 1).first()) !== undefined;
      const deadline = Date.now() + 20_000;
      while (!(await retrying())) {
        expect(Date.now(), 'the first attempt was made on the gateway clock').to.be.lessThan(deadline);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(email.sent).to.have.length(0);
      clock.advance(gw.gateway.activeConfig.gateway.outbox.backoffSeconds[0]! * 1000 + 1);
      gw.gateway.sender.notify();
      const [ack] = await email.waitForSent(1);
      expect(ack!.to).to.equal('outbox-clock@example.com');
      // The adapter has it; the row is marked sent in the transaction right after.
      let sent: any;
      for (let i = 0; i < 500 && !sent; i++) {
        sent = await gw.gateway.db('outbox').where({ status: 'sent' }).first();
        if (!sent) await new Promise((r) => setTimeout(r, 20));
      }
      expect(Number(sent.sent_at), 'sent at the gateway clock’s time, a year ahead').to.be.within(clock.now() - 60_000, clock.now());
    });
  });
}

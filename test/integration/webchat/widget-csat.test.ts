import { expect } from 'chai';
import { TEST_DATABASES } from '../../support/databases.js';
import { startTestGateway, type TestGateway } from '../../support/test-gateway.js';
import { WidgetClient } from './widget-client.js';

/**
 * The satisfaction question on the widget's socket (issue 20): the frame that asks is marked
 * `kind: 'csat'` (the widget shows rating buttons for it, never reading the text), the thanks
 * `kind: 'csat_thanks'`; the transcript says whether the question can still be answered and with
 * what score; a button's answer ("1分") is read like a typed one, and the comment the widget sends
 * after it (`csatComment: true`) is kept with the rating without reopening the ticket.
 */
for (const db of TEST_DATABASES) {
  describe(`web chat satisfaction question on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    const clients: WidgetClient[] = [];
    const open = async () => {
      const c = await WidgetClient.open(gw.url);
      clients.push(c);
      return c;
    };

    beforeEach(async function () {
      // The wall clock must not decide these tests: in quiet hours the question would wait in the outbox.
      gw = await startTestGateway({ db, tweak: (c) => void (c.gateway.customerUpdates.quietHours = null) });
    });
    afterEach(async function () {
      for (const c of clients.splice(0)) c.close();
      await gw?.stop();
    });

    const ticket = async (id: number) => (await gw.api('GET', `/api/v1/tickets/${id}`)).body;

    /** A visitor's complaint, resolved by an agent: returns the socket, its token, the ticket and the question's frame. */
    async function resolvedComplaint(text: string) {
      const visitor = await open();
      const { token } = await visitor.hello();
      visitor.send({ type: 'message', clientId: 'complaint-0001', text });
      const ack = await visitor.next((e) => e.type === 'message' && e.role === 'system');
      expect(ack, 'the acknowledgement is no survey').to.not.have.property('kind');
      await gw.settle();
      const id = (await gw.api('GET', `/api/v1/tickets?q=${ack.ticketNumber}`)).body.items[0].id as number;
      const resolved = await gw.api('PATCH', `/api/v1/tickets/${id}`, { status: 'resolved' });
      expect(resolved.status, JSON.stringify(resolved.body)).to.equal(200);
      const survey = await visitor.next((e) => e.type === 'message' && e.kind === 'csat');
      return { visitor, token, id, number: ack.ticketNumber as string, survey };
    }

    it('marks the question and the thanks, reads the button answer "1分" like a typed one (reopened for the supervisors), and keeps the comment after it', async function () {
      const { visitor, token, id, number, survey } = await resolvedComplaint('电水壶用了两天就不加热了，要求换货。');
      expect(survey).to.include({ role: 'system', ticketNumber: number });
      expect(survey.csat).to.deep.equal({ open: true, score: null });
      expect(survey.text).to.include(number);

      // A visitor who comes back later reads the same question from the transcript, still open.
      const later = await open();
      const before = (await later.hello(token, 'zh')).history.entries.find((e: any) => e.id === survey.id);
      expect(before).to.include({ kind: 'csat', text: survey.text });
      expect(before.csat).to.deep.equal({ open: true, score: null });

      const from = visitor.events.length;
      visitor.send({ type: 'message', clientId: 'rating-0001', text: '1分', lang: 'zh' });
      const sorry = await visitor.next((e) => e.type === 'message' && e.role === 'system' && e.kind === 'csat_thanks', 10_000, from);
      expect(sorry.text).to.include('主管会尽快联系您');
      await gw.settle();
      const rated = await ticket(id);
      expect(rated).to.include({ csat: 1, csatComment: null, status: 'reopened', queue: 'supervisors' });
      expect(rated.events.find((e: any) => e.type === 'escalated').after).to.include({ reason: 'low satisfaction score', score: 1 });

      visitor.send({ type: 'message', clientId: 'comment-0001', text: '换货拖了一个星期，客服也不回电话。', csatComment: true });
      await visitor.next((e) => e.type === 'accepted' && e.clientId === 'comment-0001');
      await gw.settle();
      const commented = await ticket(id);
      expect(commented).to.include({ csat: 1, csatComment: '换货拖了一个星期，客服也不回电话。', status: 'reopened', queue: 'supervisors' });
      expect(commented.events.find((e: any) => e.type === 'csat_commented').after).to.deep.equal({
        comment: '换货拖了一个星期，客服也不回电话。',
        channel: 'webchat',
      });
      expect(commented.messages.filter((m: any) => m.direction === 'in').map((m: any) => m.text)).to.deep.equal([
        '电水壶用了两天就不加热了，要求换货。',
        '1分',
        '换货拖了一个星期，客服也不回电话。',
      ]);
      expect((await gw.api('GET', '/api/v1/tickets')).body.items, 'no new ticket for the rating or the comment').to.have.length(1);

      // The transcript now shows the question answered, with the score, and the apology marked.
      const reread = await open();
      const entries = (await reread.hello(token)).history.entries;
      expect(entries.find((e: any) => e.id === survey.id).csat).to.deep.equal({ open: false, score: 1 });
      expect(entries.filter((e: any) => e.kind).map((e: any) => e.kind)).to.deep.equal(['csat', 'csat_thanks']);
    });

    it('keeps a comment on a good score without reopening the ticket; with no rating left to comment on, the flag changes nothing', async function () {
      const { visitor, id } = await resolvedComplaint('The kettle stopped heating after two days.');
      visitor.send({ type: 'message', clientId: 'rating-0002', text: '5/5', lang: 'en' });
      await visitor.next((e) => e.type === 'message' && e.kind === 'csat_thanks');
      visitor.send({ type: 'message', clientId: 'comment-0002', text: 'Quick and friendly, thanks!', csatComment: true });
      await visitor.next((e) => e.type === 'accepted' && e.clientId === 'comment-0002');
      await gw.settle();
      expect(await ticket(id)).to.include({ csat: 5, csatComment: 'Quick and friendly, thanks!', status: 'resolved' });

      // A second "comment": the rating has one, so this is a message like any other (it reopens the resolved ticket).
      visitor.send({ type: 'message', clientId: 'comment-0003', text: 'Actually the new one leaks too.', csatComment: true });
      await visitor.next((e) => e.type === 'accepted' && e.clientId === 'comment-0003');
      await gw.settle();
      expect(await ticket(id)).to.include({ csat: 5, csatComment: 'Quick and friendly, thanks!', status: 'reopened' });
    });

    it('shows a question that can no longer be answered as closed: rated on the status page meanwhile', async function () {
      const { token, id, survey } = await resolvedComplaint('The parcel arrived with the screen broken.');
      const statusToken = (await gw.gateway.tickets.get(gw.gateway.db, id))!.statusToken;
      const rated = await fetch(`${gw.url}/t/${statusToken}/rate`, { method: 'POST', body: new URLSearchParams({ score: '4' }), redirect: 'manual' });
      expect(rated.status).to.equal(303);
      const entry = (await (await open()).hello(token)).history.entries.find((e: any) => e.id === survey.id);
      expect(entry).to.include({ kind: 'csat' });
      expect(entry.csat).to.deep.equal({ open: false, score: 4 });
    });
  });
}

import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import type { ChannelId } from '../../contracts/channel-ids.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

for (const db of TEST_DATABASES) {
  describe(`FAQ bot on every channel on ${db}`, function () {
    let gw: TestGateway;
    const channels: ChannelId[] = ['email', 'sms', 'webchat', 'wechat'];
    let fakes: Record<string, FakeAdapter>;

    beforeEach(async function () {
      fakes = Object.fromEntries(channels.map((c) => [c, new FakeAdapter(c)]));
      gw = await startTestGateway({ db, adapters: Object.values(fakes) });
    });
    afterEach(async function () {
      await gw?.stop();
    });

    const ticketFor = async (journalId: string | number) => {
      await gw.settle();
      const m = await gw.api('GET', `/api/v1/messages/${journalId}`);
      return (await gw.api('GET', `/api/v1/tickets/${m.body.ticket.id}`)).body;
    };

    it('answers a FAQ question at once on the channel it came from, with the exchange on the timeline', async function () {
      const questions: Record<string, string> = {
        email: 'How long does a refund take?',
        sms: '退款多久能到账？',
        webchat: 'Can I change my delivery address?',
        wechat: '怎么开发票',
      };
      for (const channel of channels) {
        const { id } = await fakes[channel]!.receive({ from: { address: `${channel}-customer-1@example.com` }, text: questions[channel]! });
        const [answer] = await fakes[channel]!.waitForSent(1);
        const t = await ticketFor(id);
        expect(t.status, channel).to.equal('pending_customer');
        expect(t.tags).to.include('bot-answered');
        expect(answer!.channel).to.equal(channel);
        expect(answer!.text).to.include(t.number);
        const bot = t.messages.find((m: any) => m.author === 'bot');
        expect(bot, channel).to.include({ direction: 'out', channel });
        expect(fakes[channel]!.sent, 'no separate acknowledgement').to.have.length(1);
      }
      expect(fakes.sms!.sent[0]!.text).to.match(/退款|原路/);
      expect(fakes.email!.sent[0]!.text).to.match(/refund/i);
    });

    it('answers the question inside a longer message, and leaves a complaint that only names returns to a person', async function () {
      // Issue 17: the short question was answered, this one was not.
      const asked = await fakes.sms!.receive({ from: { address: '+8613900002468' }, text: '你好，请问怎么申请退货？需要自己付运费吗？' });
      const [answer] = await fakes.sms!.waitForSent(1);
      const t = await ticketFor(asked.id);
      expect(t.status).to.equal('pending_customer');
      expect(t.tags).to.include('bot-answered');
      expect(answer!.text).to.include('申请退货').and.include('运费');
      expect(t.understanding.faq).to.include({ entryId: 'return-how', answered: true });

      const complaint = await fakes.sms!.receive({ from: { address: '+8613900001357' }, text: '我买的水壶漏水了，要求退货退款！' });
      const c = await ticketFor(complaint.id);
      expect(c.id).to.not.equal(t.id);
      expect(c.status).to.equal('new');
      expect(c.tags).to.not.include('bot-answered');
      expect(
        c.messages.some((m: any) => m.author === 'bot'),
        'no bot answer to a complaint',
      ).to.equal(false);
      expect(
        fakes.sms!.sent.filter((s) => s.text.includes('申请退货')),
        'only the question got the returns answer',
      ).to.have.length(1);
    });

    for (const [phrase, lang] of [
      ['转人工', 'zh'],
      ['人工', 'zh'],
      ['没用', 'zh'],
      ['agent', 'en'],
      ['not helpful', 'en'],
      ['0', 'en'],
    ] as const) {
      it(`hands over to a person when the customer answers "${phrase}" (${lang})`, async function () {
        const question = lang === 'zh' ? '退款多久能到账？' : 'How long does a refund take?';
        const { id } = await fakes.sms!.receive({ from: { address: '+8613900001234' }, text: question });
        await fakes.sms!.waitForSent(1);
        const answered = await ticketFor(id);
        const reply = await fakes.sms!.receive({ from: { address: '+8613900001234' }, text: phrase });
        const t = await ticketFor(reply.id);
        expect(t.id, 'the same ticket').to.equal(answered.id);
        expect(t.status).to.equal('open');
        expect(t.tags).to.include('handoff').and.not.include('bot-answered');
        expect(t.messages.map((m: any) => `${m.direction}:${m.author}`)).to.deep.equal(['in:customer', 'out:bot', 'in:customer']);
        expect(t.events.map((e: any) => e.type)).to.include('handoff');
        expect((await gw.api('GET', '/api/v1/tickets?limit=50')).body.items).to.have.length(1);
      });
    }

    it('never lets the bot close a safety complaint that also asks a FAQ question', async function () {
      const text = '退款多久能到账？充电器用着用着冒烟起火了';
      expect(gw.gateway.faqMatcher().decide(text, {}).answer, 'the FAQ alone would answer it').to.not.equal(undefined);
      const { id } = await fakes.sms!.receive({ from: { address: '+8613900005678' }, text });
      const t = await ticketFor(id);
      expect(t.severity).to.equal(1);
      expect(t.status).to.equal('new');
      expect(t.queue).to.equal('crisis');
      expect(t.tags).to.include('faq-suggested').and.not.include('bot-answered');
      expect(t.messages.some((m: any) => m.author === 'bot')).to.equal(false);
      expect(t.understanding.faq).to.include({ entryId: 'refund-time', withheld: true });
    });

    it('counts a bot answer without follow-up as deflected, reopenable, and reports FAQ stats', async function () {
      const { id } = await fakes.email!.receive({ from: { address: 'q@example.com' }, text: 'How do I return an item?' });
      const t = await ticketFor(id);
      expect(await gw.gateway.deflection.run(Date.now() + 59 * 60_000)).to.deep.equal([]);
      expect(await gw.gateway.deflection.run(Date.now() + 61 * 60_000)).to.deep.equal([t.id]);
      const resolved = (await gw.api('GET', `/api/v1/tickets/${t.id}`)).body;
      expect(resolved.status).to.equal('resolved');
      expect(resolved.events.find((e: any) => e.type === 'deflected').actor).to.equal('bot');

      // A question the FAQ cannot answer shows up for the leads.
      await fakes.email!.receive({ from: { address: 'q2@example.com' }, text: 'Do you sell gift cards for pets?' });
      await gw.settle();
      const stats = (await gw.api('GET', '/api/v1/faq/stats')).body;
      expect(stats).to.include({ botAnswered: 1, deflected: 1, handoffs: 0, deflectionRate: 1 });
      expect(stats.hitsPerEntry).to.deep.equal([{ entryId: 'return-how', count: 1 }]);
      expect(stats.topUnanswered.map((u: any) => u.question)).to.include('Do you sell gift cards for pets?');

      // Deflected is not final: the customer writes again, the ticket reopens for a person.
      await fakes.email!.receive({ from: { address: 'q@example.com' }, subject: `Re: ${t.number}`, text: 'The return label does not work.' });
      await gw.settle();
      expect((await gw.api('GET', `/api/v1/tickets/${t.id}`)).body.status).to.equal('reopened');
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).to.match(/gateway_faq_outcomes_total\{outcome="deflected"\} 1/);
      expect(metrics).to.match(/gateway_faq_hits_total\{entry="return-how"\} 1/);
    });
  });
}

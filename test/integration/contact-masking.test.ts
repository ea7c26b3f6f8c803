/**
 * Who sees what of a customer (issue 23 item 3), pinned against the README's role × field table: agents see
 * phone numbers and e-mail addresses masked everywhere the API shows them (inbox, search, ticket page, timeline,
 * notes, events, classification, customer), leads and admins in full, finance no message text at all; an agent
 * may reveal the full values of one ticket or customer, and the audit trail records it.
 */
import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import type { GatewayConfig } from '../../config/loader.js';
import { IncidentStore } from '../../storage/incident.store.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const PHONE = '13800138000';
const EMAIL = 'wang.fang@example.com';
const OTHER_EMAIL = 'li.lei@example.org';
/** Every full value the test wrote: none may appear in an answer to a role that sees them masked. */
const FULL_VALUES = [PHONE, EMAIL, OTHER_EMAIL, '7946 0958'];

/** The values of a customer's identities of one kind. */
const values = (identities: Array<{ kind: string; value: string }>, kind: string) => identities.filter((i) => i.kind === kind).map((i) => i.value);

for (const db of TEST_DATABASES) {
  describe(`contact details and message text by role on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let config: GatewayConfig;
    const sms = new FakeAdapter('sms');
    const email = new FakeAdapter('email');
    const tokens: Record<'agent' | 'lead' | 'finance' | 'admin', string> = { agent: '', lead: '', finance: '', admin: '' };
    let smsTicket: any;
    let emailTicket: any;

    before(async function () {
      gw = await startTestGateway({
        db,
        adapters: [sms, email],
        tweak: (c) => {
          config = c;
        },
      });
      tokens.admin = gw.adminToken;
      for (const role of ['agent', 'lead', 'finance'] as const) tokens[role] = (await gw.gateway.tokens.create(`${role}-1`, role)).token;
      await sms.receive({
        from: { address: `+86${PHONE}` },
        text: `快递三天了还没到，订单 DD20261124001。电话 ${PHONE}，邮箱 ${EMAIL}`,
      });
      await gw.settle();
      // Another address naming the first customer's e-mail: the pipeline merges them, its reason quoting the address.
      await email.receive({
        from: { address: OTHER_EMAIL, name: 'Li Lei' },
        subject: `Refund for DD20261124002 — call +44 20 7946 0958`,
        text: `My partner ${EMAIL} already wrote. The blender I received is missing its lid.`,
      });
      await gw.settle();
      const items = (await gw.api('GET', '/api/v1/tickets?sort=updated')).body.items;
      smsTicket = items.find((t: any) => t.channel === 'sms');
      emailTicket = items.find((t: any) => t.channel === 'email');
      await gw.api('POST', `/api/v1/tickets/${smsTicket.id}/notes`, { text: `Customer asked to be called back on ${PHONE} after 6 pm` }, tokens.agent);
    });
    after(async () => {
      await gw?.stop();
    });

    const as = (role: keyof typeof tokens, path: string) => gw.api('GET', path, undefined, tokens[role]);
    const raw = (body: unknown) => JSON.stringify(body);

    it('agents: phone numbers and e-mail addresses masked in the inbox, search, ticket, timeline, notes, events, classification and customer', async function () {
      const answers = await Promise.all(
        [
          '/api/v1/tickets',
          `/api/v1/tickets?q=${PHONE}`,
          `/api/v1/tickets?q=${encodeURIComponent(EMAIL)}`,
          `/api/v1/tickets/${smsTicket.id}`,
          `/api/v1/tickets/${emailTicket.id}`,
          `/api/v1/customers/${smsTicket.customerId}`,
        ].map((p) => as('agent', p)),
      );
      for (const a of answers) {
        expect(a.status).to.equal(200);
        for (const value of FULL_VALUES) expect(raw(a.body)).to.not.include(value);
      }
      const [inbox, byPhone, byEmail, ticket, mailTicket, customer] = answers.map((a) => a.body);
      // Search still finds the customer by the full number or address; it answers masked.
      expect(byPhone.items.map((t: any) => t.id)).to.include(smsTicket.id);
      expect(byEmail.items.length).to.be.greaterThan(0);
      const row = inbox.items.find((t: any) => t.id === smsTicket.id);
      expect(row.excerpt).to.include('138****8000').and.include('w***@example.com').and.include('DD20261124001');
      expect(values(ticket.customer.identities, 'phone')).to.include('138****8000');
      expect(ticket.customer.identities.find((i: any) => i.kind === 'email').value).to.equal('w***@example.com');
      expect(ticket.messages[0].from).to.equal('138****8000');
      expect(ticket.messages[0].text).to.include('电话 138****8000，邮箱 w***@example.com').and.include('订单 DD20261124001');
      expect(ticket.notes[0].text).to.equal('Customer asked to be called back on 138****8000 after 6 pm');
      expect(ticket.privacy).to.deep.equal({ contactsMasked: true, textHidden: false, mayReveal: true });
      expect(mailTicket.messages[0].from).to.equal('l***@example.org');
      expect(mailTicket.subject).to.equal('Refund for DD20261124002 — call +44******0958');
      expect(customer.identities.map((i: any) => i.value)).to.include.members(['138****8000', 'w***@example.com']);
      expect(customer.privacy).to.deep.equal({ contactsMasked: true, mayReveal: true });
      const merge = customer.merges.find((m: any) => /e-mail address/.test(m.reason));
      expect(merge?.reason, 'the pipeline merge names the address it found, masked').to.equal('e-mail address w***@example.com given in the message');
    });

    it('leads and admins see them in full, with nothing to reveal', async function () {
      for (const role of ['lead', 'admin'] as const) {
        const ticket = (await as(role, `/api/v1/tickets/${smsTicket.id}`)).body;
        expect(values(ticket.customer.identities, 'phone'), role).to.include(`+86${PHONE}`);
        expect(ticket.messages[0].text, role).to.include(`电话 ${PHONE}，邮箱 ${EMAIL}`);
        expect(ticket.privacy, role).to.deep.equal({ contactsMasked: false, textHidden: false, mayReveal: false });
        const inbox = (await as(role, '/api/v1/tickets')).body;
        expect(raw(inbox), role).to.include(PHONE);
      }
      const csv = await fetch(`${gw.url}/api/v1/insights/breaches?format=csv`, { headers: { authorization: `Bearer ${tokens.lead}` } });
      expect(csv.status).to.equal(200);
    });

    it('finance: no message text at all (bodies, subjects, excerpts, notes, entities), contacts masked, no reveal', async function () {
      const inbox = (await as('finance', '/api/v1/tickets')).body;
      for (const t of inbox.items) expect([t.subject, t.excerpt]).to.deep.equal([null, null]);
      const ticket = (await as('finance', `/api/v1/tickets/${emailTicket.id}`)).body;
      expect(ticket.subject).to.equal(null);
      for (const m of ticket.messages) expect([m.subject, m.text]).to.deep.equal([null, null]);
      expect(ticket.privacy).to.deep.equal({ contactsMasked: true, textHidden: true, mayReveal: false });
      const withNote = (await as('finance', `/api/v1/tickets/${smsTicket.id}`)).body;
      expect(withNote.notes.map((n: any) => n.text)).to.deep.equal([null]);
      expect(withNote.events.find((e: any) => e.type === 'note').after.text).to.equal(null);
      expect(raw(withNote.understanding)).to.not.include('DD20261124001');
      // What finance works with stays: category, severity, status, SLA, counts.
      expect(withNote).to.include({ id: smsTicket.id, status: withNote.status });
      expect(withNote.category).to.be.a('string');
      for (const value of [...FULL_VALUES, '快递三天了还没到', 'missing its lid']) expect(raw(inbox) + raw(ticket) + raw(withNote)).to.not.include(value);
      const reveal = await gw.api('POST', `/api/v1/tickets/${smsTicket.id}/reveal`, {}, tokens.finance);
      expect(reveal.status).to.equal(403);
    });

    it('an agent reveals one ticket or customer in full, and the audit trail says who, when, which and why', async function () {
      const before = Date.now();
      const ticket = await gw.api('POST', `/api/v1/tickets/${smsTicket.number}/reveal`, { reason: 'customer asked for a call back' }, tokens.agent);
      expect(ticket.status).to.equal(200);
      expect(values(ticket.body.customer.identities, 'phone')).to.include(`+86${PHONE}`);
      expect(ticket.body.messages[0].text).to.include(`电话 ${PHONE}，邮箱 ${EMAIL}`);
      expect(ticket.body.notes[0].text).to.include(PHONE);
      expect(ticket.body.privacy.contactsMasked).to.equal(false);
      const customer = await gw.api('POST', `/api/v1/customers/${smsTicket.customerId}/reveal`, {}, tokens.agent);
      expect(customer.status).to.equal(200);
      expect(customer.body.identities.map((i: any) => i.value)).to.include.members([`+86${PHONE}`, EMAIL]);
      // Reading again is masked again: a reveal is one answer, not a lasting right.
      expect(raw((await as('agent', `/api/v1/tickets/${smsTicket.id}`)).body)).to.not.include(PHONE);

      const trail = await gw.api('GET', '/api/v1/audit?action=contact.revealed&actor=agent-1');
      expect(trail.status).to.equal(200);
      expect(trail.body.items.map((e: any) => [e.source, e.actor, e.role, e.action, e.ticketId, e.customerId])).to.deep.equal([
        ['access', 'token:agent-1', 'agent', 'contact.revealed', null, smsTicket.customerId],
        ['access', 'token:agent-1', 'agent', 'contact.revealed', smsTicket.id, smsTicket.customerId],
      ]);
      const [ofCustomer, ofTicket] = trail.body.items;
      expect(ofTicket.detail).to.deep.include({ of: 'ticket', ticket: smsTicket.number, reason: 'customer asked for a call back' });
      expect(ofCustomer.detail).to.deep.include({ of: 'customer' });
      expect(Date.parse(ofTicket.at)).to.be.within(before, Date.now());
      // The trail records that values were shown, never the values.
      for (const value of FULL_VALUES) expect(raw(trail.body)).to.not.include(value);
      // Only admins read the trail.
      for (const role of ['agent', 'lead', 'finance'] as const) expect((await as(role, '/api/v1/audit')).status, role).to.equal(403);
    });

    it('a queue listed in masking.fullContactQueues shows its tickets in full to agents; the customer page stays masked', async function () {
      config.gateway.masking.fullContactQueues = [smsTicket.queue];
      try {
        const ticket = (await as('agent', `/api/v1/tickets/${smsTicket.id}`)).body;
        expect(values(ticket.customer.identities, 'phone')).to.include(`+86${PHONE}`);
        expect(ticket.privacy).to.deep.equal({ contactsMasked: false, textHidden: false, mayReveal: false });
        const row = (await as('agent', '/api/v1/tickets')).body.items.find((t: any) => t.id === smsTicket.id);
        expect(row.excerpt).to.include(PHONE);
        expect(raw((await as('agent', `/api/v1/customers/${smsTicket.customerId}`)).body)).to.not.include(PHONE);
        // Finance sees no text in any queue.
        expect((await as('finance', `/api/v1/tickets/${smsTicket.id}`)).body.messages[0].text).to.equal(null);
      } finally {
        config.gateway.masking.fullContactQueues = [];
      }
    });

    it('the SLA breach list and its CSV download follow the same rule: subjects masked for a role without the full values', async function () {
      // The e-mail ticket past its SLA: it is on the breach list, its subject quoting a phone number.
      await gw.gateway
        .db('tickets')
        .where({ id: emailTicket.id })
        .update({ sla_due_at: Date.now() - 3_600_000 });
      const breaches = async () =>
        (await fetch(`${gw.url}/api/v1/insights/breaches?format=csv`, { headers: { authorization: `Bearer ${tokens.lead}` } })).text();
      expect(await breaches()).to.include('+44 20 7946 0958');
      config.gateway.masking.fullContactRoles = ['admin'];
      try {
        const csv = await breaches();
        expect(csv).to.include('call +44******0958');
        for (const value of FULL_VALUES) expect(csv).to.not.include(value);
        const json = (await as('lead', '/api/v1/insights/breaches')).body;
        expect(json.items.find((b: any) => b.number === emailTicket.number).subject).to.equal('Refund for DD20261124002 — call +44******0958');
      } finally {
        config.gateway.masking.fullContactRoles = ['lead', 'admin'];
      }
    });

    it('an incident title quoting a complaint is masked, a phone number cut at its end dropped', async function () {
      const now = Date.now();
      // A surge's title is the category and the first 60 characters of the complaint: here one cut inside a number.
      const title = `LG: 快递三天了还没到，电话 ${PHONE} 邮箱 ${EMAIL}，另一个号码 1390013`;
      const id = await new IncidentStore().create(gw.gateway.db, { title, category: 'LG', severity: 2, firstSeenAt: now, lastSeenAt: now }, now);
      const list = (await as('agent', '/api/v1/incidents')).body.items.find((i: any) => i.id === id);
      expect(list.title).to.equal('LG: 快递三天了还没到，电话 138****8000 邮箱 w***@example.com，另一个号码');
      expect((await as('agent', `/api/v1/incidents/${id}`)).body.title).to.equal(list.title);
      expect((await as('finance', `/api/v1/incidents/${id}`)).body.title).to.equal(list.title);
      expect((await as('lead', `/api/v1/incidents/${id}`)).body.title).to.equal(title);
    });

    it('a reply answers where it went masked, as the ticket shows it', async function () {
      const reply = await gw.api('POST', `/api/v1/tickets/${smsTicket.id}/replies`, { text: '您好，包裹明天送达。' }, tokens.agent);
      expect(reply.status).to.equal(202);
      expect(reply.body.to).to.equal('138****8000');
    });
  });
}

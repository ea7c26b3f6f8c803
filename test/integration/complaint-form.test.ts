import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

for (const db of TEST_DATABASES) {
  describe(`public complaint form on ${db}`, function () {
    let gw: TestGateway;
    const email = new FakeAdapter('email');
    const sms = new FakeAdapter('sms');

    before(async function () {
      gw = await startTestGateway({ db, adapters: [email, sms], tweak: (c) => (c.gateway.form.rateLimit = { windowSeconds: 60, max: 4 }) });
    });
    after(async function () {
      await gw?.stop();
    });

    const submit = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${gw.url}/complaint`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields),
      });

    it('serves an accessible form in English or Chinese', async function () {
      const en = await (await fetch(`${gw.url}/complaint`)).text();
      expect(en).to.include('<label for="gw-text">').and.include('id="gw-text"').and.include('name="nonce"');
      const zh = await (await fetch(`${gw.url}/complaint?lang=zh`)).text();
      expect(zh).to.include('提交投诉').and.include('lang="zh-CN"');
    });

    it('turns a submission into a ticket with an acknowledgement to the e-mail given, once even if submitted twice', async function () {
      const form = await (await fetch(`${gw.url}/complaint`)).text();
      const nonce = /name="nonce" value="([^"]+)"/.exec(form)![1]!;
      const fields = {
        name: 'Zhang Wei',
        contact: 'Zhang.Wei@Example.com',
        order: 'DD20261124555',
        text: 'The washing machine leaks water all over the floor.',
        nonce,
      };
      const first = await submit(fields);
      expect(first.status).to.equal(202);
      const page = await first.text();
      // The thank-you page names the ticket and links its status page, and promises the e-mail the gateway can send.
      const number = /Your ticket number is <strong class="gw-ticket-number">([A-Z]+-\d{8}-\d{4})<\/strong>/.exec(page)?.[1];
      expect(number, page).to.be.a('string');
      // Attribute values come HTML-escaped ("/" as &#47;), as a browser reads them.
      const link = /<a href="([^"]+)">/.exec(page)![1]!.replaceAll('&#47;', '/');
      expect(link).to.match(/^\/t\/[A-Za-z0-9_-]{20,}$/);
      expect(await (await fetch(gw.url + link)).text()).to.include(number!);
      expect(page).to.include('A confirmation with your ticket number is on its way to <strong>zhang.wei@example.com</strong>');
      expect((await submit(fields)).status, 'a double submit is accepted again…').to.equal(202);
      await gw.settle();
      const tickets = (await gw.api('GET', '/api/v1/tickets?channel=webform')).body.items;
      expect(tickets, '…but stored once').to.have.length(1);
      expect(tickets[0].number).to.equal(number);
      const [ack] = await email.waitForSent(1);
      expect(ack).to.include({ channel: 'email', to: 'zhang.wei@example.com' });
      expect(ack!.text).to.include(tickets[0].number);
      const customer = (await gw.api('GET', `/api/v1/customers/${tickets[0].customerId}`)).body;
      expect(customer.identities.map((i: any) => `${i.kind}:${i.value}`)).to.include.members(['email:zhang.wei@example.com', 'order:DD20261124555']);
    });

    it('refuses invalid input with the reasons and escapes what was typed', async function () {
      const res = await submit({ name: '<script>alert(1)</script>', contact: 'not a contact', text: 'hi' });
      expect(res.status).to.equal(400);
      const html = await res.text();
      expect(html).to.include('Enter a valid e-mail address or mobile number.').and.include('at least 5 characters');
      expect(html).to.not.include('<script>alert(1)</script>');
      expect(html).to.include('&#60;script&#62;alert(1)&#60;&#47;script&#62;');
    });

    it('answers by SMS when a phone number is given, and rate-limits one client address', async function () {
      // Every request here comes from 127.0.0.1; the limit is 4 per minute in this gateway.
      const ok = await submit({ name: '李雷', contact: '139 1234 5678', text: '门店店员态度恶劣，拒绝给我开发票。' });
      expect(ok.status).to.equal(202);
      await sms.waitForSent(1);
      expect(sms.sent[0]!.to).to.equal('+8613912345678');
      let last = 0;
      for (let i = 0; i < 6; i++) last = (await submit({ name: 'x', contact: 'a@b.co', text: `spam message ${i}` })).status;
      expect(last).to.equal(429);
      await gw.settle();
      expect((await gw.api('GET', '/api/v1/tickets?q=spam%20message')).body.items.length).to.be.lessThan(4);
    });
  });

  describe(`public complaint form without a channel to confirm by, on ${db}`, function () {
    let gw: TestGateway;
    before(async function () {
      gw = await startTestGateway({ db });
    });
    after(async function () {
      await gw?.stop();
    });

    it('promises no confirmation it cannot send, and gives the status link instead', async function () {
      const res = await fetch(`${gw.url}/complaint?lang=zh`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name: '王芳', contact: 'wang.fang@example.com', text: '买的电水壶漏水，要求换货。' }),
      });
      expect(res.status).to.equal(202);
      const page = await res.text();
      expect(page).to.include('您的工单号是').and.include('请保存此链接');
      expect(page).to.not.include('确认信息将发送至');
    });

    it('shows the ticket number later on the receipt page when the pipeline was not done yet', async function () {
      const nonce = '6f1c2b1e-8a4d-4c55-9e2f-0d6a7b3c9e10';
      await gw.gateway.sink({
        channel: 'webform',
        externalId: nonce,
        receivedAt: new Date().toISOString(),
        from: { address: 'later@example.com', name: 'Later' },
        text: 'The parcel never arrived at all.',
        attachments: [],
        meta: {},
      });
      await gw.settle();
      const page = await (await fetch(`${gw.url}/complaint/received/${nonce}`)).text();
      expect(page).to.match(/Your ticket number is <strong class="gw-ticket-number">[A-Z]+-\d{8}-\d{4}<\/strong>/);
      expect(page).to.not.include('http-equiv="refresh"');
      expect((await fetch(`${gw.url}/complaint/received/not-a-nonce`)).status).to.equal(404);
    });
  });
}

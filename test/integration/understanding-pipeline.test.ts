import { expect } from 'chai';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

for (const db of TEST_DATABASES) {
  describe(`classification and routing of real complaints on ${db}`, function () {
    let gw: TestGateway;
    before(async function () {
      gw = await startTestGateway({ db });
    });
    after(async function () {
      await gw?.stop();
    });

    async function complain(externalId: string, text: string, channel = 'api', address = `${externalId}@example.com`) {
      const posted = await gw.api('POST', '/api/v1/messages', { channel, externalId, from: { address }, text });
      expect(posted.status).to.equal(202);
      await gw.settle();
      const m = await gw.api('GET', `/api/v1/messages/${posted.body.id}`);
      return (await gw.api('GET', `/api/v1/tickets/${m.body.ticket.id}`)).body;
    }

    it('stores category, severity, emotion, entities and evidence on the ticket and routes by them', async function () {
      const t = await complain('lg1', '我的快递已经超过一周还没送到，订单号 DD20261124001，物流信息一直不更新。');
      expect(t).to.include({ category: 'LG', queue: 'logistics', language: 'zh-Hans' });
      expect(t.severity).to.equal(3);
      expect(t.understanding.evidence.some((e: any) => e.kind === 'keyword' && e.category === 'LG')).to.equal(true);
      expect(t.understanding.entities.orderNumbers.map((o: any) => o.value)).to.include('DD20261124001');
      expect(t.understanding.route.fired.map((f: any) => f.ruleId)).to.include('logistics');
    });

    it('sends a safety complaint to the crisis queue with the urgent SLA and pages on-call', async function () {
      const t = await complain('pq1', 'The heater I bought caught fire last night and my son was burned, he is in hospital!');
      expect(t.severity).to.equal(1);
      expect(t).to.include({ queue: 'crisis', priority: 'urgent' });
      expect(t.understanding.route.slaPolicy).to.equal('urgent');
      const dueInMinutes = (Date.parse(t.firstResponseDueAt) - Date.parse(t.createdAt)) / 60_000;
      expect(dueInMinutes).to.be.within(29, 31);
      const escalated = t.events.find((e: any) => e.type === 'escalated');
      expect(escalated.after).to.include({ to: 'on-call' });
    });

    it('gives a WeChat group complaint the 30-minute community first-response target', async function () {
      const posted = await gw.api('POST', '/api/v1/messages', {
        channel: 'wechat',
        externalId: 'grp-1',
        from: { address: 'wxid_member_7', name: '群成员小王' },
        threadKey: 'room-42@chatroom',
        text: '@客服 买的吹风机用了一周就坏了，怎么处理？',
        meta: { via: 'wechaty', group: true, roomId: 'room-42@chatroom', roomTopic: '会员福利群' },
      });
      await gw.settle();
      const m = await gw.api('GET', `/api/v1/messages/${posted.body.id}`);
      const t = (await gw.api('GET', `/api/v1/tickets/${m.body.ticket.id}`)).body;
      expect(t.tags).to.include('group').and.include('wechat-group');
      expect(t.understanding.route.fired.map((f: any) => f.ruleId)).to.include('wechat-group-30m');
      expect(t.understanding.route.slaPolicy).to.equal('wechat-group');
      const sla = (await gw.gateway.tickets.get(gw.gateway.db, t.id))!.sla as any;
      const { businessMsBetween } = await import('../../gateway/sla/business-calendar.js');
      const community = gw.gateway.activeConfig.sla.calendars.community!;
      expect(businessMsBetween(Date.parse(t.createdAt), sla.firstResponseDueAt, community)).to.equal(30 * 60_000);
    });

    it('treats traditional Chinese like simplified: a privacy complaint goes to legal', async function () {
      const hant = await complain('rl1', '你們未經我同意就把我的個人資料洩露給第三方，我要投訴並保留法律追究的權利。');
      expect(hant.language).to.equal('zh-Hant');
      expect(hant.category).to.equal('RL');
      expect(hant.queue).to.equal('legal');
    });
  });
}

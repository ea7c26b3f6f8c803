import { expect } from 'chai';
import { UserAccounts } from '../../gateway/user-accounts.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

for (const db of TEST_DATABASES) {
  describe(`known agents on ${db}`, function () {
    let gw: TestGateway;
    let agentToken: string;
    let ticketId: number;

    before(async function () {
      gw = await startTestGateway({
        db,
        tweak: (config) => {
          // routing.yaml lists agents per queue (round robin takes them): here the general queue has amy.
          config.routing.queues.find((q) => q.id === 'general')!.agents.push({ id: 'amy', capacity: 5 });
        },
      });
      const accounts = new UserAccounts(gw.gateway.users, gw.gateway.sessions);
      await accounts.create({ username: 'li.lei', role: 'agent', displayName: 'Li Lei', password: 'correct horse battery' });
      await accounts.create({ username: 'han.mei', role: 'lead', displayName: 'Han Mei', password: 'correct horse battery' });
      await accounts.create({ username: 'zhao.fin', role: 'finance', password: 'correct horse battery' });
      await accounts.create({ username: 'boss', role: 'admin', password: 'correct horse battery' });
      await accounts.create({ username: 'old.hand', role: 'agent', password: 'correct horse battery' });
      await accounts.disable('old.hand');
      agentToken = (await gw.api('POST', '/api/v1/tokens', { name: 'li.lei', role: 'agent' })).body.token;
      await gw.api('POST', '/api/v1/messages', {
        channel: 'sms',
        externalId: `SM-agents-${db}`,
        from: { address: '+8613800138001' },
        text: '电水壶漏水，要求退货',
      });
      await gw.settle();
      ticketId = (await gw.api('GET', '/api/v1/tickets')).body.items[0].id;
    });
    after(async function () {
      await gw?.stop();
    });

    it('lists active agent and lead users and the agents routing.yaml names', async function () {
      const list = await gw.api('GET', '/api/v1/agents', undefined, agentToken);
      expect(list.status).to.equal(200);
      expect(list.body.items).to.deep.equal([
        { name: 'amy', displayName: 'amy', role: 'agent', source: 'routing' },
        { name: 'han.mei', displayName: 'Han Mei', role: 'lead', source: 'user' },
        { name: 'li.lei', displayName: 'Li Lei', role: 'agent', source: 'user' },
      ]);
      const integration = (await gw.api('POST', '/api/v1/tokens', { name: 'crm', role: 'integration' })).body.token;
      expect((await gw.api('GET', '/api/v1/agents', undefined, integration)).status).to.equal(403);
    });

    it('assigns only to known agents, and unassigns with null', async function () {
      for (const name of ['li.lei', 'amy', 'han.mei']) {
        const ok = await gw.api('PATCH', `/api/v1/tickets/${ticketId}`, { assignee: name }, agentToken);
        expect(ok.status, name).to.equal(200);
        expect(ok.body.assignee).to.equal(name);
      }
      for (const name of ['nobody', 'old.hand', 'zhao.fin', 'boss', 'Li.Lei']) {
        const refused = await gw.api('PATCH', `/api/v1/tickets/${ticketId}`, { assignee: name }, agentToken);
        expect(refused.status, name).to.equal(400);
        expect(refused.body.error.message).to.include(`unknown agent "${name}"`);
        expect(refused.body.error.message).to.match(/routing\.yaml/);
        expect(refused.body.error.message).to.match(/gateway user list/);
      }
      expect((await gw.api('GET', `/api/v1/tickets/${ticketId}`)).body.assignee, 'a refused change changes nothing').to.equal('han.mei');
      const unassigned = await gw.api('PATCH', `/api/v1/tickets/${ticketId}`, { assignee: null }, agentToken);
      expect(unassigned.status).to.equal(200);
      expect(unassigned.body.assignee).to.equal(null);
    });
  });
}

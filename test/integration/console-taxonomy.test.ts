import { expect } from 'chai';
import { loadCategoriesFile } from '../../config/load-categories.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

describe('the console’s front door and category picker', function () {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ db: 'sqlite' });
  });
  after(async () => {
    await gw?.stop();
  });

  it('sends a person who opens the gateway’s address to the console', async () => {
    const res = await fetch(`${gw.url}/`, { redirect: 'manual' });
    expect(res.status).to.equal(302);
    expect(res.headers.get('location')).to.equal('/console');
  });

  it('lists the active taxonomy with zh and en names, and every code it lists is one a ticket can be given', async () => {
    const { token } = await gw.gateway.tokens.create('li.lei', 'agent');
    const res = await gw.api('GET', '/api/v1/categories', undefined, token);
    expect(res.status).to.equal(200);
    const items: Array<{ code: string; name: { zh: string; en: string }; subcategories: Array<{ code: string; name: { zh: string; en: string } }> }> =
      res.body.items;
    expect(items.map((c) => c.code)).to.deep.equal([...loadCategoriesFile('config/categories.yaml').categories.map((c) => c.code), 'OTHER']);
    const pq = items.find((c) => c.code === 'PQ')!;
    expect(pq.name).to.deep.equal({ zh: '产品质量', en: 'Product quality' });
    expect(pq.subcategories[0]).to.deep.equal({ code: 'PQ-01', name: { zh: '包装破损', en: 'Packaging broken' } });

    await gw.api('POST', '/api/v1/messages', { externalId: 'tax-1', from: { address: 'a@example.com' }, text: 'My parcel never arrived.' });
    await gw.settle();
    const ticket = (await gw.api('GET', '/api/v1/tickets')).body.items[0];
    const last = items.at(-2)!;
    const patched = await gw.api('PATCH', `/api/v1/tickets/${ticket.id}`, { category: last.code, subcategory: last.subcategories.at(-1)?.code ?? null }, token);
    expect(patched.status).to.equal(200);
    expect(patched.body.category).to.equal(last.code);
  });

  it('is not for integrations, and refuses a query it does not know', async () => {
    const { token } = await gw.gateway.tokens.create('shop', 'integration');
    expect((await gw.api('GET', '/api/v1/categories', undefined, token)).status).to.equal(403);
    const bad = await gw.api('GET', '/api/v1/categories?lang=fr');
    expect(bad.status).to.equal(400);
  });
});

import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TicketStore } from '../../storage/ticket.store.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * SQLite has one connection. The pipeline writes a backlog in as few transactions as it can (one commit, one fsync,
 * for many messages), but a transaction ends at the next step (sqliteTransactionSize messages) as soon as anything
 * else waits for the connection: a customer's acknowledgement or an agent's page never queues behind a long run of
 * ticket writing.
 */
describe('pipeline transactions on SQLite', function () {
  this.timeout(60_000);
  let gw: TestGateway;
  let sms: FakeAdapter;
  const STEP = 5;
  const create = TicketStore.prototype.create;
  let commits = 0;
  const countCommits = (q: { sql?: string }) => {
    if (/^\s*commit/i.test(q.sql ?? '')) commits++;
  };

  beforeEach(async function () {
    sms = new FakeAdapter('sms');
    gw = await startTestGateway({
      db: 'sqlite',
      adapters: [sms],
      workers: false,
      tweak: (c) => {
        c.gateway.pipeline.sqliteTransactionSize = STEP;
        // No time limit on a transaction here: only something waiting may end one.
        c.gateway.pipeline.sqliteTransactionMaxMs = 60_000;
      },
    });
    gw.gateway.db.on('query', countCommits);
  });
  afterEach(async function () {
    TicketStore.prototype.create = create;
    gw?.gateway.db.off('query', countCommits);
    await gw?.stop();
  });

  const complaint = (n: number) => `第${n}号订单的快递一直没送到，已经等了五天了`;
  const backlog = async (count: number) => {
    for (let n = 1; n <= count; n++) await sms.receive({ from: { address: `+86139000011${String(n).padStart(2, '0')}` }, text: complaint(n) });
  };
  const doneRows = async () => Number((await gw.gateway.db('intake_journal').where({ status: 'done' }).count({ n: '*' }).first())?.n);

  it('writes a backlog nobody else is waiting on in one transaction', async function () {
    await backlog(20);
    commits = 0;
    expect(await gw.gateway.pipeline.drain()).to.equal(20);
    expect(await doneRows()).to.equal(20);
    expect(Number((await gw.gateway.db('tickets').count({ n: '*' }).first())?.n)).to.equal(20);
    // One commit for the batch (its steps of 5 committed one by one would make 4).
    expect(commits).to.equal(1);
  });

  it('ends its transaction at the next step when a customer message waits, and the message is kept', async function () {
    await backlog(20);
    let created = 0;
    let acknowledged: Promise<number> | undefined;
    // The third new ticket of the batch: a customer writes while the pipeline's transaction is open.
    TicketStore.prototype.create = function (this: TicketStore, ...args: Parameters<TicketStore['create']>) {
      if (++created === 3) acknowledged = sms.receive({ from: { address: '+8613900001199' }, text: complaint(99) }).then(() => doneRows());
      return create.apply(this, args);
    };
    await gw.gateway.pipeline.drain();

    // Acknowledged (committed) when the step in hand had been written, not after the whole batch.
    expect(acknowledged).to.not.equal(undefined);
    expect(await acknowledged).to.be.at.most(STEP);
    expect(await doneRows()).to.equal(21);
    const texts = (await gw.gateway.db('messages').where({ direction: 'in' }).select('text')).map((r) => r.text);
    expect(texts).to.have.length(21).and.to.include(complaint(99));
  });

  it("ends its transaction at the next step when an agent's request waits", async function () {
    await backlog(20);
    let created = 0;
    let listed: Promise<number> | undefined;
    TicketStore.prototype.create = function (this: TicketStore, ...args: Parameters<TicketStore['create']>) {
      if (++created === 3) {
        listed = gw.api('GET', '/api/v1/tickets?limit=100').then((res) => {
          expect(res.status).to.equal(200);
          return (res.body as { items: unknown[] }).items.length;
        });
      }
      return create.apply(this, args);
    };
    await gw.gateway.pipeline.drain();

    // The agent's list was read after the step in hand was committed, not after the whole batch.
    expect(listed).to.not.equal(undefined);
    expect(await listed).to.be.at.most(STEP);
    expect(Number((await gw.gateway.db('tickets').count({ n: '*' }).first())?.n)).to.equal(20);
  });
});

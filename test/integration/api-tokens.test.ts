/**
 * API tokens lapse and say when they were last used (issue 23 item 4); only their hash is stored.
 */
import { expect } from 'chai';
import { hashToken } from '../../storage/token.store.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const DAY = 86_400_000;

for (const db of TEST_DATABASES) {
  describe(`API token expiry and last use on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    before(async function () {
      gw = await startTestGateway({ db, workers: false });
    });
    after(async () => {
      await gw?.stop();
    });

    const listed = async (id: number) => (await gw.api('GET', '/api/v1/tokens')).body.items.find((t: any) => t.id === id);
    const readAs = (token: string) => gw.api('GET', '/api/v1/queues', undefined, token);

    it('a new token works for a year unless told otherwise (1 to 730 days), and says so', async function () {
      const before = Date.now();
      const created = await gw.api('POST', '/api/v1/tokens', { name: 'crm', role: 'integration' });
      expect(created.status).to.equal(201);
      expect(Date.parse(created.body.expiresAt) - before).to.be.within(365 * DAY - 5_000, 365 * DAY + 5_000);
      const week = await gw.api('POST', '/api/v1/tokens', { name: 'pilot', role: 'agent', expiresInDays: 7 });
      expect(Date.parse(week.body.expiresAt) - before).to.be.within(7 * DAY - 5_000, 7 * DAY + 5_000);
      for (const expiresInDays of [0, 731, 1.5]) {
        const refused = await gw.api('POST', '/api/v1/tokens', { name: 'x', role: 'agent', expiresInDays });
        expect(refused.status, String(expiresInDays)).to.equal(400);
      }
      expect(await listed(week.body.id)).to.include({ expiresAt: week.body.expiresAt, expired: false, lastUsedAt: null });
      // Stored as a hash only: the database holds nothing that works as the token.
      const row = await gw.gateway.db('api_tokens').where({ id: week.body.id }).first();
      expect(row.token_hash).to.equal(hashToken(week.body.token));
      expect(JSON.stringify(row)).to.not.include(week.body.token);
    });

    it('an expired token is refused with 401 saying it expired, and listed as expired', async function () {
      const { body } = await gw.api('POST', '/api/v1/tokens', { name: 'old-crm', role: 'agent', expiresInDays: 1 });
      expect((await readAs(body.token)).status).to.equal(200);
      const expiredAt = Date.now() - 1_000;
      await gw.gateway.db('api_tokens').where({ id: body.id }).update({ expires_at: expiredAt });
      gw.gateway.auth.forget();
      const refused = await readAs(body.token);
      expect(refused.status).to.equal(401);
      expect(refused.body.error.message).to.equal(
        `the bearer token expired on ${new Date(expiredAt).toISOString()}: an admin creates a new one (POST /api/v1/tokens)`,
      );
      expect(await listed(body.id)).to.include({ expired: true });
      // A token made before tokens had an expiry keeps working, listed without one.
      await gw.gateway.db('api_tokens').where({ id: body.id }).update({ expires_at: null });
      gw.gateway.auth.forget();
      expect((await readAs(body.token)).status).to.equal(200);
      expect(await listed(body.id)).to.include({ expiresAt: null, expired: false });
    });

    it('records when a token was last used, at most once a minute', async function () {
      const { body } = await gw.api('POST', '/api/v1/tokens', { name: 'dashboard', role: 'lead' });
      expect((await listed(body.id)).lastUsedAt).to.equal(null);
      const before = Date.now();
      expect((await readAs(body.token)).status).to.equal(200);
      const first = (await listed(body.id)).lastUsedAt;
      expect(Date.parse(first)).to.be.within(before, Date.now());
      // Used again within the minute (past the one-second lookup cache): no second write.
      gw.gateway.auth.forget();
      await readAs(body.token);
      expect((await listed(body.id)).lastUsedAt).to.equal(first);
      // A minute later it is written again.
      await gw.gateway
        .db('api_tokens')
        .where({ id: body.id })
        .update({ last_used_at: Date.now() - 61_000 });
      gw.gateway.auth.forget();
      const again = Date.now();
      await readAs(body.token);
      expect(Date.parse((await listed(body.id)).lastUsedAt)).to.be.within(again, Date.now());
    });

    it('the CLI makes tokens with an expiry too', async function () {
      const { main } = await import('../../gateway/cli.js');
      const out: string[] = [];
      const err: string[] = [];
      const io = { stdout: { write: (s: string) => out.push(s) } as never, stderr: { write: (s: string) => err.push(s) } as never };
      expect(await main(['token', 'create', '--name', 'x', '--role', 'agent', '--expires-days', '0'], io)).to.equal(2);
      expect(err.join('')).to.match(/--expires-days is a whole number of days from 1 to 730/);
      const saved = process.env.DATABASE_URL;
      process.env.DATABASE_URL = gw.database.url;
      try {
        const before = Date.now();
        expect(await main(['token', 'create', '--name', 'nightly-export', '--role', 'integration', '--expires-days', '30'], io)).to.equal(0);
        const token = out.join('').trim();
        expect(token).to.match(/^gw_[A-Za-z0-9_-]{32}$/);
        const row = await gw.gateway
          .db('api_tokens')
          .where({ token_hash: hashToken(token) })
          .first();
        expect(Number(row.expires_at) - before).to.be.within(30 * DAY - 10_000, 30 * DAY + 10_000);
        expect(err.join('')).to.include(`works until ${new Date(Number(row.expires_at)).toISOString()}`);
      } finally {
        if (saved === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = saved;
      }
    });
  });
}

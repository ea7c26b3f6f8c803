import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { createLogger } from '../../gateway/logger.js';
import { openDatabase, migrate, type Db } from '../../storage/db.js';
import { RateLimitStore } from '../../storage/rate-limit.store.js';
import { SenderRateLimiter } from '../../adapters/email/sender-rate-limiter.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/test-gateway.js';

for (const kind of TEST_DATABASES) {
  describe(`rate limits shared through the database, on ${kind} (issue 22)`, function () {
    this.timeout(60_000);

    describe('the counter', function () {
      let database: TestDatabase;
      const dbs: Db[] = [];
      before(async function () {
        database = await createTestDatabase(kind);
        dbs.push(openDatabase(database.url), openDatabase(database.url));
        await migrate(dbs[0]!);
      });
      after(async function () {
        for (const db of dbs) await db.destroy();
        await database.drop();
      });

      it('counts every hit once when two processes hit the same key at the same time', async function () {
        const [a, b] = dbs.map((db) => new RateLimitStore(db)) as [RateLimitStore, RateLimitStore];
        const now = Date.now();
        const counts = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).hit('form:same-address', 60_000, now)));
        expect(counts.map((c) => c.hits).sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(new Set(counts.map((c) => c.resetAt))).to.deep.equal(new Set([now + 60_000]));
      });

      it('starts a new window once the old one has ended, and keeps keys apart', async function () {
        const store = new RateLimitStore(dbs[0]!);
        const t0 = Date.now();
        expect((await store.hit('k1', 1_000, t0)).hits).to.equal(1);
        expect((await store.hit('k1', 1_000, t0 + 500)).hits).to.equal(2);
        expect((await store.hit('k2', 1_000, t0 + 500)).hits).to.equal(1);
        expect(await store.hit('k1', 1_000, t0 + 1_000)).to.deep.equal({ hits: 1, resetAt: t0 + 2_000 });
        await store.undo('k1');
        expect((await store.hit('k1', 1_000, t0 + 1_001)).hits).to.equal(1);
      });

      it('holds an e-mail sender to one limit whichever process reads the mailbox, and stores no address', async function () {
        const limits = dbs.map((db) => new SenderRateLimiter(3, 3_600_000, new RateLimitStore(db)));
        const allowed = [];
        for (let i = 0; i < 6; i++) allowed.push(await limits[i % 2]!.allow('Flood@Example.com'));
        expect(allowed).to.deep.equal([true, true, true, false, false, false]);
        const keys: Array<{ key: string }> = await dbs[0]!('rate_limit_hits').select('key');
        expect(keys.map((k) => k.key).join(' ')).to.not.match(/flood|example/i);
      });
    });

    describe('the web form behind two gateway processes', function () {
      let first: TestGateway;
      let second: Gateway;
      before(async function () {
        first = await startTestGateway({ db: kind, tweak: (c) => (c.gateway.form.rateLimit = { windowSeconds: 60, max: 4 }) });
        const config = loadConfig({
          dir: path.resolve('config'),
          env: { DATABASE_URL: first.database.url, GATEWAY_ADMIN_TOKEN: TEST_ADMIN_TOKEN, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' },
        });
        config.gateway.form.rateLimit = { windowSeconds: 60, max: 4 };
        second = await Gateway.create({ config, workers: false, logger: createLogger('silent') });
        await second.start(0, '127.0.0.1');
      });
      after(async function () {
        await second?.stop();
        await first?.stop();
      });

      it('refuses the fifth submission from one address in a minute, whichever process takes it', async function () {
        const submit = (url: string, i: number) =>
          fetch(`${url}/complaint`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ name: 'x', contact: 'a@b.co', text: `The parcel arrived broken, submission ${i}.` }),
          }).then((r) => r.status);
        const statuses = [];
        for (let i = 0; i < 6; i++) statuses.push(await submit(i % 2 ? second.url : first.url, i));
        // Four accepted in all (two on each process), then both refuse: one limit, not one per process.
        expect(statuses.slice(0, 4).every((s) => s !== 429)).to.equal(true);
        expect(statuses.slice(4)).to.deep.equal([429, 429]);
      });
    });
  });
}

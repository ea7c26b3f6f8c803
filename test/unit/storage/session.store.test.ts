import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { migrate, openDatabase, type Db } from '../../../storage/db.js';
import { SessionStore } from '../../../storage/session.store.js';
import { UserStore } from '../../../storage/user.store.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../../support/databases.js';

for (const kind of TEST_DATABASES) {
  describe(`session store on ${kind}`, function () {
    let database: TestDatabase;
    let db: Db;
    let sessions: SessionStore;
    let userId: number;

    before(async function () {
      database = await createTestDatabase(kind);
      db = openDatabase(database.url);
      await migrate(db);
      sessions = new SessionStore(db);
      userId = (await new UserStore(db).create({ username: 'li.lei', displayName: 'Li Lei', role: 'agent', passwordHash: 'x' })).id;
    });
    after(async function () {
      await db?.destroy();
      await database?.drop();
    });

    it('keeps only the SHA-256 of the token, and finds the session with its user by the token', async function () {
      const s = await sessions.create(userId, 3_600_000, 1000);
      expect(s.id).to.equal(createHash('sha256').update(s.token).digest('hex'));
      const rows = await db('sessions').select();
      expect(JSON.stringify(rows)).not.to.include(s.token);
      expect(await sessions.find(s.token)).to.deep.equal({
        id: s.id,
        userId,
        username: 'li.lei',
        displayName: 'Li Lei',
        role: 'agent',
        userDisabled: false,
        csrfToken: s.csrfToken,
        createdAt: 1000,
        expiresAt: 3_601_000,
        lastSeenAt: 1000,
      });
      expect(await sessions.find(`${s.token}x`)).to.equal(undefined);
    });

    it('slides a session forward, ends one, ends all of a user, and purges expired ones', async function () {
      const a = await sessions.create(userId, 1000, 5000);
      expect(await sessions.touch(a.id, 1000, 5500)).to.equal(6500);
      expect(await sessions.find(a.token)).to.include({ lastSeenAt: 5500, expiresAt: 6500 });
      await sessions.end(a.token);
      expect(await sessions.find(a.token)).to.equal(undefined);

      const b = await sessions.create(userId, 1000, 5000);
      const c = await sessions.create(userId, 1000, 5000);
      expect(await sessions.endAllFor(userId)).to.be.at.least(2);
      expect(await sessions.find(b.token)).to.equal(undefined);
      expect(await sessions.find(c.token)).to.equal(undefined);

      const old = await sessions.create(userId, 1000, 0);
      const fresh = await sessions.create(userId, 1000, 100_000);
      expect(await sessions.purgeExpired(50_000)).to.equal(1);
      expect(await sessions.find(old.token)).to.equal(undefined);
      expect(await sessions.find(fresh.token)).to.not.equal(undefined);
    });
  });
}

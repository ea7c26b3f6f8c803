import { expect } from 'chai';
import { migrate, openDatabase, type Db } from '../../../storage/db.js';
import { UserStore } from '../../../storage/user.store.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../../support/databases.js';

for (const kind of TEST_DATABASES) {
  describe(`user store on ${kind}`, function () {
    let database: TestDatabase;
    let db: Db;
    let users: UserStore;

    before(async function () {
      database = await createTestDatabase(kind);
      db = openDatabase(database.url);
      await migrate(db);
      users = new UserStore(db);
    });
    after(async function () {
      await db?.destroy();
      await database?.drop();
    });

    it('stores a user and finds it by name, with the hash only where sign-in asks for it', async function () {
      const created = await users.create({ username: 'li.lei', displayName: 'Li Lei', role: 'agent', passwordHash: '$argon2id$fake' }, 1000);
      expect(created).to.deep.include({
        username: 'li.lei',
        displayName: 'Li Lei',
        role: 'agent',
        disabled: false,
        failedLogins: 0,
        lockedUntil: null,
        createdAt: 1000,
        updatedAt: 1000,
      });
      expect(created).not.to.have.property('passwordHash');
      const found = await users.findByUsername('li.lei');
      expect(found).to.include({ id: created.id, passwordHash: '$argon2id$fake', disabled: false });
      expect(await users.findByUsername('Li.Lei'), 'names are matched exactly (callers lower-case them)').to.equal(undefined);
    });

    it('refuses a second user with the same name', async function () {
      let refused = false;
      try {
        await users.create({ username: 'li.lei', displayName: 'Another', role: 'lead', passwordHash: 'x' });
      } catch {
        refused = true;
      }
      expect(refused).to.equal(true);
    });

    it('locks the account at the fifth consecutive failure and starts counting again', async function () {
      const u = await users.create({ username: 'lock.me', displayName: 'Lock Me', role: 'agent', passwordHash: 'x' });
      for (let i = 1; i <= 4; i++) expect(await users.recordFailure(u.id, 5, 900_000, 10_000)).to.deep.equal({ lockedUntil: null });
      expect((await users.get(u.id))!.failedLogins).to.equal(4);
      expect(await users.recordFailure(u.id, 5, 900_000, 10_000)).to.deep.equal({ lockedUntil: 910_000 });
      expect(await users.get(u.id)).to.include({ failedLogins: 0, lockedUntil: 910_000 });
      await users.recordSuccess(u.id);
      expect(await users.get(u.id)).to.include({ failedLogins: 0, lockedUntil: null });
    });

    it('counts failures from concurrent attempts without losing any', async function () {
      const u = await users.create({ username: 'busy', displayName: 'Busy', role: 'agent', passwordHash: 'x' });
      await Promise.all([1, 2, 3].map(() => users.recordFailure(u.id, 5, 900_000)));
      expect((await users.get(u.id))!.failedLogins).to.equal(3);
    });

    it('a new password clears the lockout; disabled users are not active', async function () {
      const u = await users.create({ username: 'han.mei', displayName: 'Han Mei', role: 'lead', passwordHash: 'old' });
      for (let i = 0; i < 5; i++) await users.recordFailure(u.id, 5, 900_000);
      await users.setPassword(u.id, 'new', 2000);
      expect(await users.findByUsername('han.mei')).to.include({ passwordHash: 'new', failedLogins: 0, lockedUntil: null, updatedAt: 2000 });

      await users.create({ username: 'zhao.fin', displayName: 'Zhao', role: 'finance', passwordHash: 'x' });
      await users.setDisabled((await users.findByUsername('busy'))!.id, true);
      expect((await users.active(['agent', 'lead'])).map((x) => x.username)).to.deep.equal(['han.mei', 'li.lei', 'lock.me']);
      expect((await users.findByUsername('busy'))!.disabled).to.equal(true);
      expect((await users.list()).map((x) => x.username)).to.deep.equal(['busy', 'han.mei', 'li.lei', 'lock.me', 'zhao.fin']);
    });
  });
}

import { expect } from 'chai';
import { parseTestDatabases } from '../../support/databases.js';

describe('TEST_DATABASES (test/support/databases.ts)', () => {
  it('unset means both databases', () => {
    expect(parseTestDatabases(undefined)).to.deep.equal(['sqlite', 'postgres']);
  });

  it('takes a comma list, spaces and repeats allowed', () => {
    expect(parseTestDatabases('sqlite')).to.deep.equal(['sqlite']);
    expect(parseTestDatabases(' postgres , sqlite,postgres ')).to.deep.equal(['postgres', 'sqlite']);
  });

  it('refuses a name it does not know, naming the known ones, instead of silently running on fewer databases', () => {
    expect(() => parseTestDatabases('sqlite,postgress')).to.throw('TEST_DATABASES names unknown database(s) "postgress"; known: sqlite, postgres');
    expect(() => parseTestDatabases('SQLite')).to.throw(/unknown database\(s\) "SQLite"/);
  });

  it('refuses an empty value, which would run the database suites on nothing', () => {
    expect(() => parseTestDatabases('')).to.throw(/TEST_DATABASES is empty/);
    expect(() => parseTestDatabases(' , ')).to.throw(/TEST_DATABASES is empty/);
  });
});

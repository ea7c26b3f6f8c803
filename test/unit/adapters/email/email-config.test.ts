import { expect } from 'chai';
import { emailConfigFromEnv } from '../../../../config/channels/email.schema.js';
import { SenderRateLimiter } from '../../../../adapters/email/sender-rate-limiter.js';
import { compressUids } from '../../../../adapters/email/imap-poller.js';

describe('emailConfigFromEnv', () => {
  const env = { EMAIL_IMAP_HOST: 'imap.example.com', EMAIL_USER: 'complaints@example.com', EMAIL_PASSWORD: 'pw' };

  it('is undefined while the IMAP host, user or password is missing (blank counts as missing)', () => {
    expect(emailConfigFromEnv({})).to.equal(undefined);
    expect(emailConfigFromEnv({ ...env, EMAIL_PASSWORD: '  ' })).to.equal(undefined);
  });

  it('fills defaults: port 993 with TLS, INBOX, From = the user, no SMTP', () => {
    const c = emailConfigFromEnv(env)!;
    expect(c.mailboxes).to.have.length(1);
    expect(c.mailboxes[0]).to.include({ host: 'imap.example.com', port: 993, secure: true, user: 'complaints@example.com', password: 'pw', mailbox: 'INBOX' });
    expect(c.mailboxes[0]!.processedFolder).to.equal(undefined);
    expect(c.from).to.equal('complaints@example.com');
    expect(c.smtp).to.equal(undefined);
    expect(c.onUidValidityChange).to.equal('halt');
  });

  it('reads SMTP, booleans and numbers from strings; SMTP login defaults to the IMAP login', () => {
    const c = emailConfigFromEnv({
      ...env,
      EMAIL_IMAP_PORT: '143',
      EMAIL_IMAP_SECURE: 'false',
      EMAIL_SMTP_HOST: 'smtp.example.com',
      EMAIL_SMTP_PORT: '587',
      EMAIL_SMTP_SECURE: 'false',
      EMAIL_PROCESSED_FOLDER: 'Done',
      EMAIL_POLL_SECONDS: '30',
    })!;
    expect(c.mailboxes[0]).to.include({ port: 143, secure: false, processedFolder: 'Done' });
    expect(c.smtp).to.deep.equal({ host: 'smtp.example.com', port: 587, secure: false, user: 'complaints@example.com', password: 'pw' });
    expect(c.pollSeconds).to.equal(30);
  });

  it('names the variable when a value is malformed', () => {
    expect(() => emailConfigFromEnv({ ...env, EMAIL_IMAP_PORT: 'imap' })).to.throw(/EMAIL_IMAP_PORT/);
  });
});

describe('SenderRateLimiter', () => {
  it('lets N mails per sender through per window, then refuses until the window slides', async () => {
    const l = new SenderRateLimiter(2, 60_000);
    expect([await l.allow('a@x', 0), await l.allow('A@x', 1), await l.allow('a@x', 2), await l.allow('b@x', 3)]).to.deep.equal([true, true, false, true]);
    expect(await l.allow('a@x', 60_001)).to.equal(true);
  });
});

describe('compressUids', () => {
  it('turns UID lists into ranges for STORE/MOVE', () => {
    expect(compressUids([5, 1, 2, 3, 7, 8, 10])).to.equal('1:3,5,7:8,10');
  });
});

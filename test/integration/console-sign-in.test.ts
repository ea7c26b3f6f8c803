import { expect } from 'chai';
import { UserAccounts } from '../../gateway/user-accounts.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const PASSWORD = 'correct horse battery';
const WRONG = 'wrong username or password';
/** What no error answer may show: a stack frame, SQL, or the driver's words. */
const INTERNALS = /\bat .+:\d+:\d+|\bselect\b.+\bfrom\b|\binsert into\b|\bupdate\b.+\bset\b|sqlite|postgres|knex/i;

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

async function call(
  url: string,
  method: string,
  path: string,
  opts: { body?: unknown; cookie?: string; csrf?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.cookie) headers.cookie = `gw_session=${opts.cookie}`;
  if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
  const res = await fetch(url + path, {
    method,
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep the text */
  }
  if (res.status >= 400) expect(text, `${method} ${path} → ${res.status} shows no internals`).not.to.match(INTERNALS);
  return { status: res.status, body, headers: res.headers };
}

function cookieOf(answer: Answer): string {
  const value = /gw_session=([^;]*)/.exec(answer.headers.get('set-cookie') ?? '')?.[1];
  expect(value, 'a gw_session cookie').to.be.a('string').and.not.equal('');
  return value!;
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() - start > timeoutMs) return { value, ms: Date.now() - start };
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const db of TEST_DATABASES) {
  describe(`console sign-in on ${db}`, function () {
    let gw: TestGateway;
    let accounts: UserAccounts;
    const signIn = (username: string, password: string, headers?: Record<string, string>) =>
      call(gw.url, 'POST', '/console/session', { body: { username, password }, headers });

    before(async function () {
      gw = await startTestGateway({ db });
      accounts = new UserAccounts(gw.gateway.users, gw.gateway.sessions);
      for (const [username, role, displayName] of [
        ['li.lei', 'agent', 'Li Lei'],
        ['han.mei', 'lead', 'Han Mei'],
        ['timing', 'agent', 'Timing'],
        ['lock.me', 'agent', 'Lock Me'],
        ['leaver', 'agent', 'Leaver'],
        ['sleepy', 'finance', 'Sleepy'],
      ] as const) {
        await accounts.create({ username, role, displayName, password: PASSWORD });
      }
    });
    after(async function () {
      await gw?.stop();
    });

    it('signs a person in with an HttpOnly, SameSite=Lax cookie (not Secure over plain http) and tells the page who it is', async function () {
      const answer = await signIn('Li.Lei', PASSWORD);
      expect(answer.status).to.equal(200);
      expect(answer.body).to.have.keys('name', 'displayName', 'role', 'csrfToken');
      expect(answer.body).to.include({ name: 'li.lei', displayName: 'Li Lei', role: 'agent' });
      const setCookie = answer.headers.get('set-cookie')!;
      expect(setCookie).to.match(/HttpOnly/);
      expect(setCookie).to.match(/SameSite=Lax/);
      expect(setCookie).to.match(/Path=\//);
      expect(setCookie).to.match(/Max-Age=43200/);
      expect(setCookie).not.to.match(/Secure/);

      const me = await call(gw.url, 'GET', '/api/v1/me', { cookie: cookieOf(answer) });
      expect(me.status).to.equal(200);
      expect(me.body).to.deep.equal({ name: 'li.lei', displayName: 'Li Lei', role: 'agent', via: 'session', csrfToken: answer.body.csrfToken });

      const byToken = await gw.api('GET', '/api/v1/me');
      expect(byToken.body).to.deep.equal({ name: 'admin', displayName: 'admin', role: 'admin', via: 'token' });
      const nobody = await call(gw.url, 'GET', '/api/v1/me');
      expect(nobody.status).to.equal(401);
    });

    it('needs the CSRF token for a change made with the cookie, and names the person in the audit trail', async function () {
      await gw.api('POST', '/api/v1/messages', {
        channel: 'sms',
        externalId: `SM-csrf-${db}`,
        from: { address: '+8613800138000' },
        text: '快递三天了还没到，订单 DD20261124001',
      });
      await gw.settle();
      const ticket = (await gw.api('GET', '/api/v1/tickets')).body.items[0];
      const answer = await signIn('li.lei', PASSWORD);
      const cookie = cookieOf(answer);

      const without = await call(gw.url, 'PATCH', `/api/v1/tickets/${ticket.id}`, { cookie, body: { priority: 'high' } });
      expect(without.status).to.equal(403);
      expect(without.body.error.message).to.equal('CSRF token missing or wrong: reload the page');
      const forged = await call(gw.url, 'PATCH', `/api/v1/tickets/${ticket.id}`, { cookie, csrf: 'not-the-token', body: { priority: 'high' } });
      expect(forged.status).to.equal(403);
      expect((await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body.priority, 'nothing changed').not.to.equal('high');

      const withToken = await call(gw.url, 'PATCH', `/api/v1/tickets/${ticket.id}`, { cookie, csrf: answer.body.csrfToken, body: { priority: 'high' } });
      expect(withToken.status).to.equal(200);
      expect(withToken.body.priority).to.equal('high');
      const events = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body.events;
      expect(events.some((e: any) => e.actor === 'agent:li.lei')).to.equal(true);

      // A finance user reads but may not change tickets: the role check is unchanged for sessions.
      const finance = await signIn('sleepy', PASSWORD);
      const refused = await call(gw.url, 'PATCH', `/api/v1/tickets/${ticket.id}`, {
        cookie: cookieOf(finance),
        csrf: finance.body.csrfToken,
        body: { priority: 'low' },
      });
      expect(refused.status).to.equal(403);
      expect(refused.body.error.message).to.match(/role "finance" may not do this/);
    });

    it('answers a wrong password and an unknown name alike, in similar time', async function () {
      const times = { wrong: [] as number[], unknown: [] as number[] };
      // Four tries each: a fifth wrong password would lock the account.
      for (let i = 0; i < 4; i++) {
        for (const [kind, name] of [
          ['wrong', 'timing'],
          ['unknown', 'no.such.person'],
        ] as const) {
          const start = performance.now();
          const answer = await signIn(name, 'not the password at all');
          times[kind].push(performance.now() - start);
          expect(answer.status).to.equal(401);
          expect(answer.body.error.message).to.equal(WRONG);
          expect(answer.headers.get('set-cookie')).to.equal(null);
        }
      }
      // The fastest of four: a busy machine only ever adds time, so the minimum is the cost of the check itself.
      // Without the dummy hash an unknown name answers in ~1 ms against tens of ms for a real check (ratio ~0.03).
      const fastest = (xs: number[]) => Math.min(...xs);
      expect(fastest(times.unknown) / fastest(times.wrong), `unknown ${times.unknown.map(Math.round)} ms, wrong ${times.wrong.map(Math.round)} ms`).to.be.above(
        0.4,
      );
      expect((await signIn('timing', PASSWORD)).status, 'a success resets the count').to.equal(200);
      for (let i = 0; i < 4; i++) expect((await signIn('timing', 'nope nope nope')).status).to.equal(401);
      expect((await signIn('timing', PASSWORD)).status, 'four failures after a success do not lock').to.equal(200);
    });

    it('locks an account for 15 minutes after 5 wrong passwords, refuses even the right one, and a reset unlocks it', async function () {
      for (let i = 1; i <= 4; i++) expect((await signIn('lock.me', `guess number ${i}`)).status).to.equal(401);
      const fifth = await signIn('lock.me', 'guess number 5');
      expect(fifth.status).to.equal(429);
      expect(fifth.body.error.message).to.match(/locked for 15 minutes/);
      const retryAfter = Number(fifth.headers.get('retry-after'));
      expect(retryAfter).to.be.within(890, 900);

      const right = await signIn('lock.me', PASSWORD);
      expect(right.status).to.equal(429);
      expect(right.body.error.message).to.match(/locked/);
      expect(Number(right.headers.get('retry-after'))).to.be.within(1, 900);

      const { generatedPassword } = await accounts.reset('lock.me');
      expect((await signIn('lock.me', generatedPassword!)).status).to.equal(200);
    });

    it('stops a disabled user’s open session within about a second, and refuses their sign-in with the usual message', async function () {
      const cookie = cookieOf(await signIn('leaver', PASSWORD));
      expect((await call(gw.url, 'GET', '/api/v1/me', { cookie })).status).to.equal(200);
      await accounts.disable('leaver');
      const { value, ms } = await until(
        () => call(gw.url, 'GET', '/api/v1/me', { cookie }),
        (a) => a.status !== 200,
      );
      expect(value.status).to.equal(401);
      expect(value.body.error.message).to.match(/sign in again/);
      expect(ms, 'ms until the session stopped').to.be.below(1_500);

      const again = await signIn('leaver', PASSWORD);
      expect(again.status).to.equal(401);
      expect(again.body.error.message).to.equal(WRONG);
      await accounts.enable('leaver');
      expect((await signIn('leaver', PASSWORD)).status).to.equal(200);
    });

    it('says a session has expired, and sign-out ends a session and clears the cookie', async function () {
      const answer = await signIn('han.mei', PASSWORD);
      const cookie = cookieOf(answer);
      expect((await call(gw.url, 'GET', '/api/v1/me', { cookie })).status).to.equal(200);
      await gw.gateway.db('sessions').update({ expires_at: Date.now() - 1 });
      const { value } = await until(
        () => call(gw.url, 'GET', '/api/v1/me', { cookie }),
        (a) => a.status !== 200,
      );
      expect(value.status).to.equal(401);
      expect(value.body.error.message).to.equal('your session has expired: sign in again');

      const fresh = await signIn('han.mei', PASSWORD);
      const live = cookieOf(fresh);
      const refused = await call(gw.url, 'DELETE', '/console/session', { cookie: live });
      expect(refused.status, 'sign-out needs the CSRF token too').to.equal(403);
      const out = await call(gw.url, 'DELETE', '/console/session', { cookie: live, csrf: fresh.body.csrfToken });
      expect(out.status).to.equal(204);
      expect(out.headers.get('set-cookie')).to.match(/gw_session=;.*Expires=Thu, 01 Jan 1970/);
      const after = await call(gw.url, 'GET', '/api/v1/me', { cookie: live });
      expect(after.status).to.equal(401);
      expect(after.body.error.message).to.match(/sign in again/);
      expect((await call(gw.url, 'DELETE', '/console/session', { cookie: live })).status, 'signing out twice is fine').to.equal(204);
    });

    it('slides the session (and its cookie) forward with use, at most once a minute', async function () {
      const answer = await signIn('li.lei', PASSWORD);
      const cookie = cookieOf(answer);
      const id = (await gw.gateway.db('sessions').orderBy('created_at', 'desc').first('id')).id;
      const seenLongAgo = Date.now() - 5 * 60_000;
      await gw.gateway
        .db('sessions')
        .where({ id })
        .update({ last_seen_at: seenLongAgo, expires_at: seenLongAgo + 43_200_000 });
      // The rows were changed behind the gateway's back: drop its ≤ 1 s cache of session lookups so this request reads them.
      gw.gateway.auth.forget();
      const before = Date.now();
      const me = await call(gw.url, 'GET', '/api/v1/me', { cookie });
      expect(me.status).to.equal(200);
      expect(me.headers.get('set-cookie')).to.match(/Max-Age=43200/);
      const row = await gw.gateway.db('sessions').where({ id }).first();
      expect(Number(row.last_seen_at)).to.be.at.least(before);
      expect(Number(row.expires_at)).to.be.at.least(before + 43_200_000);
      const soon = await call(gw.url, 'GET', '/api/v1/me', { cookie });
      expect(soon.headers.get('set-cookie'), 'not again within the minute').to.equal(null);
    });

    it('answers a malformed sign-in with a plain 400', async function () {
      for (const body of ['{"username":', { username: 'li.lei' }, { username: 'li.lei', password: PASSWORD, remember: true }, 'username=li.lei&password=x']) {
        const answer = await call(gw.url, 'POST', '/console/session', { body });
        expect(answer.status, JSON.stringify(body)).to.equal(400);
        expect(answer.body.error.message).to.be.a('string');
      }
      const form = await fetch(`${gw.url}/console/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'username=li.lei&password=correct+horse+battery',
      });
      expect(form.status, 'a form post from another site signs nobody in').to.equal(400);
    });
  });

  describe(`console sign-in behind a TLS proxy on ${db}`, function () {
    let gw: TestGateway;

    before(async function () {
      gw = await startTestGateway({ db, workers: false, tweak: (c) => (c.gateway.server.trustProxy = true) });
      await new UserAccounts(gw.gateway.users, gw.gateway.sessions).create({ username: 'li.lei', role: 'agent', password: PASSWORD });
    });
    after(async function () {
      await gw?.stop();
    });

    const signInFrom = (ip: string, username: string, password: string) =>
      call(gw.url, 'POST', '/console/session', { body: { username, password }, headers: { 'x-forwarded-for': ip, 'x-forwarded-proto': 'https' } });

    it('marks the cookie Secure when the request came over https', async function () {
      const answer = await signInFrom('198.51.100.1', 'li.lei', PASSWORD);
      expect(answer.status).to.equal(200);
      expect(answer.headers.get('set-cookie')).to.match(/; Secure/);
    });

    it('limits failed sign-ins per address, whatever names are tried', async function () {
      let status = 401;
      let attempts = 0;
      while (status === 401 && attempts < 40) {
        status = (await signInFrom('203.0.113.7', `sprayed.${attempts}`, 'a guessed password')).status;
        attempts++;
      }
      expect(status).to.equal(429);
      expect(attempts).to.equal(31);
      const limited = await signInFrom('203.0.113.7', 'li.lei', PASSWORD);
      expect(limited.status).to.equal(429);
      expect(limited.body.error.message).to.match(/too many failed sign-ins from this address/);
      expect(Number(limited.headers.get('retry-after'))).to.be.above(0);
      expect((await signInFrom('203.0.113.8', 'li.lei', PASSWORD)).status, 'another address is not affected').to.equal(200);
    });
  });
}

/**
 * Single sign-on for the console, end to end in Chromium against a real OpenID Connect provider
 * running here (oidc-provider, with its development login form): the sign-in page offers the
 * company account, the provider's answer is verified (state, nonce, PKCE), and the person lands
 * in the console as the console account of that name, with its role. A name the gateway does not
 * know and a disabled account are refused with a readable reason on the sign-in page.
 */
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { expect } from 'chai';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { createUserWithCli } from '../support/console-helpers.js';
import { freePort } from '../support/dovecot.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

describe('console single sign-on (OpenID Connect) in chromium', function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let provider: Server;
  let browser: Browser;

  before(async function () {
    const providerPort = await freePort();
    const issuer = `http://127.0.0.1:${providerPort}`;
    const gatewayPort = await freePort();
    const base = `http://127.0.0.1:${gatewayPort}`;
    gw = await startTestGateway({
      db: 'sqlite',
      env: { PUBLIC_BASE_URL: base, OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'complaint-gateway', OIDC_CLIENT_SECRET: 'a-client-secret-for-tests' },
      port: gatewayPort,
    });
    await Promise.all([createUserWithCli(gw.database.url, 'li.lei', 'agent', 'Li Lei'), createUserWithCli(gw.database.url, 'zhao.gang', 'agent', 'Zhao Gang')]);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['gateway/bin.js', 'user', 'disable', 'zhao.gang'], {
        env: { ...process.env, DATABASE_URL: gw.database.url, LOG_LEVEL: 'silent' },
        stdio: 'ignore',
      });
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`disable exited ${code}`))));
    });

    const oidc = new Provider(issuer, {
      clients: [
        {
          client_id: 'complaint-gateway',
          client_secret: 'a-client-secret-for-tests',
          redirect_uris: [`${base}/console/sso/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      // The development login form takes any name: the name typed becomes the account (and its preferred_username).
      findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, preferred_username: id, name: id }) }),
      claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
    });
    provider = oidc.listen(providerPort, '127.0.0.1');
    browser = await launchChromium();
  });

  after(async function () {
    await browser?.close();
    await new Promise((resolve) => (provider ? provider.close(resolve) : resolve(undefined)));
    await gw?.stop();
  });

  async function signInAtProvider(name: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${gw.url}/console`);
    await page.getByRole('link', { name: /company account/ }).click();
    await page.locator('input[name="login"]').fill(name);
    await page.locator('input[name="password"]').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    // First visit: the provider asks the person to let the gateway see their profile.
    await page.getByRole('button', { name: 'Continue' }).click();
    return page;
  }

  it('signs a known person in through the provider, with their own console role', async function () {
    const page = await signInAtProvider('li.lei');
    await page.getByText('Signed in as Li Lei (agent)').waitFor();
    expect(new URL(page.url()).pathname).to.equal('/console');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'gw_session')!;
    expect(session).to.include({ httpOnly: true, sameSite: 'Lax' });
    expect(
      cookies.some((c) => c.name === 'gw_sso'),
      'the pending sign-in cookie is gone',
    ).to.equal(false);
    // The session works like a password one: the API answers with the person's role.
    const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
    expect(me).to.include({ name: 'li.lei', role: 'agent', via: 'session' });
    await page.context().close();
  });

  it('refuses a person the gateway has no account for, and a disabled account, saying why on the sign-in page', async function () {
    const stranger = await signInAtProvider('mallory');
    const alert = stranger.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent())
      .to.include('there is no console account "mallory"')
      .and.include('gateway user create mallory');
    expect(new URL(stranger.url()).search, 'the reason is taken off the address').to.equal('');
    expect((await stranger.context().cookies()).some((c) => c.name === 'gw_session')).to.equal(false);
    await stranger.context().close();

    const disabled = await signInAtProvider('zhao.gang');
    await disabled.getByRole('alert').waitFor();
    expect(await disabled.getByRole('alert').textContent()).to.include('the console account "zhao.gang" is disabled');
    await disabled.context().close();
  });

  it('refuses a callback that was not started from this browser (state and PKCE are checked)', async function () {
    const res = await fetch(`${gw.url}/console/sso/callback?code=forged&state=forged`, { redirect: 'manual' });
    expect(res.status).to.equal(302);
    expect(decodeURIComponent(res.headers.get('location')!)).to.match(/sso_error=the single sign-on took too long or was started in another browser/);
    expect(res.headers.get('set-cookie') ?? '').to.not.match(/gw_session=[A-Za-z0-9_-]{20}/);
  });
});

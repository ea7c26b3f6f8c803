import * as oidc from 'openid-client';
import type { SingleSignOnSettings } from '../config/sso.schema.js';
import type { SessionStore } from '../storage/session.store.js';
import type { User, UserStore } from '../storage/user.store.js';
import { ServiceUnavailableError, UnauthorizedError } from './errors.js';
import { generatePassword, hashPassword } from './passwords.js';
import { USERNAME_PATTERN } from './user-accounts.js';

/** What the browser keeps between leaving for the provider and coming back (an HttpOnly cookie, 10 minutes). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
}

/**
 * Single sign-on with OpenID Connect (authorization code + PKCE, via openid-client): the provider
 * says who the person is, and the console account of that name signs in with its own role. The
 * provider never grants a role: an admin creates the account (`gateway user create`), or
 * OIDC_AUTO_CREATE_ROLE creates it on first sign-in. A disabled account stays out.
 */
export class SingleSignOn {
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly settings: SingleSignOnSettings,
    private readonly users: UserStore,
    private readonly sessions: SessionStore,
    private readonly sessionTtlMs: number,
  ) {}

  /** The provider's sign-in page to send the browser to, and what to remember until it comes back. */
  async begin(): Promise<{ url: string; pending: PendingSignIn }> {
    const config = await this.configuration();
    const pending: PendingSignIn = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** Checks the provider's answer (state, nonce, PKCE, ID token) and opens a console session for the person it names. */
  async finish(callbackUrl: URL, pending: PendingSignIn | undefined, now = Date.now()): Promise<{ user: User; token: string }> {
    if (!pending) throw new UnauthorizedError('the single sign-on took too long or was started in another browser: start again from the sign-in page');
    const config = await this.configuration();
    const providerError = callbackUrl.searchParams.get('error');
    if (providerError) {
      const description = callbackUrl.searchParams.get('error_description');
      throw new UnauthorizedError(`the identity provider refused the sign-in: ${providerError}${description ? ` (${description.slice(0, 200)})` : ''}`);
    }
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      // Providers often keep profile claims for the userinfo endpoint rather than the ID token.
      claims = this.settings.usernameClaim in idClaims ? idClaims : { ...(await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...idClaims };
    } catch (err) {
      if (err instanceof UnauthorizedError) throw err;
      throw new UnauthorizedError(`the single sign-on answer could not be verified: ${(err as Error).message.slice(0, 200)}`);
    }
    const user = await this.accountFor(claims, now);
    const session = await this.sessions.create(user.id, this.sessionTtlMs, now);
    return { user, token: session.token };
  }

  private async accountFor(claims: Record<string, unknown>, now: number): Promise<User> {
    const claim = this.settings.usernameClaim;
    const raw = claims[claim];
    const username = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    if (!USERNAME_PATTERN.test(username)) {
      throw new UnauthorizedError(
        `the identity provider gave no usable "${claim}" (a console user name: lower-case letters, digits, ".", "_" and "-"); set OIDC_USERNAME_CLAIM to the claim that holds it`,
      );
    }
    const existing = await this.users.findByUsername(username);
    if (existing?.disabled) throw new UnauthorizedError(`the console account "${username}" is disabled`);
    if (existing) {
      const { passwordHash: _secret, ...user } = existing;
      return user;
    }
    if (!this.settings.autoCreateRole) {
      throw new UnauthorizedError(`there is no console account "${username}": an admin creates it with \`gateway user create ${username} --role agent\``);
    }
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 128) : username;
    // A password nobody knows: this person signs in through the provider only (until an admin resets it).
    return this.users.create({ username, displayName: name, role: this.settings.autoCreateRole, passwordHash: await hashPassword(generatePassword()) }, now);
  }

  private configuration(): Promise<oidc.Configuration> {
    if (!this.discovered) {
      const { issuer, clientId, clientSecret } = this.settings;
      // Plain http only for a provider on this machine (development, tests).
      const loopback = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
      this.discovered = oidc
        .discovery(issuer, clientId, clientSecret, undefined, loopback ? { execute: [oidc.allowInsecureRequests] } : undefined)
        .catch((err: unknown) => {
          this.discovered = undefined;
          throw new ServiceUnavailableError(`the identity provider at ${issuer.href} could not be reached: ${(err as Error).message.slice(0, 200)}`);
        });
    }
    return this.discovered;
  }
}

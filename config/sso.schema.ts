import { z } from 'zod';
import type { PersonRole } from '../storage/token.store.js';

/*
 * Copy into .env.example:
 *
 * # --- Single sign-on for the console (OpenID Connect). Off unless OIDC_ISSUER is set.
 * # The provider's issuer URL (its /.well-known/openid-configuration is read at the first sign-in).
 * OIDC_ISSUER=
 * # The client registered at the provider for this gateway; its redirect URI is PUBLIC_BASE_URL + /console/sso/callback.
 * OIDC_CLIENT_ID=
 * OIDC_CLIENT_SECRET=
 * OIDC_SCOPES=openid profile email
 * # The claim holding the console user name (an account of that name signs in with its own role).
 * OIDC_USERNAME_CLAIM=preferred_username
 * # Create an unknown person on first sign-in with this role (agent, lead or finance); empty = refuse them.
 * OIDC_AUTO_CREATE_ROLE=
 */

export interface SingleSignOnSettings {
  issuer: URL;
  clientId: string;
  clientSecret?: string;
  /** Where the provider sends the browser back: <public base>/console/sso/callback. */
  redirectUri: string;
  scopes: string;
  /** The claim that names the console user (lower-cased; for `email`, the part before "@" is not taken: the whole address must be a user name). */
  usernameClaim: string;
  /** A person the provider knows but the gateway does not is created with this role; without it, refused. */
  autoCreateRole?: PersonRole;
}

const ssoEnvSchema = z.object({
  OIDC_ISSUER: z.url({ protocol: /^https?$/, message: 'the provider issuer URL, e.g. https://login.example.com/realms/support' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z
    .string()
    .regex(/(^|\s)openid(\s|$)/, 'must include "openid"')
    .default('openid profile email'),
  OIDC_USERNAME_CLAIM: z.string().min(1).max(100).default('preferred_username'),
  OIDC_AUTO_CREATE_ROLE: z.enum(['agent', 'lead', 'finance']).optional(),
  PUBLIC_BASE_URL: z.url().optional(),
});

/** The console's single sign-on settings, or undefined when OIDC_ISSUER is not set. Throws (zod) on a half configuration. */
export function ssoConfigFromEnv(env: Record<string, string | undefined>): SingleSignOnSettings | undefined {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const e = ssoEnvSchema.parse(set);
  if (!e.OIDC_ISSUER) return undefined;
  const missing = [
    !e.OIDC_CLIENT_ID && 'OIDC_CLIENT_ID',
    !e.PUBLIC_BASE_URL && 'PUBLIC_BASE_URL (the provider sends people back to PUBLIC_BASE_URL/console/sso/callback)',
  ].filter(Boolean);
  if (missing.length > 0)
    throw new z.ZodError(
      missing.map((m) => ({ code: 'custom', path: [String(m).split(' ')[0]!], message: `single sign-on (OIDC_ISSUER) also needs ${m}`, input: undefined })),
    );
  return {
    issuer: new URL(e.OIDC_ISSUER),
    clientId: e.OIDC_CLIENT_ID!,
    clientSecret: e.OIDC_CLIENT_SECRET,
    redirectUri: new URL('/console/sso/callback', e.PUBLIC_BASE_URL!).href,
    scopes: e.OIDC_SCOPES,
    usernameClaim: e.OIDC_USERNAME_CLAIM,
    autoCreateRole: e.OIDC_AUTO_CREATE_ROLE,
  };
}

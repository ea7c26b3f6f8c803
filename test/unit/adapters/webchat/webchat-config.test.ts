import { expect } from 'chai';
import { webchatConfigFromEnv } from '../../../../config/channels/webchat.schema.js';

describe('web chat configuration from the environment', function () {
  it('is on with no settings at all: open Bot Framework endpoint, derived session secret, any origin', function () {
    const c = webchatConfigFromEnv({})!;
    expect(c.botFramework).to.deep.include({ appId: undefined, appType: 'MultiTenant', expectRepliesWaitMs: 5000 });
    expect(c.sessionSecret).to.equal(undefined);
    expect(c.sessionMaxAgeMs).to.equal(30 * 86_400_000);
    expect(c.allowedOrigins).to.equal(undefined);
  });

  it('is off with WEBCHAT_ENABLED=false', function () {
    expect(webchatConfigFromEnv({ WEBCHAT_ENABLED: 'false' })).to.equal(undefined);
  });

  it('reads Bot Framework credentials, origins (either comma) and the session settings; blank means unset', function () {
    const c = webchatConfigFromEnv({
      MICROSOFT_APP_ID: '7c3f0a12-8b4e-4d2a-a1c9-0e5f6d7c8b9a',
      MICROSOFT_APP_PASSWORD: 'secret~value',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_TENANT_ID: '4d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09',
      WEBCHAT_ALLOWED_ORIGINS: 'https://shop.example.com/，https://m.example.com',
      WEBCHAT_SESSION_SECRET: 'k'.repeat(40),
      WEBCHAT_SESSION_DAYS: '7',
      WEBCHAT_EXPECT_REPLIES_WAIT_MS: '',
    })!;
    expect(c.botFramework).to.deep.include({
      appId: '7c3f0a12-8b4e-4d2a-a1c9-0e5f6d7c8b9a',
      appType: 'SingleTenant',
      tenantId: '4d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09',
      expectRepliesWaitMs: 5000,
    });
    expect(c.allowedOrigins).to.deep.equal(['https://shop.example.com', 'https://m.example.com']);
    expect(c.sessionMaxAgeMs).to.equal(7 * 86_400_000);
  });

  it('names the variable when the credentials are incomplete or a value is malformed', function () {
    expect(() => webchatConfigFromEnv({ MICROSOFT_APP_ID: 'abc' })).to.throw(/MICROSOFT_APP_PASSWORD/);
    expect(() => webchatConfigFromEnv({ MICROSOFT_APP_PASSWORD: 'x' })).to.throw(/MICROSOFT_APP_ID/);
    expect(() => webchatConfigFromEnv({ MICROSOFT_APP_ID: 'abc', MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'SingleTenant' })).to.throw(
      /MICROSOFT_APP_TENANT_ID/,
    );
    expect(() => webchatConfigFromEnv({ MICROSOFT_APP_TYPE: 'Public' })).to.throw(/MICROSOFT_APP_TYPE/);
    expect(() => webchatConfigFromEnv({ WEBCHAT_SESSION_SECRET: 'short' })).to.throw(/32 characters/);
    expect(() => webchatConfigFromEnv({ WEBCHAT_ENABLED: 'yes' })).to.throw(/WEBCHAT_ENABLED/);
  });

  it('needs no password for a user-assigned managed identity', function () {
    expect(
      webchatConfigFromEnv({ MICROSOFT_APP_ID: 'abc', MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: 't' })!.botFramework.appType,
    ).to.equal('UserAssignedMSI');
  });

  it('lets replies go only to Microsoft’s Bot Connector hosts over HTTPS unless WEBCHAT_BOT_SERVICE_HOSTS adds more (issue 16)', function () {
    const hosts = (env: Record<string, string>) => webchatConfigFromEnv(env)!.botFramework.serviceUrlRules.map((r) => `${r.protocol}//${r.host}:${r.port}`);
    expect(hosts({})).to.deep.equal([
      'https://*.botframework.com:443',
      'https://*.botframework.azure.us:443',
      'https://smba.trafficmanager.net:443',
      'https://smba.infra.gcc.teams.microsoft.com:443',
      'https://smba.infra.gov.teams.microsoft.us:443',
      'https://smba.infra.dod.teams.microsoft.us:443',
    ]);
    expect(hosts({ WEBCHAT_BOT_SERVICE_HOSTS: 'http://localhost:*, bots.example.com，*.corp.example:8443, [::1]:3978' }).slice(6)).to.deep.equal([
      'http://localhost:*',
      'https://bots.example.com:443',
      'https://*.corp.example:8443',
      'https://[::1]:3978',
    ]);
    expect(hosts({ WEBCHAT_BOT_SERVICE_HOSTS: '' })).to.have.length(6);
  });

  it('names WEBCHAT_BOT_SERVICE_HOSTS when an entry is not a host', function () {
    for (const bad of ['http://localhost/path', 'ftp://files.example', 'user@host', 'host:99999', '*', 'a b']) {
      expect(() => webchatConfigFromEnv({ WEBCHAT_BOT_SERVICE_HOSTS: bad }), bad).to.throw(/WEBCHAT_BOT_SERVICE_HOSTS/);
    }
  });
});

import { expect } from 'chai';
import { CHANNEL_CONFIGS, CHANNEL_SECRET_KEYS, type ChannelConfigId } from '../../../config/channels/channels.js';
import { ConfigError, loadConfig, type ConfigProblem } from '../../../config/loader.js';
import { CHANNEL_IDS } from '../../../contracts/channel-ids.js';
import { isSecretName } from '../../../gateway/logger.js';
import { EVERY_CHANNEL_ENV } from '../../support/every-channel-env.js';

/** One half-configured or malformed environment per channel, and the variable its problem must name. */
const BROKEN: Record<ChannelConfigId, { env: Record<string, string>; field: string }> = {
  email: {
    env: { EMAIL_IMAP_HOST: 'imap.example.com', EMAIL_USER: 'complaints@example.com', EMAIL_PASSWORD: 'pw', EMAIL_IMAP_PORT: 'imaps' },
    field: 'EMAIL_IMAP_PORT',
  },
  twilio: { env: { TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef' }, field: 'TWILIO_AUTH_TOKEN' },
  wechat: { env: { WECHAT_APP_SECRET: 'appsecret-0123456789' }, field: 'WECHAT_TOKEN' },
  webchat: { env: { MICROSOFT_APP_ID: '7e1c3d52-9b0a-4f6e-8d21-3c4b5a697f80' }, field: 'MICROSOFT_APP_PASSWORD' },
};

function problemsOf(env: Record<string, string>): ConfigProblem[] {
  try {
    loadConfig({ dir: 'config', env });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('channel configuration descriptors', function () {
  it('each names message channels from contracts/, and only variables of its own schema as secrets', function () {
    const ids = CHANNEL_CONFIGS.map((c) => c.id);
    expect(new Set(ids).size, 'ids are unique').to.equal(ids.length);
    const served = CHANNEL_CONFIGS.flatMap((c) => c.channels);
    expect(new Set(served).size, 'no message channel is served twice').to.equal(served.length);
    for (const channel of CHANNEL_CONFIGS) {
      expect(channel.channels, channel.id).to.not.be.empty;
      for (const served of channel.channels) expect(CHANNEL_IDS, channel.id).to.include(served);
      expect(channel.secretKeys, channel.id).to.not.be.empty;
      expect(Object.keys(channel.envSchema.shape), channel.id).to.include.members([...channel.secretKeys]);
      expect(channel.setupNote, channel.id).to.include('.env.example');
    }
  });

  it('declares every variable of its schema whose name looks like a secret', function () {
    // The other direction of the logger's two rules: a secret added to a schema must be added to secretKeys.
    for (const channel of CHANNEL_CONFIGS) {
      const looksSecret = Object.keys(channel.envSchema.shape).filter(isSecretName);
      expect([...channel.secretKeys].sort(), channel.id).to.deep.equal(looksSecret.sort());
    }
    expect(CHANNEL_SECRET_KEYS).to.include.members([
      'EMAIL_PASSWORD',
      'TWILIO_AUTH_TOKEN',
      'WECHAT_APP_SECRET',
      'MICROSOFT_APP_PASSWORD',
      'WEBCHAT_SESSION_SECRET',
    ]);
  });

  it('the config loader checks every channel, naming the variable and what switches the channel on', function () {
    expect(problemsOf({ ...EVERY_CHANNEL_ENV }), 'every channel fully configured').to.deep.equal([]);
    for (const channel of CHANNEL_CONFIGS) {
      const broken = BROKEN[channel.id];
      const problems = problemsOf(broken.env).filter((p) => p.reason.startsWith(`${channel.id} channel: `));
      expect(
        problems.map((p) => p.field),
        channel.id,
      ).to.include(broken.field);
      // The note comes once, with the channel's first problem.
      expect(
        problems.filter((p) => p.reason.endsWith(`(${channel.setupNote})`)),
        channel.id,
      ).to.have.length(1);
      expect(problems[0]!.reason, channel.id).to.include(channel.setupNote);
    }
  });
});

import { Writable } from 'node:stream';
import { expect } from 'chai';
import { CHANNEL_CONFIGS } from '../../../config/channels/channels.js';
import { configuredSecrets, createLogger, isSecretName, maskPii } from '../../../gateway/logger.js';
import { EVERY_CHANNEL_ENV } from '../../support/every-channel-env.js';

describe('log masking', function () {
  it('masks e-mail addresses and phone numbers in text', function () {
    expect(maskPii('from wang.fang@example.com')).to.equal('from w***@example.com');
    expect(maskPii('SMS from +8613800138000 about order 2024')).to.equal('SMS from +86****8000 about order 2024');
    expect(maskPii('call 13912345678 now')).to.not.include('13912345678');
  });

  it('masks contact details in every field and in the message of a JSON log line', function () {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger('info', sink as never);
    log.info({ from: { address: '+14155550123' }, to: 'agent@example.org' }, 'message from li.lei@example.cn');
    const line = JSON.parse(lines[0]!);
    expect(JSON.stringify(line)).to.not.match(/14155550123|agent@example\.org|li\.lei@/);
    expect(line.from.address).to.equal('+14****0123');
    expect(line.msg).to.equal('message from l***@example.cn');
  });

  it('logs a field with a secret name as [redacted] and cuts configured secret values out of any text', function () {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const env = { TWILIO_AUTH_TOKEN: 'f3a9c2e1d4b5a6978877665544332211', WECHAT_APP_SECRET: 'wx-secret-0123456789', PORT: '3000', LOG_LEVEL: 'info' };
    expect(configuredSecrets(env)).to.deep.equal([env.TWILIO_AUTH_TOKEN, env.WECHAT_APP_SECRET]);
    const log = createLogger('info', sink as never, { secrets: configuredSecrets(env) });
    log.info({ headers: { authorization: 'Bearer abc.def.ghi', 'x-request-id': 'r1' }, appSecret: 'anything', statusToken: 'st_1234567890' }, 'sent');
    log.warn(`twilio refused: bad credentials ${env.TWILIO_AUTH_TOKEN}`);
    log.error(new Error(`wechat token request failed with secret=${env.WECHAT_APP_SECRET}`), 'refresh failed');
    const all = lines.join('\n');
    expect(all).to.not.include(env.TWILIO_AUTH_TOKEN).and.not.include(env.WECHAT_APP_SECRET).and.not.include('abc.def.ghi').and.not.include('st_1234567890');
    const first = JSON.parse(lines[0]!);
    expect(first.headers).to.deep.equal({ authorization: '[redacted]', 'x-request-id': 'r1' });
    expect(first.appSecret).to.equal('[redacted]');
    expect(JSON.parse(lines[1]!).msg).to.equal('twilio refused: bad credentials [redacted]');
    expect(isSecretName('PORT')).to.equal(false);
    expect(isSecretName('tokenCount')).to.equal(false);
  });
});

describe('log redaction of the channels’ declared secrets', function () {
  function capturedLogger(env: Record<string, string | undefined>) {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    return { lines, log: createLogger('info', sink as never, { secrets: configuredSecrets(env) }) };
  }

  for (const channel of CHANNEL_CONFIGS) {
    it(`${channel.id}: ${channel.secretKeys.join(', ')} never reach a log line, as fields or inside text`, function () {
      const env = { ...EVERY_CHANNEL_ENV };
      const { lines, log } = capturedLogger(env);
      for (const key of channel.secretKeys) {
        const value = env[key];
        expect(value, `${key} is configured in the fixture`).to.be.a('string');
        log.info({ [key]: value, context: { [key]: value } }, `${channel.id} login failed with ${value}`);
        const line = JSON.parse(lines.at(-1)!);
        expect(line[key], key).to.equal('[redacted]');
        expect(line.context[key], key).to.equal('[redacted]');
        expect(line.msg, key).to.equal(`${channel.id} login failed with [redacted]`);
        log.warn({ reason: `provider said: ${value} is wrong` }, 'refused');
        expect(JSON.parse(lines.at(-1)!).reason, key).to.equal('provider said: [redacted] is wrong');
      }
      // The settings the channel builds from them, logged whole, carry none of them either.
      log.info({ settings: channel.fromEnv(env) }, 'channel settings');
      const all = lines.join('\n');
      for (const key of channel.secretKeys) expect(all, key).to.not.include(env[key]);
    });
  }
});

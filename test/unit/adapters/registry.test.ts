import { expect } from 'chai';
import pino from 'pino';
import { CHANNEL_SETUPS } from '../../../adapters/channels.js';
import { setUpChannels, type ChannelHooks } from '../../../adapters/registry.js';
import { CHANNEL_CONFIGS } from '../../../config/channels/channels.js';
import { openDatabase, migrate, type Db } from '../../../storage/db.js';
import { KvStateStore } from '../../../storage/kv-state.store.js';
import { EVERY_CHANNEL_ENV } from '../../support/every-channel-env.js';

describe('channel registry', function () {
  let db: Db;
  let prefixes: string[];

  function hooks(env: Record<string, string | undefined>): ChannelHooks {
    const state = new KvStateStore(db);
    return {
      env,
      sink: async () => ({ id: 'not-used', duplicate: false }),
      state: (prefix) => (prefixes.push(prefix), state.scoped(prefix)),
      logger: pino({ level: 'silent' }),
    };
  }

  before(async function () {
    db = openDatabase('sqlite::memory:');
    await migrate(db);
  });
  after(async function () {
    await db.destroy();
  });
  beforeEach(function () {
    prefixes = [];
  });

  it('builds exactly the channels the config loader checks', function () {
    expect(Object.keys(CHANNEL_SETUPS).sort()).to.deep.equal(CHANNEL_CONFIGS.map((c) => c.id).sort());

    const setup = setUpChannels(hooks({ ...EVERY_CHANNEL_ENV }));
    // Every message channel each descriptor says it serves has its adapter, and no other channel has one.
    expect(setup.adapters.map((a) => a.id).sort()).to.deep.equal(CHANNEL_CONFIGS.flatMap((c) => [...c.channels]).sort());
    // Durable state stays under each channel's id (IMAP checkpoints, opt-outs and tokens written before the descriptors).
    expect([...new Set(prefixes)].sort()).to.deep.equal(CHANNEL_CONFIGS.map((c) => c.id).sort());
    expect(setup.webhooks.map((w) => w.path)).to.deep.equal(['/webhooks/twilio', '/webhooks/wechat', '/api/messages']);
    expect(setup.onServer).to.have.length(1);
  });

  it('loads nothing for a channel that is not switched on', function () {
    const setup = setUpChannels(hooks({ WEBCHAT_ENABLED: 'false' }));
    expect(setup).to.deep.equal({ adapters: [], webhooks: [], onServer: [] });
    expect(setUpChannels(hooks({})).adapters.map((a) => a.id)).to.deep.equal(['webchat']);
  });
});

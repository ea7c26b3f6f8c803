import path from 'node:path';
import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { createLogger } from '../../gateway/logger.js';
import type { SingleConsumerRunner } from '../../gateway/single-consumer.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** The runner's next lease check: resolves with whether it holds the lease (undefined when the check failed). */
function nextLeaseCheck(runner: SingleConsumerRunner, timeoutMs: number): Promise<boolean | undefined> {
  return new Promise((resolve, reject) => {
    const checked = (held: boolean | undefined) => {
      clearTimeout(timer);
      resolve(held);
    };
    const timer = setTimeout(() => {
      runner.events.off('checked', checked);
      reject(new Error(`${runner.holder} made no lease check in ${timeoutMs} ms`));
    }, timeoutMs);
    runner.events.once('checked', checked);
  });
}

for (const db of TEST_DATABASES) {
  describe(`single-consumer sources with two gateway processes on one ${db} database`, function () {
    let a: TestGateway;
    let b: Gateway | undefined;
    let aStopped = false;

    afterEach(async function () {
      await b?.stop();
      if (aStopped) await a?.database.drop();
      else await a?.stop();
    });

    it('polls a mailbox in one process only, and the standby takes over when the holder stops', async function () {
      const mailboxA = new FakeAdapter('email', { singleConsumer: true });
      const mailboxB = new FakeAdapter('email', { singleConsumer: true });
      // A lease long enough that a holder renewing late under a loaded CI machine does not lose it, short enough to wait out.
      a = await startTestGateway({ db, adapters: [mailboxA], tweak: (c) => (c.gateway.channels.leaseSeconds = 3) });
      const config = loadConfig({ dir: path.resolve('config'), env: { DATABASE_URL: a.database.url, LOG_LEVEL: 'silent' } });
      config.gateway.channels.leaseSeconds = 3;
      b = await Gateway.create({ config, adapters: [mailboxB], watchConfig: false, logger: createLogger('silent') });
      await b.start(0, '127.0.0.1');

      expect(mailboxA.starts).to.equal(1);
      const standby = b.runners.find((r) => r.name === 'adapter:email')!;
      // Its next lease check (every leaseSeconds / 3) finds the lease held by the other process and leaves the mailbox alone.
      expect(await nextLeaseCheck(standby, 5000), 'the standby checked the lease and found it taken').to.equal(false);
      expect(mailboxB.starts, 'the standby does not poll while the holder lives').to.equal(0);

      // Replies still go out from the standby process.
      expect(b.adapterFor({ channel: 'email' } as never)).to.equal(mailboxB);

      await a.gateway.stop();
      aStopped = true;
      // The holder released the lease on stopping: a later check of the standby's takes it.
      const deadline = Date.now() + 8000;
      while (!standby.running) await nextLeaseCheck(standby, Math.max(0, deadline - Date.now()));
      expect(mailboxB.starts, 'the standby took over').to.equal(1);
    });
  });
}

import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { createLogger } from '../../gateway/logger.js';
import { TEST_DATABASES } from '../support/databases.js';
import { TEST_ADMIN_TOKEN, startTestGateway, type TestGateway } from '../support/test-gateway.js';

describe('token revocation across gateway processes sharing PostgreSQL', function () {
  if (!TEST_DATABASES.includes('postgres')) return;
  let first: TestGateway;
  let second: Gateway | undefined;
  afterEach(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('a token revoked on one process stops working on another within about a second', async function () {
    first = await startTestGateway({ db: 'postgres' });
    const config = loadConfig({
      dir: path.resolve('config'),
      env: { DATABASE_URL: first.database.url, GATEWAY_ADMIN_TOKEN: TEST_ADMIN_TOKEN, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' },
    });
    second = await Gateway.create({ config, workers: false, logger: createLogger('silent') });
    await second.start(0, '127.0.0.1');
    const onSecond = (token: string) => fetch(`${second!.url}/api/v1/tickets`, { headers: { authorization: `Bearer ${token}` } });

    const created = await first.api('POST', '/api/v1/tokens', { name: 'li.lei', role: 'agent' });
    expect((await onSecond(created.body.token)).status).to.equal(200);
    expect((await first.api('DELETE', `/api/v1/tokens/${created.body.id}`)).status).to.equal(204);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 5_000) {
      status = (await onSecond(created.body.token)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).to.equal(401);
    expect(Date.now() - revokedAt, 'ms until the other process refused the token').to.be.below(1_500);
  });
});

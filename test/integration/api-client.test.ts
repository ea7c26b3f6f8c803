import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createGatewayClient, GatewayApiError, ok } from '../../gateway/client/gateway-client.js';
import { API_TYPES_FILE, apiTypesSource } from '../../scripts/generate-api-types.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

describe('typed API client (gateway/client)', function () {
  this.timeout(60_000);

  it('has types generated from the current OpenAPI document (run `npm run api:types` when this fails)', async function () {
    expect(readFileSync(API_TYPES_FILE, 'utf8') === (await apiTypesSource()), 'gateway/client/api-types.ts is out of date').to.equal(true);
  });

  describe('against a running gateway', function () {
    let gw: TestGateway;
    before(async function () {
      gw = await startTestGateway({ db: 'sqlite' });
    });
    after(async function () {
      await gw?.stop();
    });

    it('turns an error answer into a GatewayApiError with the gateway code and message', async function () {
      const api = createGatewayClient({ baseUrl: `${gw.url}/`, token: 'not-a-token' });
      const err = await ok(api.GET('/api/v1/tickets')).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(GatewayApiError);
      expect(err).to.include({ status: 401, code: 'unauthorized' });
      expect((err as Error).message).to.match(/bearer token is not valid/);
    });

    it("runs the README's usage example as written (only the import path and the address differ)", async function () {
      const readme = readFileSync('README.md', 'utf8');
      const section = readme.slice(readme.indexOf('### API reference'));
      const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
      expect(example, 'the README has a ```ts example under "API reference"').to.be.a('string');
      const script = example!
        .replace("from 'complaint-gateway/client'", `from ${JSON.stringify(new URL('../../gateway/client/gateway-client.ts', import.meta.url).href)}`)
        .replaceAll('http://localhost:3000', gw.url);
      // A ticket already in the queue for the example to list (the one it records is processed after it asks).
      await gw.api('POST', '/api/v1/messages', {
        channel: 'email',
        externalId: 'before-1',
        from: { address: 'li@example.com' },
        text: 'The kettle I bought leaks.',
      });
      await gw.settle();
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, GATEWAY_TOKEN: gw.adminToken },
      });
      await gw.settle();
      const tickets = (await gw.api('GET', '/api/v1/tickets', undefined)).body.items as Array<{ number: string; channels: string[] }>;
      expect(tickets, 'the example recorded a complaint').to.have.length(2);
      expect(stdout, 'the example printed the queue').to.include(tickets.find((t) => t.channels.includes('email'))!.number);
    });
  });
});

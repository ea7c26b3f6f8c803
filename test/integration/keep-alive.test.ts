import { request, Agent } from 'node:http';
import { expect } from 'chai';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** GET on a pooled connection; resolves with the status and whether the socket was one used before. */
function get(url: string, agent: Agent): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/healthz`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Behind nginx or a load balancer, connections to the gateway are pooled and reused after being idle for up to a
 * minute. The gateway must not be the side that closes an idle connection first: a request sent on a socket the
 * server is closing at that moment fails with a reset (a 502 at the proxy).
 */
describe('idle keep-alive connections', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ workers: false });
  });
  after(async () => {
    await gw?.stop();
  });

  it('stay open longer than a few seconds, so a pooled connection is reused after a pause', async function () {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(gw.url, agent)).to.deep.equal({ status: 200, reused: false });
      // Node's default closed idle sockets after 5 s; a proxy keeps them 60 s.
      await new Promise((r) => setTimeout(r, 6_500));
      expect(await get(gw.url, agent)).to.deep.equal({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });
});

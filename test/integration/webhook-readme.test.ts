import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const SECRET = 'readme-receiver-secret-0123456789';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The README's webhook receiver, run as written: the block is cut out of README.md, started with node, and a gateway
 * delivers to it. It must take the gateway's signed events (each once, even when one is sent again) and refuse a
 * changed body, a wrong secret and a stale timestamp.
 */
describe("the README's webhook receiver (Node), run as written", function () {
  this.timeout(60_000);
  let gw: TestGateway;
  let child: ChildProcess;
  let dir: string;
  let port: number;
  let stdout = '';

  before(async function () {
    const readme = readFileSync('README.md', 'utf8');
    const block = /```js\n(\/\/ webhook-receiver\.mjs[\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'a ```js block starting with "// webhook-receiver.mjs" in README.md').to.be.a('string');
    dir = mkdtempSync(path.join(tmpdir(), 'gw-readme-receiver-'));
    writeFileSync(path.join(dir, 'webhook-receiver.mjs'), block!);
    port = await freePort();
    child = spawn(process.execPath, [path.join(dir, 'webhook-receiver.mjs')], {
      env: { PATH: process.env.PATH, GATEWAY_WEBHOOK_SECRET: SECRET, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (d) => (stdout += d));
    await until('the receiver listens', async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' })).status === 401 ? true : undefined;
      } catch {
        return undefined;
      }
    });
    gw = await startTestGateway({ db: 'sqlite', env: { PUBLIC_BASE_URL: 'https://gw.example.com' } });
  });

  after(async function () {
    child?.kill();
    await gw?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('takes the signed events once each, and refuses a changed body, another secret and an old timestamp', async function () {
    const subscription = await gw.api('POST', '/api/v1/webhooks', {
      url: `http://127.0.0.1:${port}/gateway-events`,
      events: ['ticket.created', 'message.received'],
      secret: SECRET,
    });
    expect(subscription.status).to.equal(201);
    const posted = await gw.api('POST', '/api/v1/messages', {
      channel: 'api',
      externalId: 'readme-1',
      from: { address: 'wang@example.com' },
      text: 'The kettle I bought leaks from the bottom.',
    });
    await gw.settle();
    const { number } = (await gw.api('GET', `/api/v1/messages/${posted.body.id}`)).body.ticket;
    await until('both events handled', () => (stdout.split('\n').filter(Boolean).length >= 2 ? true : undefined));
    expect(stdout.split('\n').filter(Boolean)).to.deep.equal([`ticket.created ${number}`, `message.received ${number}`]);

    // Sent again (a redelivery, as after a crash): answered, not handled twice.
    const created = (await gw.api('GET', `/api/v1/webhooks/${subscription.body.id}/deliveries`)).body.items.find(
      (d: { eventType: string }) => d.eventType === 'ticket.created',
    );
    expect((await gw.api('POST', `/api/v1/webhook-deliveries/${created.id}/redeliver`)).status).to.equal(202);
    const again = await until('the redelivery answered', async () => {
      const d = (await gw.api('GET', `/api/v1/webhook-deliveries/${created.id}`)).body;
      return d.status === 'delivered' && d.history.length === 2 ? d : undefined;
    });
    expect(again.history.map((a: { statusCode: number }) => a.statusCode)).to.deep.equal([204, 204]);
    expect(stdout.split('\n').filter(Boolean)).to.have.length(2);

    // What an attacker could send: refused.
    const body = JSON.stringify(again.body);
    const send = (timestamp: number, signedBody: string, secret = SECRET, sentBody = body) =>
      fetch(`http://127.0.0.1:${port}/gateway-events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-gateway-timestamp': String(timestamp),
          'x-gateway-signature': `v1=${createHmac('sha256', secret).update(`${timestamp}.${signedBody}`).digest('hex')}`,
        },
        body: sentBody,
      }).then((r) => r.status);
    const now = Math.floor(Date.now() / 1000);
    expect(await send(now, body, SECRET, body.replace('"ticket.created"', '"ticket.resolved"')), 'a changed body').to.equal(401);
    expect(await send(now, body, 'another-secret-of-some-length'), 'another secret').to.equal(401);
    expect(await send(now - 6 * 60, body), 'six minutes old').to.equal(401);
    expect(await send(now, body), 'a correct signature of a known event').to.equal(204);
    expect(stdout.split('\n').filter(Boolean)).to.have.length(2);
  });
});

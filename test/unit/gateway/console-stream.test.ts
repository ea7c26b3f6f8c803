import type { Server } from 'node:http';
import { expect } from 'chai';
import express from 'express';
import { consoleStreamRoutes } from '../../../gateway/http/console-stream.routes.js';
import { createLogger } from '../../../gateway/logger.js';
import { TicketEventsBus } from '../../../gateway/ticket-events-bus.js';
import { SseClient } from '../../support/sse-client.js';

/** Lets every request through as an agent: the stream's own behaviour is under test here, not auth. */
const openAuth = { require: () => (req: any, _res: any, next: () => void) => ((req.principal = { name: 'li.lei', role: 'agent' }), next()) };

describe('console stream route', function () {
  let server: Server;
  let bus: TicketEventsBus;
  let url: string;

  beforeEach(async function () {
    bus = new TicketEventsBus(undefined as never, createLogger('silent'));
    const app = express();
    app.use(consoleStreamRoutes({ auth: openAuth as never, bus }, { heartbeatMs: 50, retryMs: 1234 }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v1/stream`;
  });

  afterEach(async function () {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the retry hint, heartbeat comments and each published change as a named event', async function () {
    const client = await SseClient.open(url, {});
    try {
      expect(client.response.headers.get('cache-control')).to.equal('no-store');
      expect((await client.waitFor((m) => m.retry !== undefined)).retry).to.equal(1234);
      await client.waitFor((m) => m.comments.some((c) => c.startsWith('heartbeat')), 1_000);
      const change = {
        type: 'ticket.updated' as const,
        id: 7,
        number: 'C-20261130-0007',
        status: 'open',
        queue: 'general',
        assignee: null,
        updatedAt: new Date(0).toISOString(),
        reason: 'note' as const,
      };
      bus.publish(change);
      const got = await client.waitFor((m) => m.event === 'ticket.updated');
      expect(JSON.parse(got.data!)).to.deep.equal(change);
    } finally {
      client.close();
    }
  });

  it('unsubscribes and stops the heartbeat when the client disconnects', async function () {
    const client = await SseClient.open(url, {});
    await client.waitFor((m) => m.retry !== undefined);
    expect(bus.subscriberCount).to.equal(1);
    client.close();
    const deadline = Date.now() + 2_000;
    while (bus.subscriberCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(bus.subscriberCount).to.equal(0);
    // A change after the disconnect goes nowhere and breaks nothing.
    bus.publish({
      type: 'ticket.created',
      id: 1,
      number: 'C-1',
      status: 'new',
      queue: 'general',
      assignee: null,
      updatedAt: new Date(0).toISOString(),
      reason: 'created',
    });
  });

  it('never lets a failing subscriber stop the others', function () {
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error('broken tab');
    });
    bus.subscribe((e) => seen.push(e.id));
    bus.publish({
      type: 'ticket.created',
      id: 3,
      number: 'C-3',
      status: 'new',
      queue: 'general',
      assignee: null,
      updatedAt: new Date(0).toISOString(),
      reason: 'created',
    });
    expect(seen).to.deep.equal([3]);
  });
});

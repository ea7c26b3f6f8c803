import { Router } from 'express';
import type { TicketEventsBus } from '../ticket-events-bus.js';
import type { TicketPresence } from '../ticket-presence.js';
import type { Authenticator } from './auth.js';

export interface ConsoleStreamOptions {
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  heartbeatMs?: number;
  /** How long a browser waits before reconnecting after the stream drops (the `retry:` field). */
  retryMs?: number;
  /** A client this far behind (bytes buffered and not taken) is cut off; it reconnects and reloads. */
  maxBufferedBytes?: number;
}

/**
 * GET /api/v1/stream: Server-Sent Events of ticket changes (`ticket.created`, `ticket.updated`) for
 * open consoles, so new and changed tickets appear without a reload, and of who has a ticket open
 * or is typing on it (`ticket.presence`). No replay: a client that
 * reconnects reloads its page, then follows the stream again.
 */
export function consoleStreamRoutes(
  deps: { auth: Authenticator; bus: TicketEventsBus; presence?: TicketPresence },
  options: ConsoleStreamOptions = {},
): Router {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const retryMs = options.retryMs ?? 3_000;
  const maxBuffered = options.maxBufferedBytes ?? 1_000_000;
  const router = Router();

  router.get('/api/v1/stream', deps.auth.require('agent', 'lead', 'finance', 'admin'), (req, res) => {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // nginx would otherwise hold events back in its buffer.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    res.write(`retry: ${retryMs}\n: connected\n\n`);

    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
    };
    const send = (chunk: string) => {
      if (closed) return;
      if (res.writableLength > maxBuffered) {
        close();
        res.destroy();
        return;
      }
      res.write(chunk);
    };
    const forward = (event: { type: string }) => send(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    const unsubscribeChanges = deps.bus.subscribe(forward);
    const unsubscribePresence = deps.presence?.subscribe(forward);
    const unsubscribe = () => {
      unsubscribeChanges();
      unsubscribePresence?.();
    };
    const heartbeat = setInterval(() => send(`: heartbeat ${new Date().toISOString()}\n\n`), heartbeatMs);
    heartbeat.unref();
    // The client went away (tab closed, network lost) or the server is stopping: stop following.
    req.on('close', close);
    res.on('close', close);
    res.on('error', close);
  });

  return router;
}

import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** One request a receiver got: the raw body as bytes arrived, and the headers. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** Decides the answer to a request (default: 200 with `{}`). */
export type ReceiverHandler = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

/**
 * A real local HTTP server for webhook and robot tests: it records every request, answers through `handler`, and can
 * go down (`down()`: the port refuses connections) and come back on the same port (`up()`).
 */
export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  handler: ReceiverHandler = (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  static async start(handler?: ReceiverHandler): Promise<HttpReceiver> {
    const r = new HttpReceiver();
    if (handler) r.handler = handler;
    await r.up();
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        this.requests.push(received);
        void Promise.resolve(this.handler(received, res)).catch((err) => res.writeHead(500).end(String(err)));
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Stops listening and cuts open connections: connections to the port are refused until `up()`. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async stop(): Promise<void> {
    await this.down();
  }
}

import { WebSocket } from 'ws';

/** A scripted widget: the same frames the browser widget sends, read back as they come. */
export class WidgetClient {
  readonly events: any[] = [];
  private waiters: Array<{ match: (e: any) => boolean; resolve: (e: any) => void }> = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const event = JSON.parse(data.toString());
      this.events.push(event);
      for (const w of [...this.waiters]) {
        if (w.match(event)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    });
  }

  static async open(gatewayUrl: string, headers: Record<string, string> = {}): Promise<WidgetClient> {
    const socket = new WebSocket(gatewayUrl.replace(/^http/, 'ws') + '/chat/ws', { headers });
    const client = new WidgetClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return client;
  }

  /** Says hello (with a stored token or none) and returns the session token and the transcript. */
  async hello(token?: string, lang: 'zh' | 'en' = 'en'): Promise<{ token: string; history: any }> {
    const session = this.next((e) => e.type === 'session');
    const history = this.next((e) => e.type === 'history');
    this.send({ type: 'hello', token, lang });
    return { token: (await session).token, history: await history };
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first event (already received or still to come) that matches. */
  next(match: (e: any) => boolean, timeoutMs = 10_000, fromIndex = 0): Promise<any> {
    const seen = this.events.slice(fromIndex).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching widget event in ${timeoutMs} ms; got ${JSON.stringify(this.events.slice(-5))}`)), timeoutMs);
      this.waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** One Server-Sent Events field block: an event, or a comment / retry hint. */
export interface SseMessage {
  event?: string;
  data?: string;
  retry?: number;
  comments: string[];
  /** When the block was complete on the client (ms since epoch). */
  at: number;
}

/**
 * A real SSE client for tests: an HTTP request whose response body is read as it streams, parsed
 * by the text/event-stream rules (fields up to a blank line; lines starting with ":" are comments).
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly abort = new AbortController();
  private ended = false;

  private constructor(readonly response: Response) {}

  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    const client = new SseClient(response);
    client.abort.signal.addEventListener('abort', () => controller.abort());
    if (response.ok && response.body) void client.read(response.body);
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          this.messages.push(parseBlock(block));
          for (const wake of this.waiters.splice(0)) wake();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      this.ended = true;
      for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** The first message (already received or still to come) that matches, or an error after `timeoutMs`. */
  async waitFor(match: (m: SseMessage) => boolean, timeoutMs = 2_000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (this.ended) throw new Error('the event stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  /** Events of a type, with their JSON data. */
  events(type: string): Array<{ at: number; data: any }> {
    return this.messages.filter((m) => m.event === type).map((m) => ({ at: m.at, data: JSON.parse(m.data ?? 'null') }));
  }

  close(): void {
    this.abort.abort();
  }
}

function parseBlock(block: string): SseMessage {
  const message: SseMessage = { comments: [], at: Date.now() };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      message.comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') message.event = value;
    else if (field === 'data') message.data = message.data === undefined ? value : `${message.data}\n${value}`;
    else if (field === 'retry') message.retry = Number(value);
  }
  return message;
}

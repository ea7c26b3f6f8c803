import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request of a paced run. Times are Date.now() milliseconds (the gateway stamps the journal with the same clock). */
export interface SentMessage {
  externalId: string;
  /** When the schedule said to send it. */
  dueAt: number;
  /** When it was handed to the socket (later than `dueAt` when this process fell behind). */
  sentAt: number;
  /** When the answer's status line arrived; undefined on a network error. */
  answeredAt?: number;
  status?: number;
}

export interface PacedRun {
  messages: SentMessage[];
  /** Wall seconds from the first due time to the last answer. */
  seconds: number;
}

/**
 * Open-loop load: message i is due at start + i / rate, sent then whether or not earlier ones were
 * answered (a closed loop like autocannon's waits, and so hides a slow server behind fewer requests).
 * Keep-alive sockets, as many as the requests in flight need.
 */
export async function sendPaced(opts: {
  url: string;
  token: string;
  rate: number;
  seconds: number;
  body: (externalId: string, n: number) => Record<string, unknown>;
  prefix: string;
  /** Numbers messages from here, so runs of one bench never repeat a body/sender pairing by accident. */
  firstNumber: number;
}): Promise<PacedRun> {
  const target = new URL('/api/v1/messages', opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(opts.rate * opts.seconds);
  const messages: SentMessage[] = [];
  const pending: Array<Promise<void>> = [];
  const start = Date.now() + 20;
  const send = (i: number) => {
    const n = opts.firstNumber + i;
    const m: SentMessage = { externalId: `${opts.prefix}-${n}`, dueAt: start + (i * 1000) / opts.rate, sentAt: Date.now() };
    messages.push(m);
    const payload = JSON.stringify(opts.body(m.externalId, n));
    pending.push(
      new Promise<void>((resolve) => {
        const req = http.request(
          target,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${opts.token}` },
          },
          (res) => {
            m.answeredAt = Date.now();
            m.status = res.statusCode;
            res.resume();
            res.on('end', resolve);
            res.on('error', () => resolve());
          },
        );
        req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
        req.on('error', () => resolve());
        req.end(payload);
      }),
    );
  };
  for (let i = 0; i < total;) {
    const now = Date.now();
    while (i < total && start + (i * 1000) / opts.rate <= now) send(i++);
    if (i < total) await sleep(Math.max(0, start + (i * 1000) / opts.rate - Date.now()));
  }
  await Promise.all(pending);
  agent.destroy();
  const lastAnswer = Math.max(...messages.map((m) => m.answeredAt ?? m.sentAt));
  return { messages, seconds: (lastAnswer - start) / 1000 };
}

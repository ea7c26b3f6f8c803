import http from 'node:http';
import https from 'node:https';

/** A network failure or a non-2xx answer from the WeChat API: worth retrying later. */
export class WechatHttpError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'WechatHttpError';
  }
}

/**
 * One JSON request to the WeChat API. Built on node:http(s) rather than fetch: fetch
 * (undici) is invisible to nock 13, which our tests use at this edge.
 */
export function requestJson<T>(method: 'GET' | 'POST', url: string, body?: unknown, timeoutMs = 10_000): Promise<T> {
  const target = new URL(url);
  const client = target.protocol === 'http:' ? http : https;
  // WeChat reads the body as UTF-8 JSON; \uXXXX escapes would also work but double the size
  // of Chinese text against the content limit.
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
  return new Promise<T>((resolve, reject) => {
    const req = client.request(
      target,
      {
        method,
        headers: payload ? { 'content-type': 'application/json; charset=utf-8', 'content-length': String(payload.length) } : undefined,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new WechatHttpError(`WeChat API response failed: ${err.message}`)));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          if (status < 200 || status >= 300) {
            reject(new WechatHttpError(`WeChat API answered HTTP ${status}`, status));
            return;
          }
          try {
            resolve(JSON.parse(text) as T);
          } catch {
            reject(new WechatHttpError('WeChat API answered with something other than JSON', status));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new WechatHttpError(`WeChat API request failed: ${err.message}`)));
    if (payload) req.write(payload);
    req.end();
  });
}

import type { Logger } from 'pino';
import type { WechatOfficialConfig } from '../../config/channels/wechat.schema.js';
import { PermanentDeliveryError, type AdapterHealth, type ChannelAdapter, type InboundSink, type OutboundMessage } from '../types.js';
import type { AdapterStateStore } from '../../contracts/adapter-state.js';
import { splitUtf8 } from './split-text.js';
import { requestJson } from './wechat-http.js';
import { SERVICE_WINDOW_MS, lastInteraction } from './wechat-service-window.js';
import { templateMessageFor } from './wechat-template-message.js';

/** A cached access token as kept in the adapter state store. */
export interface CachedAccessToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

interface WechatApiResult {
  errcode?: number;
  errmsg?: string;
}

interface TokenResult extends WechatApiResult {
  access_token?: string;
  expires_in?: number;
}

interface TemplateSendResult extends WechatApiResult {
  msgid?: number | string;
}

/** Errors that say the access token is no longer valid: fetch a new one and retry once. */
const TOKEN_INVALID = new Set([40001, 40014, 42001]);

/** Customer-service API refusals a template message gets past: the 48-hour window, and 20 messages per customer message. */
const WINDOW_CLOSED = new Set([45015, 45047]);

const TEMPLATE_HINT = 'set WECHAT_UPDATE_TEMPLATE_ID to send a template message instead, or use another channel';

/**
 * Errors where sending again cannot help. The outbox stops retrying and the gateway
 * records the reason on the ticket, so the wording is for the agent who reads it.
 */
const PERMANENT: Record<number, string> = {
  45015: `the customer has not written to the Official Account in the last 48 hours, so WeChat refuses customer-service messages; ${TEMPLATE_HINT}`,
  45047: `WeChat allows at most 20 customer-service messages per customer message; wait for the customer to write again, or ${TEMPLATE_HINT}`,
  40003: 'WeChat does not know this openid for our Official Account',
  43004: 'the customer has unfollowed the Official Account',
  43019: 'the customer is on the Official Account blacklist',
  45002: 'the message is longer than WeChat allows',
  40008: 'WeChat rejected the message type',
  48001: 'the Official Account is not authorized to use the customer-service message API',
};

/** Template message refusals where sending again cannot help, on top of the customer's own (40003, 43004, 43019). */
const TEMPLATE_PERMANENT: Record<number, string> = {
  40037: 'WECHAT_UPDATE_TEMPLATE_ID is not a template of this Official Account',
  47003: 'the template refused a field value (a field WECHAT_UPDATE_TEMPLATE_FIELDS fills is not in the template, or a value is too long for its type)',
  48001: 'the Official Account is not authorized to send template messages',
  43004: PERMANENT[43004]!,
  40003: PERMANENT[40003]!,
  43019: PERMANENT[43019]!,
};

// The customer-service API rejects long texts (45002); 2000 bytes stays under WeChat's 2048.
const MAX_TEXT_BYTES = 2000;
// Refresh this long before expiry so a token never dies mid-request.
const REFRESH_MARGIN_MS = 5 * 60_000;

/** What {@link WechatOfficialAdapter} is constructed with. */
export interface WechatOfficialAdapterOptions {
  config: WechatOfficialConfig;
  state: AdapterStateStore;
  logger: Logger;
  /** Clock for tests. */
  now?: () => number;
}

/**
 * Sends agents' and bots' replies to Official Account followers through the
 * customer-service message API (客服消息), or as a template message (模板消息) outside
 * WeChat's 48-hour window. Receiving is done by the webhook router (`createWechatRouter`),
 * which also records each follower's last interaction in the shared state, so `start` does nothing.
 */
export class WechatOfficialAdapter implements ChannelAdapter {
  readonly id = 'wechat' as const;
  private readonly config: WechatOfficialConfig;
  private readonly state: AdapterStateStore;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly tokenKey: string;
  private tokenInFlight?: Promise<string>;
  private lastTokenError?: string;

  constructor(opts: WechatOfficialAdapterOptions) {
    this.config = opts.config;
    this.state = opts.state;
    this.log = opts.logger.child({ module: 'adapters/wechat/official' });
    this.now = opts.now ?? Date.now;
    this.tokenKey = `wechat:official:${opts.config.appId ?? 'unset'}:access_token`;
  }

  async start(_sink: InboundSink): Promise<void> {
    // Webhook-driven: the router feeds the sink.
  }

  async stop(): Promise<void> {}

  async health(): Promise<AdapterHealth> {
    if (!this.config.appId || !this.config.appSecret) {
      return { status: 'degraded', detail: 'receiving only: set WECHAT_APP_ID and WECHAT_APP_SECRET to send replies' };
    }
    if (this.lastTokenError) return { status: 'down', detail: `cannot get an access token: ${this.lastTokenError}` };
    return { status: 'up' };
  }

  /**
   * A customer-service message while the customer is inside WeChat's 48-hour window; a
   * template message (WECHAT_UPDATE_TEMPLATE_ID) when they last wrote longer ago, or when
   * WeChat refuses the customer-service message anyway (45015, 45047: e.g. they wrote
   * before this gateway kept the time). Without a template that is a permanent failure.
   */
  async send(out: OutboundMessage): Promise<{ externalId: string }> {
    if (!this.config.appId || !this.config.appSecret) {
      throw new PermanentDeliveryError('WeChat replies are not configured (WECHAT_APP_ID / WECHAT_APP_SECRET)', 'not_configured');
    }
    const last = await lastInteraction(this.state, out.to);
    if (last !== undefined && this.now() - last > SERVICE_WINDOW_MS) {
      const hours = Math.floor((this.now() - last) / 3_600_000);
      return this.sendOutsideWindow(
        out,
        `the customer last wrote to the Official Account ${hours} hours ago and WeChat accepts customer-service messages only within 48 hours; ${TEMPLATE_HINT}`,
        '45015',
      );
    }
    const parts = splitUtf8(out.text, MAX_TEXT_BYTES);
    // For a reply split in several messages, remember how many went out so a retry
    // after a failure in the middle does not send the first parts twice.
    const progressKey = `wechat:official:sent:${out.id}`;
    const done = parts.length > 1 ? ((await this.state.get<number>(progressKey)) ?? 0) : 0;
    for (let i = done; i < parts.length; i++) {
      const result = await this.post('/cgi-bin/message/custom/send', { touser: out.to, msgtype: 'text', text: { content: parts[i] } });
      const code = result.errcode ?? 0;
      if (WINDOW_CLOSED.has(code)) return this.sendOutsideWindow(out, `WeChat ${code}: ${PERMANENT[code]} (${result.errmsg ?? ''})`, String(code));
      this.check(result, PERMANENT, 'customer-service');
      if (parts.length > 1) await this.state.set(progressKey, i + 1);
    }
    // The customer-service API returns no message id; the outbox id is our reference.
    return { externalId: `wechat-cs:${out.id}` };
  }

  /** The template message, or (none configured) a permanent failure saying why and which setting would help. */
  private async sendOutsideWindow(out: OutboundMessage, why: string, code: string): Promise<{ externalId: string }> {
    const template = this.config.updateTemplate;
    if (!template) throw new PermanentDeliveryError(why, code);
    this.log.debug({ outboxId: out.id, reason: code }, 'outside the customer-service window; sending a template message');
    const payload = templateMessageFor(out, template, { publicBaseUrl: this.config.publicBaseUrl, now: this.now() });
    const result = await this.post<TemplateSendResult>('/cgi-bin/message/template/send', payload);
    this.check(result, TEMPLATE_PERMANENT, 'template message');
    return { externalId: result.msgid !== undefined ? `wechat-tpl:${result.msgid}` : `wechat-tpl:outbox-${out.id}` };
  }

  /** Throws for a non-zero errcode: permanently when `permanent` knows it, else for the outbox to retry. */
  private check(result: WechatApiResult, permanent: Record<number, string>, api: string): void {
    const code = result.errcode ?? 0;
    if (code === 0) return;
    const reason = permanent[code];
    if (reason) throw new PermanentDeliveryError(`WeChat ${code}: ${reason} (${result.errmsg ?? ''})`, String(code));
    // -1 (system busy), 45009 (daily quota) and anything new: let the outbox retry with backoff.
    throw new Error(`WeChat ${api} API error ${code}: ${result.errmsg ?? 'no message'}`);
  }

  /** One POST to the API with the access token; a rejected token is refreshed and the call made once more. */
  private async post<T extends WechatApiResult>(path: string, payload: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0);
      const url = `${this.config.apiBase}${path}?access_token=${encodeURIComponent(token)}`;
      const result = await requestJson<T>('POST', url, payload);
      const code = result.errcode ?? 0;
      if (TOKEN_INVALID.has(code) && attempt === 0) {
        // Someone else (another process, the console's debugger) fetched a new token, or ours expired early.
        this.log.info({ errcode: code }, 'wechat access token rejected; fetching a new one');
        await this.state.set<CachedAccessToken>(this.tokenKey, { token: '', expiresAt: 0 });
        continue;
      }
      return result;
    }
  }

  /** The cached token, or a fresh one when it is missing, near expiry or `force`d. One fetch at a time. */
  private async accessToken(force: boolean): Promise<string> {
    if (!force) {
      const cached = await this.state.get<CachedAccessToken>(this.tokenKey);
      if (cached?.token && cached.expiresAt - REFRESH_MARGIN_MS > this.now()) return cached.token;
    }
    // Every /cgi-bin/token call invalidates the previous token (after 5 minutes) and counts
    // against a daily quota of 2000, so concurrent senders share one fetch.
    this.tokenInFlight ??= this.fetchToken().finally(() => {
      this.tokenInFlight = undefined;
    });
    return this.tokenInFlight;
  }

  private async fetchToken(): Promise<string> {
    const url =
      `${this.config.apiBase}/cgi-bin/token?grant_type=client_credential` +
      `&appid=${encodeURIComponent(this.config.appId!)}&secret=${encodeURIComponent(this.config.appSecret!)}`;
    const result = await requestJson<TokenResult>('GET', url);
    if (!result.access_token || (result.errcode ?? 0) !== 0) {
      // 40013 bad AppID, 40125 bad AppSecret, 40164 server IP not on the whitelist: a
      // configuration problem, not this message's; the outbox keeps it for after the fix.
      this.lastTokenError = `${result.errcode ?? '?'} ${result.errmsg ?? ''}`.trim();
      this.log.warn({ errcode: result.errcode, errmsg: result.errmsg }, 'wechat access token request refused');
      throw new Error(`WeChat refused an access token: ${this.lastTokenError}`);
    }
    this.lastTokenError = undefined;
    const cached: CachedAccessToken = { token: result.access_token, expiresAt: this.now() + (result.expires_in ?? 7200) * 1000 };
    await this.state.set(this.tokenKey, cached);
    return cached.token;
  }
}

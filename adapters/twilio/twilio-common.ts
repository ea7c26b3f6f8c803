import type { AdapterStateStore } from '../../contracts/adapter-state.js';

/** Where the gateway mounts {@link createTwilioRouter}; callback URLs we hand to Twilio are built on it. */
export const TWILIO_WEBHOOK_PATH = '/webhooks/twilio';

/** Minimal logger shape (pino's), so tests can pass pino or a silent stub. */
export interface TwilioLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child?(bindings: Record<string, unknown>): TwilioLogger;
}

export function moduleLogger(logger: TwilioLogger, module: string): TwilioLogger {
  return logger.child ? logger.child({ module }) : logger;
}

/** `+8613812345678` → `+86138****5678`: enough to correlate log lines, not enough to identify a customer. */
export function maskPhone(phone: string | undefined): string {
  if (!phone) return '';
  if (phone.length <= 7) return phone.replace(/\d(?=\d{2})/g, '*');
  return `${phone.slice(0, 6)}****${phone.slice(-4)}`;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Caller-ID placeholders Twilio puts in `From` when the number is withheld. They are
 * not people: using them as an identity would merge every anonymous caller into one
 * customer. (+86282452253 even looks Chinese.)
 */
const WITHHELD_CALLER_IDS = new Set([
  'anonymous',
  'restricted',
  'unknown',
  'private',
  'blocked',
  'unavailable',
  '+266696687', // ANONYMOUS
  '+86282452253', // UNKNOWN
  '+7378742833', // RESTRICTED
  '+8656696', // UNAVAILABLE
  '+2562533', // BLOCKED
]);

/** True when `from` is a real E.164 number we can call or text back. */
export function isCallableNumber(from: string | undefined): from is string {
  return !!from && E164.test(from) && !WITHHELD_CALLER_IDS.has(from.toLowerCase());
}

/** Opt-out record kept in the adapter state store, one key per phone number. */
export interface OptOutRecord {
  optedOut: boolean;
  at: string;
  /** STOP, 退订, twilio:21610… */
  reason: string;
}

function optOutKey(phone: string): string {
  return `twilio:sms-opt-out:${phone}`;
}

/** Opt-out state of SMS recipients. Lives in the {@link AdapterStateStore}; adapters never touch the database. */
export class OptOutRegistry {
  constructor(private readonly state: AdapterStateStore) {}

  async isOptedOut(phone: string): Promise<boolean> {
    const rec = await this.state.get<OptOutRecord>(optOutKey(phone));
    return rec?.optedOut === true;
  }

  async optOut(phone: string, reason: string, now = new Date()): Promise<void> {
    await this.state.set<OptOutRecord>(optOutKey(phone), { optedOut: true, at: now.toISOString(), reason });
  }

  async optIn(phone: string, reason: string, now = new Date()): Promise<void> {
    await this.state.set<OptOutRecord>(optOutKey(phone), { optedOut: false, at: now.toISOString(), reason });
  }
}

import type { ChannelId } from '../contracts/channel-ids.js';
import type { Identity } from '../storage/customer.store.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Canonical phone form: E.164 when we can tell (CN mobiles without +86 get it). */
export function normalizePhone(raw: string): string | undefined {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/[\s().-]/g, '');
  if (/^\+\d{7,15}$/.test(digits)) return digits;
  if (/^00\d{7,15}$/.test(digits)) return `+${digits.slice(2)}`;
  if (/^1[3-9]\d{9}$/.test(digits)) return `+86${digits}`;
  if (/^86(1[3-9]\d{9})$/.test(digits)) return `+${digits}`;
  return undefined;
}

export function isEmail(raw: string): boolean {
  return EMAIL.test(raw.trim());
}

/** The identity a sender's address is on its channel: e-mail, phone, WeChat id, chat id. */
export function identityOf(channel: ChannelId, address: string): Identity {
  const value = address.trim();
  switch (channel) {
    case 'email':
      return { kind: 'email', value: value.toLowerCase() };
    case 'sms':
    case 'voice':
      return { kind: 'phone', value: normalizePhone(value) ?? value };
    case 'wechat':
      return { kind: 'wechat', value };
    case 'webchat':
      return { kind: 'webchat', value };
    case 'webform':
    case 'api': {
      if (isEmail(value)) return { kind: 'email', value: value.toLowerCase() };
      const phone = normalizePhone(value);
      if (phone) return { kind: 'phone', value: phone };
      return { kind: channel, value };
    }
  }
}

import type { Role } from '../../storage/token.store.js';
import { maskAddress, maskContactsDeep, maskContactsInText, maskIdentityValue } from '../contact-masking.js';

/** `masking` in gateway.yaml: who sees customers' contact details and words in full. */
export interface MaskingSettings {
  /** Roles that see phone numbers and e-mail addresses in full everywhere. */
  fullContactRoles: readonly Role[];
  /** Queues whose tickets show them in full to everyone who may work the ticket (a call-back team's queue). */
  fullContactQueues: readonly string[];
  /** Roles that see no message text at all: bodies, subjects, excerpts, notes, comments. */
  noTextRoles: readonly Role[];
}

export const DEFAULT_MASKING: MaskingSettings = { fullContactRoles: ['lead', 'admin'], fullContactQueues: [], noTextRoles: ['finance'] };

/** Roles that may ask for the full values of what they see masked (an audited reveal). */
const MAY_REVEAL: readonly Role[] = ['agent', 'lead', 'admin'];

/** Keys whose values are the customer's (or an agent's) words, left out for a role that sees no text. */
const TEXT_KEYS = new Set(['text', 'comment', 'subject', 'body', 'html', 'match', 'excerpt', 'question', 'sample', 'entities', 'csatComment']);

function withoutText(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => withoutText(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, TEXT_KEYS.has(k) && v != null ? null : withoutText(v, depth + 1)]));
}

/** How one answer shows a ticket's (or a customer's) fields to the principal asking. */
export interface FieldMask {
  /** Contact details are shown in full. */
  readonly full: boolean;
  /** No message text is shown. */
  readonly hidesText: boolean;
  /** A sender or recipient address. */
  address(value: string | null): string | null;
  identity<T extends { kind: string; value: string }>(identity: T): T;
  /** Message text, a subject, an excerpt, a note: null for a role that sees no text, else with contacts masked unless full. */
  text(value: string | null): string | null;
  /** Words that are not the customer's message but may quote a contact (a merge reason): masked unless full. */
  words(value: string | null): string | null;
  /** A JSON payload (event before/after, the classification): text keys left out for a role that sees no text, contacts masked unless full. */
  deep(value: unknown): unknown;
}

function fieldMask(full: boolean, hidesText: boolean): FieldMask {
  return {
    full,
    hidesText,
    address: (v) => (v == null || full ? v : maskAddress(v)),
    identity: (i) => (full ? i : { ...i, value: maskIdentityValue(i.kind, i.value) }),
    text: (v) => (v == null ? v : hidesText ? null : full ? v : maskContactsInText(v)),
    words: (v) => (v == null || full ? v : maskContactsInText(v)),
    deep: (v) => {
      const kept = hidesText ? withoutText(v) : v;
      return full ? kept : maskContactsDeep(kept);
    },
  };
}

/**
 * What one principal sees of customers (issue 23 item 3): by default agents see phone numbers and e-mail
 * addresses masked (138****8000, j***@example.com) in identities, addresses, message text, notes and event
 * details, unless the ticket is in a queue of `fullContactQueues`; leads and admins see them in full; finance
 * sees no message text at all. Each answer that shows a ticket or customer builds its fields through here.
 */
export class ContactView {
  constructor(
    readonly role: Role,
    private readonly settings: MaskingSettings = DEFAULT_MASKING,
  ) {}

  get hidesText(): boolean {
    return this.settings.noTextRoles.includes(this.role);
  }

  /** Contact details in full on a ticket of `queue` (without one, a customer's page: by role alone). */
  fullFor(queue?: string | null): boolean {
    if (this.settings.fullContactRoles.includes(this.role)) return true;
    return !this.hidesText && queue != null && this.settings.fullContactQueues.includes(queue);
  }

  /** Whether this principal may reveal the full values (POST …/reveal): not a role that sees no text. */
  get mayReveal(): boolean {
    return MAY_REVEAL.includes(this.role) && !this.hidesText;
  }

  /** The masks for a ticket in `queue`, or a customer (no queue). */
  on(queue?: string | null): FieldMask {
    return fieldMask(this.fullFor(queue), this.hidesText);
  }

  /** Everything in full (an audited reveal), still without text for a role that sees none. */
  revealed(): FieldMask {
    return fieldMask(true, this.hidesText);
  }
}

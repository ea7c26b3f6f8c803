/**
 * One mailbox as nodemailer takes it: an object, never a string. Given a string, nodemailer
 * runs its address parser, which reads `a@x.com\r\nBcc: b@evil.example`, `a@x.com, b@y.com`
 * or `a@x.com; b@y.com` as several recipients — so a customer-supplied From could add (or
 * replace) who our reply goes to. An object's `address` is used as it is.
 */
export interface Mailbox {
  name: string;
  address: string;
}

export type MailboxCheck = { ok: true; mailbox: Mailbox } | { ok: false; problem: string };

/** RFC 5321 §4.5.3.1: 64 octets of local part, 254 for the whole path without its angle brackets. */
const MAX_LOCAL = 64;
const MAX_ADDRESS = 254;
const MAX_DOMAIN_LABEL = 63;
const MAX_NAME = 200;

// Line breaks, NUL and the other C0/C1 controls, plus the Unicode line/paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// RFC 5322 atext, plus letters, digits and marks beyond ASCII (RFC 6531 addresses such as 张伟@例子.中国).
const ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\p{L}\p{N}\p{M}-]+$/u;
const LABEL = /^[A-Za-z0-9\p{L}\p{N}\p{M}](?:[A-Za-z0-9\p{L}\p{N}\p{M}-]*[A-Za-z0-9\p{L}\p{N}\p{M}])?$/u;

/**
 * Checks that `value` is exactly one mailbox, `local@domain` or `Display Name <local@domain>`,
 * and returns it as a nodemailer address object; otherwise says what is wrong. Deliberately
 * stricter than RFC 5322: no quoted local parts, comments, groups or address literals, which
 * no customer address needs and each of which has fooled some parser. Pure.
 */
export function checkMailbox(value: unknown): MailboxCheck {
  if (typeof value !== 'string') return { ok: false, problem: 'not text' };
  if (CONTROL.test(value)) return { ok: false, problem: 'contains a line break or another control character' };
  const s = value.trim();
  if (!s) return { ok: false, problem: 'empty' };
  if (s.length > MAX_ADDRESS + MAX_NAME + 3) return { ok: false, problem: 'too long' };

  let name = '';
  let address = s;
  const angle = /^([^<>]*)<([^<>]*)>$/.exec(s);
  if (angle) {
    name = angle[1]!.trim();
    address = angle[2]!.trim();
    const quoted = /^"(.*)"$/.exec(name);
    if (quoted) name = quoted[1]!;
    if (/["\\]/.test(name)) return { ok: false, problem: 'the display name has quotes or backslashes inside' };
    if (name.length > MAX_NAME) return { ok: false, problem: 'the display name is too long' };
  } else if (/[<>]/.test(s)) {
    return { ok: false, problem: 'unbalanced angle brackets' };
  }

  if (/[,;]/.test(address)) return { ok: false, problem: 'a list of addresses (comma or semicolon), not one' };
  if (/\s/.test(address)) return { ok: false, problem: 'whitespace inside the address' };
  const at = address.split('@');
  if (at.length !== 2) return { ok: false, problem: at.length === 1 ? 'no @' : 'more than one @' };
  if (address.length > MAX_ADDRESS) return { ok: false, problem: `over ${MAX_ADDRESS} characters` };
  const [local, domain] = at as [string, string];
  if (!local || local.length > MAX_LOCAL) return { ok: false, problem: `the part before @ is empty or over ${MAX_LOCAL} characters` };
  if (!local.split('.').every((atom) => ATOM.test(atom))) return { ok: false, problem: 'the part before @ has characters an address cannot have' };
  const labels = domain.split('.');
  if (labels.length < 2) return { ok: false, problem: 'the domain has no dot' };
  if (!labels.every((l) => l.length <= MAX_DOMAIN_LABEL && LABEL.test(l))) return { ok: false, problem: 'the domain is not a host name' };
  // An all-digit top-level label is an IP address written as a domain (user@127.0.0.1).
  if (/^\d+$/.test(labels.at(-1)!)) return { ok: false, problem: 'the domain is an IP address' };
  return { ok: true, mailbox: { name, address } };
}

/** Header names and values as read from a mail; keys are matched case-insensitively. */
export type MailHeaders = Map<string, string | string[]> | Record<string, string | string[] | undefined>;

/** Why a mail is not a complaint. */
export type AutomatedKind = 'own' | 'bounce' | 'auto-reply' | 'read-receipt' | 'abuse-report' | 'bulk';

export interface AutomatedVerdict {
  kind: AutomatedKind;
  /** Which header or pattern decided, for the log line. */
  reason: string;
}

/** The header our outgoing mail carries so it is recognised if it loops back. */
export const OWN_MAIL_HEADER = 'X-Complaint-Gateway';

export interface ClassifyOptions {
  /** Our own sending addresses (EMAIL_FROM): mail from them is ours looping back. */
  ownAddresses?: string[];
}

/**
 * Decides from the headers alone whether a mail was written by a machine: our own
 * reply looping back, a bounce (DSN), an auto-reply (RFC 3834, Exchange, "自动回复"),
 * a read receipt (MDN), an abuse report (ARF) or bulk mail. `undefined` means a person
 * probably wrote it. Pure.
 */
export function classifyAutomated(headers: MailHeaders, options: ClassifyOptions = {}): AutomatedVerdict | undefined {
  const get = headerGetter(headers);
  const first = (name: string) => get(name)[0]?.trim() ?? '';

  if (get(OWN_MAIL_HEADER).length > 0) return { kind: 'own', reason: `${OWN_MAIL_HEADER} header` };
  const fromAddress = extractAddress(first('from'));
  const own = (options.ownAddresses ?? []).map((a) => extractAddress(a)).filter(Boolean);
  if (fromAddress && own.includes(fromAddress)) return { kind: 'own', reason: 'From is our own address' };

  const contentType = first('content-type').toLowerCase();
  if (contentType.startsWith('multipart/report')) {
    const reportType = /report-type\s*=\s*"?([\w-]+)/.exec(contentType)?.[1] ?? '';
    if (reportType === 'disposition-notification') return { kind: 'read-receipt', reason: 'multipart/report; disposition-notification' };
    if (reportType === 'feedback-report') return { kind: 'abuse-report', reason: 'multipart/report; feedback-report' };
    return { kind: 'bounce', reason: `multipart/report; ${reportType || 'report'}` };
  }
  // RFC 3834: anything but "no" is machine-generated (auto-replied, auto-generated, auto-notified).
  const autoSubmitted = first('auto-submitted').toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return { kind: 'auto-reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply']) {
    if (get(name).length > 0) return { kind: 'auto-reply', reason: `${name} header` };
  }
  if (get('x-failed-recipients').length > 0) return { kind: 'bounce', reason: 'X-Failed-Recipients header' };
  // Bounces come from the null reverse-path; MTAs also sign them MAILER-DAEMON/postmaster.
  if (first('return-path') === '<>') return { kind: 'bounce', reason: 'empty Return-Path' };
  if (fromAddress && /^(mailer-daemon|postmaster)@/i.test(fromAddress)) return { kind: 'bounce', reason: `From ${fromAddress.split('@')[0]}` };

  const subject = first('subject');
  if (
    /^(Undeliver(able|ed)|Delivery Status Notification|Mail delivery failed|Returned mail|Delivery (has )?failed|Mail System Error|系统退信|退信|邮件投递失败|無法傳遞|无法送达)/i.test(
      subject,
    )
  ) {
    return { kind: 'bounce', reason: 'bounce subject' };
  }

  const precedence = first('precedence').toLowerCase();
  if (precedence === 'auto_reply') return { kind: 'auto-reply', reason: 'Precedence: auto_reply' };
  if (precedence === 'bulk' || precedence === 'junk') return { kind: 'bulk', reason: `Precedence: ${precedence}` };
  if (
    /^(Auto(matic)?[ -]?(reply|response)|Out of (the )?office|Autoreply|自动回复|自動回覆|自动答复|自動回復|休假|不在办公室)/i.test(
      subject.replace(/^\s*(Re|回复|答复)\s*[:：]\s*/i, ''),
    )
  ) {
    return { kind: 'auto-reply', reason: 'auto-reply subject' };
  }
  return undefined;
}

/**
 * Lower-cased bare address from `"Name" <a@b>` or `a@b`, or '' when there is none.
 * The bare form is bounded (64 before @, 253 after, starting at a separator): unbounded,
 * `[^…]+@` retried from every position of a long run without @ — a 300 kB From header of
 * x's — took minutes (quadratic backtracking) and held the event loop the whole time.
 */
export function extractAddress(value: string): string {
  const angle = /<([^<>@\s]+@[^<>\s]+)>/.exec(value);
  if (angle) return angle[1]!.toLowerCase();
  const bare = /(?<![^\s<>"',;:])([^\s<>"',;:@]{1,64}@[^\s<>"',;:]{1,253})/.exec(value);
  return bare ? bare[1]!.toLowerCase() : '';
}

function headerGetter(headers: MailHeaders): (name: string) => string[] {
  const lower = new Map<string, string[]>();
  const entries = headers instanceof Map ? [...headers.entries()] : Object.entries(headers);
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    const list = lower.get(k.toLowerCase()) ?? [];
    list.push(...(Array.isArray(v) ? v : [v]));
    lower.set(k.toLowerCase(), list);
  }
  return (name) => lower.get(name.toLowerCase()) ?? [];
}

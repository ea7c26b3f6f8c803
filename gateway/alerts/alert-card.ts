import type { WebhookEventType } from '../../contracts/webhook-events.js';

export type AlertLanguage = 'zh' | 'en';

/**
 * A message card for a chat room, before any vendor's format: what every robot shows (title, a few fields, a link
 * to the ticket or incident). Built when the alert is queued, in the robot's language, and stored with it; each
 * robot (gateway/alerts/*.robot.ts) turns it into its vendor's JSON when it is sent.
 */
export interface AlertCard {
  language: AlertLanguage;
  /** critical: breaches, surges, failed replies; warning: SLA warnings; info: the rest. Sets the card's colour. */
  level: 'info' | 'warning' | 'critical';
  title: string;
  fields: Array<{ label: string; value: string }>;
  /** Bullet lines (a summary's alerts), each with its own link when there is one. */
  lines?: Array<{ text: string; url?: string }>;
  /** Why a summary instead of each alert (the rate limit). */
  note?: string;
  /** Absent without PUBLIC_BASE_URL. */
  link?: { text: string; url: string };
}

/** What a card is about: an event type, or `ticket.routed` (a routing rule's `notify: [{ robot }]`). */
export type AlertKind = WebhookEventType | 'ticket.routed';

/** The ticket fields an event carries (gateway/webhooks/event-feed.ts, `ticket` in every ticket event). */
export interface AlertTicket {
  id: number;
  number: string;
  status: string;
  queue: string;
  priority: string;
  assignee: string | null;
  category: string | null;
  severity: number | null;
  channel: string | null;
  url: string | null;
}

export interface AlertIncident {
  id: number;
  title: string;
  category: string | null;
  severity: number;
  ticketCount?: number;
  url: string | null;
}

/** What the card texts need besides the event: category names and the time zone of due times. */
export interface AlertContext {
  categoryName(code: string, language: AlertLanguage): string | undefined;
  timeZone: string;
}

const TEXT = {
  zh: {
    'ticket.created': '新工单 {number}',
    'ticket.routed': '新工单 {number} 转入 {queue}',
    'ticket.updated': '工单 {number} 已更新',
    'ticket.resolved': '工单 {number} 已解决',
    'message.received': '工单 {number} 收到客户新消息',
    'reply.sent': '工单 {number} 的回复已发出',
    'reply.failed': '工单 {number} 的回复未能送达',
    'incident.opened': '突发事件：{title}',
    'incident.resolved': '事件已解决：{title}',
    'sla.warning': 'SLA 即将超时：工单 {number}（{target}）',
    'sla.breached': 'SLA 已超时：工单 {number}（{target}）',
    'csat.received': '工单 {number} 收到 {score} 分评价',
    firstResponse: '首次响应',
    resolution: '解决',
    queue: '队列',
    priority: '优先级',
    severity: '严重度',
    category: '分类',
    assignee: '处理人',
    unassigned: '未分配',
    status: '状态',
    channel: '渠道',
    due: '截止时间',
    tickets: '相关工单',
    changes: '变更',
    reason: '原因',
    comment: '评价内容',
    openTicket: '查看工单',
    openIncident: '查看事件',
    openConsole: '打开控制台',
    summary: '告警汇总：{count} 条提醒',
    more: '另有 {count} 条',
    rateNote: '为避免刷屏，本群每 {window} 秒最多推送 {max} 条，其余合并为此汇总。',
    priorities: { low: '低', normal: '普通', high: '高', urgent: '紧急' } as Record<string, string>,
  },
  en: {
    'ticket.created': 'New ticket {number}',
    'ticket.routed': 'New ticket {number} in {queue}',
    'ticket.updated': 'Ticket {number} updated',
    'ticket.resolved': 'Ticket {number} resolved',
    'message.received': 'New customer message on {number}',
    'reply.sent': 'Reply sent on {number}',
    'reply.failed': 'Reply not delivered on {number}',
    'incident.opened': 'Incident: {title}',
    'incident.resolved': 'Incident resolved: {title}',
    'sla.warning': 'SLA warning: {number} ({target})',
    'sla.breached': 'SLA breached: {number} ({target})',
    'csat.received': 'Rating {score}/5 on {number}',
    firstResponse: 'first response',
    resolution: 'resolution',
    queue: 'Queue',
    priority: 'Priority',
    severity: 'Severity',
    category: 'Category',
    assignee: 'Assignee',
    unassigned: 'unassigned',
    status: 'Status',
    channel: 'Channel',
    due: 'Due',
    tickets: 'Tickets',
    changes: 'Changed',
    reason: 'Reason',
    comment: 'Comment',
    openTicket: 'Open ticket',
    openIncident: 'Open incident',
    openConsole: 'Open the console',
    summary: 'Alert summary: {count} alerts',
    more: '{count} more',
    rateNote: 'At most {max} posts per {window} s go to this room; the rest are summed up here.',
    priorities: {} as Record<string, string>,
  },
} as const;

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => (key in values ? String(values[key]) : all));
}

/**
 * Text that came from outside (an incident title holds words customers wrote, a queue name a lead typed) shown in
 * markdown: the characters that make links, emphasis or mentions become their full-width twins, so nothing in it
 * can turn into markup in any of the four vendors' formats. Line breaks become spaces.
 */
export function plainText(text: string, max = 200): string {
  const out = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[[\]<>*_`#|~@\\]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
    .trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

function dueTime(iso: string, language: AlertLanguage, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone,
    month: language === 'zh' ? 'numeric' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

const LEVEL: Partial<Record<AlertKind, AlertCard['level']>> = {
  'sla.breached': 'critical',
  'incident.opened': 'critical',
  'reply.failed': 'critical',
  'sla.warning': 'warning',
};

/**
 * The card for an event (its `data`, as subscribers get it) in one language. Cards carry the ticket's number,
 * routing and SLA fields and a link, never what the customer wrote or how to reach them: the room is a third
 * party's cloud.
 */
export function alertCard(kind: AlertKind, data: Record<string, unknown>, language: AlertLanguage, ctx: AlertContext): AlertCard {
  const t = TEXT[language];
  const fields: AlertCard['fields'] = [];
  const incident = data.incident as AlertIncident | undefined;
  if (incident) {
    if (incident.category) fields.push({ label: t.category, value: categoryLabel(incident.category, language, ctx) });
    fields.push({ label: t.severity, value: String(incident.severity) });
    if (incident.ticketCount !== undefined) fields.push({ label: t.tickets, value: String(incident.ticketCount) });
    return {
      language,
      level: LEVEL[kind] ?? 'info',
      title: fill(t[kind === 'incident.resolved' ? 'incident.resolved' : 'incident.opened'], { title: plainText(incident.title, 120) }),
      fields,
      ...(incident.url ? { link: { text: t.openIncident, url: incident.url } } : {}),
    };
  }
  const ticket = data.ticket as AlertTicket;
  const target = data.target === 'firstResponse' || data.target === 'resolution' ? t[data.target] : '';
  const title = fill(t[kind], { number: ticket.number, queue: plainText(ticket.queue, 60), target, score: Number(data.score ?? 0) });
  let level = LEVEL[kind] ?? 'info';
  if ((kind === 'ticket.routed' || kind === 'ticket.created') && ticket.severity === 1) level = 'critical';
  if (ticket.category) fields.push({ label: t.category, value: categoryLabel(ticket.category, language, ctx) });
  if (ticket.severity != null) fields.push({ label: t.severity, value: String(ticket.severity) });
  fields.push({ label: t.priority, value: t.priorities[ticket.priority] ?? plainText(ticket.priority, 20) });
  fields.push({ label: t.queue, value: plainText(ticket.queue, 60) });
  fields.push({ label: t.assignee, value: ticket.assignee ? plainText(ticket.assignee, 60) : t.unassigned });
  if (typeof data.dueAt === 'string') fields.push({ label: t.due, value: dueTime(data.dueAt, language, ctx.timeZone) });
  if (kind === 'ticket.updated' && data.changes && typeof data.changes === 'object')
    fields.push({ label: t.changes, value: plainText(Object.keys(data.changes).join(', '), 120) });
  if (kind === 'reply.failed' && typeof data.reason === 'string') fields.push({ label: t.reason, value: plainText(data.reason, 120) });
  return { language, level, title, fields, ...(ticket.url ? { link: { text: t.openTicket, url: ticket.url } } : {}) };
}

function categoryLabel(code: string, language: AlertLanguage, ctx: AlertContext): string {
  const name = ctx.categoryName(code, language);
  return name ? `${plainText(name, 40)} (${plainText(code, 12)})` : plainText(code, 12);
}

/** One card standing for many that the rate limit held back: their titles, each linked, at most `show` of them. */
export function summaryCard(
  cards: readonly AlertCard[],
  language: AlertLanguage,
  limit: { max: number; windowSeconds: number },
  consoleUrl: string | null,
  show = 10,
): AlertCard {
  const t = TEXT[language];
  const lines: NonNullable<AlertCard['lines']> = cards.slice(0, show).map((c) => ({ text: c.title, ...(c.link ? { url: c.link.url } : {}) }));
  if (cards.length > show) lines.push({ text: fill(t.more, { count: cards.length - show }) });
  const level = cards.some((c) => c.level === 'critical') ? 'critical' : cards.some((c) => c.level === 'warning') ? 'warning' : 'info';
  return {
    language,
    level,
    title: fill(t.summary, { count: cards.length }),
    fields: [],
    lines,
    note: fill(t.rateNote, { max: limit.max, window: limit.windowSeconds }),
    ...(consoleUrl ? { link: { text: t.openConsole, url: consoleUrl } } : {}),
  };
}

/** The card as plain text (WeCom's and Slack's fallback text, logs): title, then `label: value` lines. */
export function cardLines(card: AlertCard): string[] {
  const sep = card.language === 'zh' ? '：' : ': ';
  return [card.title, ...card.fields.map((f) => `${f.label}${sep}${f.value}`)];
}

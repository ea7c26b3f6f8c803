/**
 * The events the gateway announces to event-webhook subscribers and chat-room robots: a contract the
 * config schema (config/webhooks.schema.ts), the API and the delivery code share. Imports nothing of ours.
 */
export const WEBHOOK_EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'ticket.resolved',
  'message.received',
  'reply.sent',
  'reply.failed',
  'incident.opened',
  'incident.resolved',
  'sla.warning',
  'sla.breached',
  'csat.received',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The chat-room robots alerts can go to (gateway/alerts/). */
export const ROBOT_KINDS = ['dingtalk', 'feishu', 'wecom', 'slack'] as const;
export type RobotKind = (typeof ROBOT_KINDS)[number];

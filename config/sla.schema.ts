/**
 * Schema for `config/sla.yaml`: business calendars, SLA policies (first-response and
 * resolution targets), the severity × tier matrix that picks a policy when no routing
 * rule names one, and what happens at the warning threshold and on breach.
 *
 * Pure: no I/O. The config loader reads the file, parses YAML and calls `slaSchema`.
 */
import { z } from 'zod';

/** Weekday keys used in `calendars.<name>.hours`. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Minutes after local midnight for 'HH:MM' ('24:00' = 1440). */
export function hhmmToMinutes(s: string): number {
  const [h, m] = s.split(':').map(Number);
  return h! * 60 + m!;
}

/**
 * A duration target: `30m`, `4h`, `1h30m` (business time on the policy's calendar, which is
 * wall-clock time on a 24x7 calendar) or `3bd` (business days: the same local time on the
 * third following business day). `bd` cannot be mixed with `h`/`m`.
 */
export const DURATION_RE = /^(?:(\d+)bd|(?:(\d+)h)?(?:(\d+)m)?)$/;

/** A parsed duration: business milliseconds or a count of business days. */
export type DurationSpec = { kind: 'business'; ms: number } | { kind: 'businessDays'; days: number };

/** Parses `30m` / `4h` / `1h30m` / `3bd`; throws a message that says what is accepted. */
export function parseDuration(spec: string): DurationSpec {
  const m = DURATION_RE.exec(spec.trim());
  if (!m || spec.trim() === '') {
    throw new Error(`"${spec}" is not a duration: use minutes/hours like 30m, 4h, 1h30m or business days like 3bd`);
  }
  if (m[1] !== undefined) {
    const days = Number(m[1]);
    if (days < 1) throw new Error(`"${spec}": business days must be at least 1`);
    return { kind: 'businessDays', days };
  }
  const ms = (Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 60_000;
  if (ms <= 0) throw new Error(`"${spec}" is zero: a target must be longer than 0`);
  return { kind: 'business', ms };
}

const durationSchema = z.string().superRefine((s, ctx) => {
  try {
    parseDuration(s);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

const timeZoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown IANA time zone (e.g. Asia/Shanghai, America/New_York)' },
);

const intervalSchema = z
  .tuple([z.string().regex(HHMM, 'use HH:MM'), z.string().regex(HHMM, 'use HH:MM (24:00 for midnight)')])
  .refine(([a, b]) => hhmmToMinutes(a) < hhmmToMinutes(b), {
    message: 'an opening interval must start before it ends (intervals cannot cross midnight: split them)',
  });

/** `2026-10-01` or an inclusive range `2026-10-01..2026-10-07`. */
const dateOrRangeSchema = z.string().refine(
  (s) => {
    const parts = s.split('..');
    return parts.length <= 2 && parts.every((p) => DATE.test(p)) && (parts.length === 1 || parts[0]! <= parts[1]!);
  },
  { message: 'use YYYY-MM-DD or an inclusive range YYYY-MM-DD..YYYY-MM-DD' },
);

const hoursSchema = z
  .strictObject(
    Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(intervalSchema).optional()])) as Record<Weekday, z.ZodOptional<z.ZodArray<typeof intervalSchema>>>,
  )
  .superRefine((hours, ctx) => {
    for (const day of WEEKDAYS) {
      const list = [...(hours[day] ?? [])].sort((a, b) => hhmmToMinutes(a[0]) - hhmmToMinutes(b[0]));
      for (let i = 1; i < list.length; i++) {
        if (hhmmToMinutes(list[i]![0]) < hhmmToMinutes(list[i - 1]![1])) {
          ctx.addIssue({ code: 'custom', path: [day], message: `opening intervals overlap on ${day}` });
        }
      }
    }
  });

/** A business calendar: weekly opening hours in one IANA zone, holidays and make-up workdays. */
export const calendarSchema = z
  .strictObject({
    description: z.string().optional(),
    timeZone: timeZoneSchema,
    /** Open around the clock (weekends and holidays too): durations are plain elapsed time. */
    alwaysOpen: z.boolean().default(false),
    hours: hoursSchema.optional(),
    /** Local dates (or inclusive ranges) that are closed although their weekday is open. */
    holidays: z.array(dateOrRangeSchema).default([]),
    /**
     * Local dates that are working days although their weekday is closed (China's 调休
     * make-up days). They open with `workdayHours`, or Monday's hours when that is not set.
     */
    extraWorkdays: z.array(dateOrRangeSchema).default([]),
    workdayHours: z.array(intervalSchema).optional(),
  })
  .superRefine((cal, ctx) => {
    if (!cal.alwaysOpen) {
      const open = WEEKDAYS.some((d) => (cal.hours?.[d]?.length ?? 0) > 0);
      if (!open) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'a calendar needs opening hours on at least one weekday, or alwaysOpen: true' });
    }
  });
export type CalendarConfig = z.infer<typeof calendarSchema>;

// `robot`: a chat-room robot of webhooks.yaml, checked against that file by the loader.
const notifySchema = z.array(
  z.union([z.strictObject({ queue: z.string().min(1) }), z.strictObject({ webhook: z.url() }), z.strictObject({ robot: z.string().min(1) })]),
);

/** What to do when a target reaches the warning threshold or is breached. */
const actionSchema = z.strictObject({
  /** Move the ticket to this queue and record why. */
  escalate: z.strictObject({ to: z.string().min(1), reason: z.string().min(1) }).optional(),
  notify: notifySchema.default([]),
  /** Raise the ticket's priority (never lowers it). */
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
});
export type SlaAction = z.infer<typeof actionSchema>;

const targetActionsSchema = z.strictObject({
  warning: actionSchema.optional(),
  breach: actionSchema.optional(),
});

/** One SLA policy: targets measured on one calendar. */
export const policySchema = z.strictObject({
  description: z.string().min(1),
  calendar: z.string().min(1),
  firstResponse: durationSchema,
  resolution: durationSchema,
  /** Fraction of the target after which a warning fires; overrides the file-wide `warningAt`. */
  warningAt: z.number().gt(0).lt(1).optional(),
  /** Actions per target; when absent the file-wide `actions` apply. */
  firstResponseActions: targetActionsSchema.optional(),
  resolutionActions: targetActionsSchema.optional(),
});
export type SlaPolicy = z.infer<typeof policySchema>;

const tierMapSchema = z
  .record(z.string(), z.string().min(1))
  .refine((m) => typeof m['default'] === 'string', { message: 'each severity needs a "default" policy (used for any tier not listed)' });

const slaObjectSchema = z
  .strictObject({
    version: z.literal(1),
    /** Warning threshold as a fraction of each target (0.8 = warn at 80% of the time used). */
    warningAt: z.number().gt(0).lt(1).default(0.8),
    /** Calendar used by routing's `businessHours` condition when a rule names none. */
    defaultCalendar: z.string().min(1),
    calendars: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'calendar names: letters, digits, - and _'), calendarSchema),
    policies: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'policy names: letters, digits, - and _'), policySchema),
    /** Severity (1–4) × customer tier → policy name, used when no routing rule names a policy. */
    matrix: z.strictObject({ '1': tierMapSchema, '2': tierMapSchema, '3': tierMapSchema, '4': tierMapSchema }),
    /** Default actions for every policy's targets (a policy's own `…Actions` replace them). */
    actions: z.strictObject({ firstResponse: targetActionsSchema.optional(), resolution: targetActionsSchema.optional() }).default({}),
  })
  .superRefine((sla, ctx) => {
    if (!sla.calendars[sla.defaultCalendar]) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultCalendar'],
        message: `unknown calendar "${sla.defaultCalendar}" (defined: ${Object.keys(sla.calendars).join(', ')})`,
      });
    }
    for (const [name, p] of Object.entries(sla.policies)) {
      if (!sla.calendars[p.calendar]) {
        ctx.addIssue({
          code: 'custom',
          path: ['policies', name, 'calendar'],
          message: `policy "${name}": unknown calendar "${p.calendar}" (defined: ${Object.keys(sla.calendars).join(', ')})`,
        });
      }
    }
    for (const sev of ['1', '2', '3', '4'] as const) {
      for (const [tier, policy] of Object.entries(sla.matrix[sev])) {
        if (!sla.policies[policy]) {
          ctx.addIssue({ code: 'custom', path: ['matrix', sev, tier], message: `matrix severity ${sev} tier "${tier}": unknown policy "${policy}"` });
        }
      }
    }
  });

/** zod schema for `config/sla.yaml`. */
export const slaSchema = slaObjectSchema;
/** The validated contents of `config/sla.yaml`. */
export type SlaConfig = z.infer<typeof slaSchema>;

/** Every queue named in the SLA actions (for the cross-file check against routing.yaml). */
export function slaActionQueues(sla: SlaConfig): Array<{ where: string; queue: string }> {
  const out: Array<{ where: string; queue: string }> = [];
  const visit = (where: string, t?: z.infer<typeof targetActionsSchema>) => {
    for (const kind of ['warning', 'breach'] as const) {
      const a = t?.[kind];
      if (!a) continue;
      if (a.escalate) out.push({ where: `${where}.${kind}.escalate`, queue: a.escalate.to });
      for (const n of a.notify) if ('queue' in n) out.push({ where: `${where}.${kind}.notify`, queue: n.queue });
    }
  };
  visit('actions.firstResponse', sla.actions.firstResponse);
  visit('actions.resolution', sla.actions.resolution);
  for (const [name, p] of Object.entries(sla.policies)) {
    visit(`policies.${name}.firstResponseActions`, p.firstResponseActions);
    visit(`policies.${name}.resolutionActions`, p.resolutionActions);
  }
  return out;
}

/**
 * Schema for `config/canned-replies.yaml`: ready-made answers agents pick in the console, in zh and en,
 * with variables filled from the ticket ({{ticketNumber}}, {{customerName}}, {{orderNumber}}, {{agentName}}).
 *
 * Pure: no I/O. A variable the gateway cannot fill is refused here, naming the entry and field, so no
 * literal "{{…}}" can ever reach a customer. Queues and categories an entry names are checked against
 * routing.yaml and categories.yaml by `checkCannedRepliesAgainst` (the loader runs it).
 */
import { z } from 'zod';

export const CANNED_REPLY_VARIABLES = ['ticketNumber', 'customerName', 'orderNumber', 'agentName'] as const;
export type CannedReplyVariable = (typeof CANNED_REPLY_VARIABLES)[number];

export const CANNED_REPLY_LANGUAGES = ['zh', 'en'] as const;
export type CannedReplyLanguage = (typeof CANNED_REPLY_LANGUAGES)[number];

/** `{{ name }}`: a variable, spaces inside the braces allowed. */
export const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

const title = z.string().trim().min(1, 'the title is empty').max(80, 'a title is at most 80 characters (it is a menu label)');
const text = z.string().trim().min(1, 'the text is empty').max(5_000, 'a canned reply is at most 5,000 characters');

const entrySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'an id of letters, digits, "-", "_" or "." such as ask-order-number'),
    title: z.object({ zh: title, en: title }).strict(),
    text: z.object({ zh: text, en: text }).strict(),
    /** Offered only on tickets in one of these queues (routing.yaml ids); every queue when omitted. */
    queues: z.array(z.string().min(1)).min(1).optional(),
    /** Offered only on tickets of one of these categories (categories.yaml codes, or OTHER); every category when omitted. */
    categories: z
      .array(
        z
          .string()
          .min(1)
          .transform((c) => c.toUpperCase()),
      )
      .min(1)
      .optional(),
  })
  .strict();

/** The problems of one text's variables: unknown names, and braces that do not form a variable. */
export function variableProblems(template: string): string[] {
  const problems: string[] = [];
  const known = CANNED_REPLY_VARIABLES.map((v) => `{{${v}}}`).join(', ');
  for (const m of template.matchAll(VARIABLE)) {
    if (!(CANNED_REPLY_VARIABLES as readonly string[]).includes(m[1]!)) problems.push(`unknown variable ${m[0]}; use one of ${known}`);
  }
  const rest = template.replace(VARIABLE, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push(`"{{" or "}}" that is not part of a variable such as {{ticketNumber}}`);
  return problems;
}

/** `config/canned-replies.yaml`. */
export const cannedRepliesSchema = z
  .object({
    replies: z.array(entrySchema).default([]),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Map<string, number>();
    cfg.replies.forEach((entry, i) => {
      const first = seen.get(entry.id);
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: ['replies', i, 'id'], message: `reply "${entry.id}": duplicate id (also replies[${first}])` });
      else seen.set(entry.id, i);
      for (const lang of CANNED_REPLY_LANGUAGES) {
        for (const problem of variableProblems(entry.text[lang]))
          ctx.addIssue({ code: 'custom', path: ['replies', i, 'text', lang], message: `reply "${entry.id}": ${problem}` });
      }
    });
  });

export type CannedRepliesConfig = z.infer<typeof cannedRepliesSchema>;
export type CannedReply = CannedRepliesConfig['replies'][number];

/**
 * Cross-file checks: the queues and categories an entry is limited to exist. Returns the path of
 * each problem in canned-replies.yaml (for its line) and the reason.
 */
export function checkCannedRepliesAgainst(
  cfg: CannedRepliesConfig,
  known: { queues: string[]; categories: string[] },
): Array<{ path: Array<string | number>; reason: string }> {
  const out: Array<{ path: Array<string | number>; reason: string }> = [];
  cfg.replies.forEach((entry, i) => {
    entry.queues?.forEach((q, j) => {
      if (!known.queues.includes(q))
        out.push({ path: ['replies', i, 'queues', j], reason: `reply "${entry.id}": unknown queue "${q}" (routing.yaml queues: ${known.queues.join(', ')})` });
    });
    entry.categories?.forEach((c, j) => {
      if (!known.categories.includes(c))
        out.push({
          path: ['replies', i, 'categories', j],
          reason: `reply "${entry.id}": unknown category "${c}" (categories.yaml codes: ${known.categories.join(', ')})`,
        });
    });
  });
  return out;
}

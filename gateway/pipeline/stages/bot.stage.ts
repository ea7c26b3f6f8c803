import type { FaqConfig } from '../../../config/faq.schema.js';
import type { FaqDecision } from '../../../nlp/faq/faq-matcher.js';
import type { Stage } from '../context.js';
import { BOT_ANSWERED_TAG } from './handoff.stage.js';

export type FaqDecider = (text: string, opts: { channel: string; language?: string }) => FaqDecision;

const HANDOFF_HINT = {
  zh: '（工单号 {ticketNumber}。如未解决，回复“人工”转人工客服。）',
  en: '(Ticket {ticketNumber}. Not solved? Reply "agent" to reach a person.)',
};

/**
 * The FAQ bot, on every channel: a question the FAQ answers confidently gets the
 * answer at once on the customer's own channel; the ticket then waits on the customer
 * (deflected if they do not come back). A complaint with severity ≤ 2 or emotion ≥ 4
 * is never answered by the bot alone: it goes to a person with the FAQ hint attached.
 */
export function botStage(deps: { faq: () => FaqConfig; decide: FaqDecider }): Stage {
  return {
    name: 'bot',
    async run(ctx, next) {
      const u = ctx.understanding;
      const passive = typeof ctx.message.meta.passiveReply === 'string' ? ctx.message.meta.passiveReply : undefined;
      const decision = deps.decide([ctx.message.subject, ctx.message.text].filter(Boolean).join('\n'), {
        channel: ctx.message.channel,
        language: ctx.language,
      });
      const best = decision.top[0];
      ctx.faq = { entryId: decision.answer?.entryId ?? best?.id, score: decision.answer?.score ?? best?.score ?? 0, answered: false };
      if (!decision.answer && !passive) return next();

      const sensitive = u !== undefined && (u.severity <= 2 || u.emotion >= 4);
      if (sensitive) {
        // A person answers; the agent sees which FAQ entry might help.
        ctx.tags.push('faq-suggested');
        ctx.faq = { ...ctx.faq, suggestedLink: decision.answer?.link, withheld: true };
        return next();
      }
      const lang = decision.answer?.language ?? (ctx.language?.startsWith('zh') ? 'zh' : 'en');
      const text = passive ?? [decision.answer!.text, decision.answer!.link, HANDOFF_HINT[lang]].filter(Boolean).join('\n');
      ctx.replies.push({
        author: 'bot',
        kind: 'bot_answer',
        text,
        // WeChat already sent this answer inside the push response: record it, do not send it again.
        meta: { faqEntry: decision.answer?.entryId ?? null, score: decision.answer?.score ?? null, ...(passive ? { alreadyDelivered: true } : {}) },
      });
      ctx.tags.push(BOT_ANSWERED_TAG);
      ctx.faq = { ...ctx.faq, answered: true };
      await next();
    },
  };
}

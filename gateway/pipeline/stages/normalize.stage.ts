import type { Stage } from '../context.js';

export type TextNormalizer = (text: string) => { normalized: string; language: string };

/** Prepares the text for matching; the original text is kept for display. */
export function normalizeStage(normalize: TextNormalizer): Stage {
  return {
    name: 'normalize',
    async run(ctx, next) {
      const { subject, text } = ctx.message;
      const result = normalize([subject, text].filter(Boolean).join('\n'));
      ctx.normalizedText = result.normalized;
      ctx.language = ctx.message.language ?? result.language;
      // WeChat group messages (wechaty sets meta.group) get the community-group SLA through this tag.
      if (ctx.message.meta.group === true) ctx.tags.push('group');
      await next();
    },
  };
}

import type { Stage, Understanding } from '../context.js';

export type Classifier = (input: { text: string; subject?: string; channel?: string }) => Understanding;

/** Category, severity, emotion and entities for a new ticket. */
export function classifyStage(classify: Classifier): Stage {
  return {
    name: 'classify',
    async run(ctx, next) {
      const { text, subject, channel } = ctx.message;
      ctx.understanding = classify({ text, subject, channel });
      if (ctx.understanding.language && ctx.understanding.language !== 'other') ctx.language = ctx.understanding.language;
      await next();
    },
  };
}

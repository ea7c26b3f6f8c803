import type { IntakeContext, Stage } from './context.js';

/** Runs stages in order, each deciding whether to call the next (botbuilder's middleware shape). */
export async function runStages(stages: readonly Stage[], ctx: IntakeContext): Promise<string[]> {
  const ran: string[] = [];
  const dispatch = async (i: number): Promise<void> => {
    const stage = stages[i];
    if (!stage) return;
    ran.push(stage.name);
    let called = false;
    await stage.run(ctx, async () => {
      if (called) throw new Error(`stage ${stage.name} called next() twice`);
      called = true;
      await dispatch(i + 1);
    });
  };
  await dispatch(0);
  return ran;
}

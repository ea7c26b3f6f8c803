import { problemSignature, sameProblem } from '../../../nlp/similarity/problem-signature.js';
import { SimilarityStore } from '../../../storage/similarity.store.js';
import type { Ticket } from '../../../storage/ticket.store.js';
import { messageTime, type Stage } from '../context.js';

export interface DedupeSettings {
  windowDays: number;
  threshold: number;
}

/**
 * One customer, one problem, one ticket: a message from a customer who already has an
 * open ticket about the same problem — the same order number, or similar text within
 * the window (counted back from when the message was sent) — joins that ticket. Candidates come from the customer's own tickets only.
 */
export function dedupeStage(
  settings: () => DedupeSettings,
  similarity = new SimilarityStore(),
  signatureOf: (text: string) => ReturnType<typeof problemSignature> = problemSignature,
): Stage {
  return {
    name: 'dedupe',
    async run(ctx, next) {
      const { text, subject } = ctx.message;
      const signature = signatureOf([subject, text].filter(Boolean).join('\n'));
      ctx.signature = signature;
      if (ctx.customerId === undefined || ctx.customerIsNew) return next();
      const { windowDays, threshold } = settings();
      const orderNumbers = ctx.orderNumbers ?? [];
      const candidates = await similarity.openForCustomer(ctx.trx, ctx.customerId, messageTime(ctx.message, ctx.now) - windowDays * 86_400_000, {
        orders: orderNumbers.length > 0,
      });
      let best: { ticket: () => Ticket; score: number; reason: string } | undefined;
      for (const c of candidates) {
        const verdict = sameProblem(
          { text, orderNumbers, signature },
          { text: '', orderNumbers: c.orderNumbers, signature: { ...c.signature, bands: [] } },
          threshold,
        );
        if (verdict.same && (!best || verdict.score > best.score)) best = { ticket: c.ticket, score: verdict.score, reason: verdict.reason };
      }
      if (best) {
        ctx.ticket = best.ticket();
        ctx.attachReason = `same problem: ${best.reason}`;
        return; // settled: joins the open ticket
      }
      await next();
    },
  };
}

import type { InboundMessage } from '../../adapters/types.js';
import type { FaqDecision } from '../../nlp/faq/faq-matcher.js';
import { problemSignature } from '../../nlp/similarity/problem-signature.js';
import type { FaqDecider } from './stages/bot.stage.js';
import type { Classifier } from './stages/classify.stage.js';
import type { EvidenceExtractor } from './stages/identify.stage.js';
import type { TextNormalizer } from './stages/normalize.stage.js';
import type { Understanding } from './context.js';

/**
 * A pure function whose result can be computed ahead of time and taken once.
 * `take` returns the prepared result for the same key (and forgets it, so every
 * result object has exactly one consumer) or computes it on the spot.
 */
export class Precomputed<A, R> {
  private readonly ready = new Map<string, R>();

  constructor(
    private readonly fn: (a: A) => R,
    private readonly key: (a: A) => string,
    private readonly max = 1000,
  ) {}

  prepare(a: A): void {
    const k = this.key(a);
    if (this.ready.has(k)) return;
    // Bounded: a result prepared for a message that never asked for it (it joined a ticket the
    // worker thought it would open) is never taken; the oldest such makes room.
    if (this.ready.size >= this.max) this.ready.delete(this.ready.keys().next().value!);
    this.ready.set(k, this.fn(a));
  }

  /** The prepared result, if any, without taking it. */
  peek(a: A): R | undefined {
    return this.ready.get(this.key(a));
  }

  take(a: A): R {
    const k = this.key(a);
    const hit = this.ready.get(k);
    if (hit !== undefined) {
      this.ready.delete(k);
      return hit;
    }
    return this.fn(a);
  }
}

/** The pure (CPU-only) functions the stages call, wrapped so they can be computed ahead. */
export interface PreparedNlp {
  normalize: TextNormalizer;
  evidence: EvidenceExtractor;
  signature: typeof problemSignature;
  classify: Classifier;
  decide: FaqDecider;
  /**
   * Computes, for one message, what the stages will ask of the functions above with the
   * same arguments they will pass. Pure CPU: the pipeline runs it while the database is
   * busy with an earlier message. A wrong guess only costs a recomputation. Classification
   * and the FAQ answer are asked only for a message that opens a ticket: for one expected to
   * join a ticket (`ahead.joinsTicket`) they are left to the stages, which compute them if the
   * guess was wrong.
   */
  prepare(message: InboundMessage, ahead: { joinsTicket: boolean }): void;
}

/**
 * Wraps the stages' pure functions for ahead-of-time computation. Keys carry the config
 * version where the result depends on configuration, so a reload mid-batch is honoured.
 */
export function preparedNlp(deps: {
  normalize: TextNormalizer;
  evidence: EvidenceExtractor;
  classify: Classifier;
  decide: (text: string, opts: { channel: string; language?: string }) => FaqDecision;
  version: () => string;
}): PreparedNlp {
  const normalize = new Precomputed<string, ReturnType<TextNormalizer>>(deps.normalize, (t) => t);
  const evidence = new Precomputed<string, ReturnType<EvidenceExtractor>>(deps.evidence, (t) => `${deps.version()}\u0000${t}`);
  const signature = new Precomputed<string, ReturnType<typeof problemSignature>>(problemSignature, (t) => t);
  type ClassifyInput = Parameters<Classifier>[0];
  const classify = new Precomputed<ClassifyInput, Understanding>(
    deps.classify,
    (i) => `${deps.version()}\u0000${i.channel}\u0000${i.subject ?? '\u0001'}\u0000${i.text}`,
  );
  type DecideInput = { text: string; channel: string; language?: string };
  const decide = new Precomputed<DecideInput, FaqDecision>(
    (i) => deps.decide(i.text, { channel: i.channel, language: i.language }),
    (i) => `${deps.version()}\u0000${i.channel}\u0000${i.language ?? '\u0001'}\u0000${i.text}`,
  );
  return {
    normalize: (text) => normalize.take(text),
    evidence: (text) => evidence.take(text),
    signature: (text) => signature.take(text),
    classify: (input) => classify.take(input),
    decide: (text, opts) => decide.take({ text, channel: opts.channel, language: opts.language }),
    prepare(message, ahead) {
      // The same argument shapes as normalize/identify/dedupe/classify/bot build them.
      const { subject, text, channel } = message;
      const joined = [subject, text].filter(Boolean).join('\n');
      normalize.prepare(joined);
      evidence.prepare(`${subject ?? ''}\n${text}`);
      signature.prepare(joined);
      if (ahead.joinsTicket) return;
      const input = { text, subject, channel };
      classify.prepare(input);
      // The bot stage sees the classifier's language when it has one, else the normalizer's.
      let language = message.language ?? normalize.peek(joined)?.language;
      const u = classify.peek(input);
      if (u?.language && u.language !== 'other') language = u.language;
      decide.prepare({ text: joined, channel, language });
    },
  };
}

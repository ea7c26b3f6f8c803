import type { InboundMessage } from '../adapters/types.js';
import type { GatewayConfig } from '../config/loader.js';
import { boundForAnalysis } from '../nlp/analysis-bounds.js';
import { EntityExtractor } from '../nlp/entity-extractor.js';
import { FaqMatcher } from '../nlp/faq/faq-matcher.js';
import { SynonymTable } from '../nlp/term-matcher.js';
import { detectLanguage, foldText } from '../nlp/text-normalizer.js';
import { UnderstandingEngine, type Understanding, type UnderstandingInput } from '../nlp/understanding.js';
import { TrainedModelFile, type ModelReload } from './trained-model-file.js';
import { understandingVersion } from './understanding-version.js';

/**
 * The gateway's text understanding, built from the active config and rebuilt (in a few
 * milliseconds) only when a reload changes its version: classification, FAQ matching,
 * identity evidence and normalization.
 */
export class NlpServices {
  private modelFile?: TrainedModelFile | null;
  // Rebuilt when the config version or the loaded model changes; `version` says what it was built from.
  private readonly classifier = this.perVersion(
    (c) => {
      const model = this.trainedModel(c);
      return { engine: new UnderstandingEngine(c.categories, model?.model), version: understandingVersion(c.categories, model?.model && model.digest) };
    },
    (c) => String(this.trainedModel(c)?.generation ?? 0),
  );
  private readonly matcher = this.perVersion((c) => new FaqMatcher(c.faq, { synonyms: new SynonymTable(c.categories.synonyms) }));
  private readonly extractor = this.perVersion((c) => new EntityExtractor(c.categories.entities));

  constructor(private readonly config: () => GatewayConfig) {}

  /**
   * Category, severity, emotion, entities and evidence, with the understanding version that made
   * them (`classifiedWith`, see understanding-version.ts): stored on the ticket, it lets replay
   * reuse the classification while categories.yaml and the model stay the same.
   */
  understand(input: UnderstandingInput): Understanding & { classifiedWith: string } {
    const { engine, version } = this.classifier();
    return { ...engine.analyze(input), classifiedWith: version };
  }

  faqMatcher(): FaqMatcher {
    return this.matcher();
  }

  /** Folded text for matching (simplified, half-width, lower case) and the language. */
  normalize(text: string): { normalized: string; language: string } {
    const bounded = boundForAnalysis(text);
    const { folded } = foldText(bounded);
    return { normalized: folded, language: detectLanguage(folded, bounded).language };
  }

  /** E-mail addresses, phone numbers and order numbers written in a message (identity evidence). */
  evidence(text: string): { emails: string[]; phones: string[]; orderNumbers: string[] } {
    const e = this.extractor().identifiers(text);
    const values = (list: Array<{ value: string | null }>) => list.map((x) => x.value).filter((v): v is string => typeof v === 'string' && v.length > 0);
    return { emails: values(e.emails), phones: values(e.phones), orderNumbers: values(e.orderNumbers) };
  }

  /**
   * An answer that is ready at once (WeChat passive reply): a confident FAQ match for a
   * message that is not a sensitive complaint; undefined means "a person or the outbox answers later".
   */
  answerNow(message: InboundMessage): string | undefined {
    const text = [message.subject, message.text].filter(Boolean).join('\n');
    const decision = this.matcher().decide(text, { channel: message.channel, language: message.language });
    if (!decision.answer) return undefined;
    const u = this.understand({ text: message.text, subject: message.subject, channel: message.channel });
    if (u.severity <= 2 || u.emotion >= 4) return undefined;
    return [decision.answer.text, decision.answer.link].filter(Boolean).join('\n');
  }

  /**
   * Builds what the active config needs (classifier, FAQ index, entity patterns) and runs each
   * once, so the first customer message does not pay ~0.2 s of index building and compilation
   * on the event loop.
   */
  warmUp(): void {
    const sample = '您好，我买的水壶漏水了，订单 DD20261124001，请问怎么退货？ The kettle I bought leaks.';
    this.understand({ text: sample });
    this.matcher().decide(sample, {});
    this.evidence(sample);
    this.normalize(sample);
  }

  /**
   * Re-reads the model file named by GATEWAY_NLP_MODEL (on SIGHUP or when the file changes). The
   * next message is classified with the new model; a file that is not a usable model is refused
   * and the model already loaded keeps running.
   */
  reloadModel(): ModelReload {
    const file = this.trainedModel(this.config());
    if (!file) return { applied: false, problem: 'GATEWAY_NLP_MODEL is not set' };
    return file.reload();
  }

  /** The model file (GATEWAY_NLP_MODEL), if one is configured; the path comes from the environment, which does not reload. */
  trainedModel(c: GatewayConfig): TrainedModelFile | undefined {
    if (this.modelFile === undefined) {
      this.modelFile = c.env.GATEWAY_NLP_MODEL ? new TrainedModelFile(c.env.GATEWAY_NLP_MODEL) : null;
      this.modelFile?.loadAtStart();
    }
    return this.modelFile ?? undefined;
  }

  /** A value built from the config (and `extra`, e.g. the model's generation), kept until either changes. */
  private perVersion<T>(build: (config: GatewayConfig) => T, extra: (config: GatewayConfig) => string = () => ''): () => T {
    let cached: { version: string; value: T } | undefined;
    return () => {
      const config = this.config();
      const version = `${config.version}\u0000${extra(config)}`;
      if (cached?.version !== version) cached = { version, value: build(config) };
      return cached.value;
    };
  }
}

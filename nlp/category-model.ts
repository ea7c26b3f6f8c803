/**
 * The learned reading of categories: a linear text model (nlp/text-model.ts) of complaint categories, trained by
 * scripts/train-category-model.ts on the repository's own hand-written labelled sets (complaints, and messages that are
 * none) and categories.yaml's examples. categories.yaml's rules decide first. Keyword lists read best the wording they
 * were tuned on (hundreds of real simplified-Chinese reviews); a writer they never saw, in Traditional Chinese or English,
 * says the same problems in other words, and there a model that learned from several authors reads better
 * (leave-one-author-out cross-validation, bench/RESULTS.md). So the model overrules the rules only in the languages where
 * that cross-validation showed a gain that cost the real reviews nothing, where the rules are less sure and the model
 * surer than the settings chosen there.
 */
import { TextModel, type ModelPrediction, type SerializedTextModel } from './text-model.js';
import type { DetectedLanguage } from './text-normalizer.js';
// Shipped with the code like a dictionary (a module import, not file I/O): scripts/train-category-model.ts writes it.
import shippedFile from './category-model.json' with { type: 'json' };

/** The categories that are no complaint. */
export const NO_COMPLAINT: ReadonlySet<string> = new Set(['OTHER', 'INQ']);
/** What the model reads of a message (bounds its cost on long input; the training texts are a few sentences). */
const MODEL_CHARS = 1000;

/** nlp/category-model.json. */
export interface CategoryModelFile {
  /** The languages in which the model may overrule the rules: the probability it must reach, and the rules' confidence under which. */
  languages: Partial<Record<DetectedLanguage, OverruleSettings>>;
  /** The labelled sets it learned from, besides categories.yaml's examples. */
  trainedOn: string[];
  examples: number;
  /** Per language, texts right by the rules alone and with the model, each text read by a model that never saw its author. */
  crossValidated: Partial<Record<DetectedLanguage, { texts: number; rules: number; withModel: number }>>;
  /**
   * The probability of OTHER from which the model files a complaint the rules read from topic words alone (no problem word,
   * no bad experience, no close example: "会员卡号 880012457", "下雨天最适合点外卖了") as no complaint, in any language;
   * absent: never.
   */
  noComplaintWhereOnlyTopics?: number;
  model: SerializedTextModel;
}

export interface OverruleSettings {
  probability: number;
  belowRuleConfidence: number;
  /** Also where the rules found nothing at all (no topic, no tone): only if cross-validation showed that gains too. */
  whereRulesFoundNothing?: boolean;
  /**
   * Never files as no complaint what the rules read as a complaint with a word of a bad experience beside it (see
   * sparedAsComplaint): only if cross-validation showed that gains.
   */
  sparesBadExperience?: boolean;
}

/** A category read by the model where it overrules the rules. */
export interface CategoryReading {
  label: string;
  probability: number;
}

export class CategoryModel {
  private constructor(
    private readonly model: TextModel,
    private readonly languages: Partial<Record<DetectedLanguage, OverruleSettings>>,
    private readonly onlyTopics: number | undefined,
  ) {}

  static fromData(data: CategoryModelFile): CategoryModel {
    return new CategoryModel(TextModel.fromJSON(data.model), data.languages, data.noComplaintWhereOnlyTopics);
  }

  /** The text model of labelled texts (a category code each: PQ … OTHER, INQ). Deterministic (seeded). */
  static train(rows: ReadonlyArray<{ text: string; category: string }>): TextModel {
    return TextModel.train(
      rows.map((r) => r.text),
      rows.map((r) => r.category),
    );
  }

  /** The model's reading of `text` (its first MODEL_CHARS characters). Take it once per message and pass it on. */
  predict(text: string): ModelPrediction {
    return this.model.predict(text.length > MODEL_CHARS ? text.slice(0, MODEL_CHARS) : text);
  }

  /** Whether the reading is no complaint (OTHER or INQ), with at least this probability. */
  static readsNoComplaint(p: ModelPrediction, probability: number): boolean {
    return NO_COMPLAINT.has(p.label) && p.probability >= probability;
  }

  /**
   * Where the model overrules the rules, its category; otherwise undefined (the rules stand). Either where the language's
   * settings let it speak and take its reading (see maySpeak and takesReading) and the config has that category (`known`);
   * or where the rules read a complaint from topic words alone (see onlyTopics) and it is sure enough of OTHER.
   * `prediction` is called only when needed, at most once.
   */
  overrule(
    prediction: () => ModelPrediction,
    language: DetectedLanguage,
    rules: RulesReading & { topicsOnly: boolean },
    known: (label: string) => boolean,
  ): CategoryReading | undefined {
    const settings = this.languages[language];
    if (settings && maySpeak(settings, rules)) {
      const p = prediction();
      if (takesReading(settings, rules, p)) return known(p.label) ? { label: p.label, probability: p.probability } : undefined;
    }
    if (rules.topicsOnly && this.onlyTopics !== undefined) {
      const other = prediction().top.find((t) => t.label === 'OTHER')?.probability ?? 0;
      if (other >= this.onlyTopics) return { label: 'OTHER', probability: other };
    }
    return undefined;
  }
}

/** What the model is weighed against: the rules' reading of a message. */
export interface RulesReading {
  category: string;
  /** The rules' confidence in it. */
  confidence: number;
  /** They found nothing at all (no topic, no tone). */
  foundNothing: boolean;
  /** They found a word of a bad experience (see badExperience). */
  badExperience: boolean;
}

/**
 * Whether, under a language's settings, the model may speak for a message the rules read so (a prediction costs: ask
 * first): where the rules are less sure than the settings say, or found nothing at all if the settings allow, and did not
 * read no complaint on purpose. scripts/train-category-model.ts chooses the settings with this very rule.
 */
export function maySpeak(settings: OverruleSettings, rules: RulesReading): boolean {
  if (readsNoComplaintOnPurpose(rules)) return false;
  return rules.foundNothing ? settings.whereRulesFoundNothing === true : rules.confidence < settings.belowRuleConfidence;
}

/**
 * Whether, where it may speak, the model's reading replaces the rules': it differs, it is sure enough, and it does not
 * file as no complaint a complaint the settings spare (see sparedAsComplaint).
 */
export function takesReading(settings: OverruleSettings, rules: RulesReading, p: { label: string; probability: number }): boolean {
  return p.label !== rules.category && p.probability >= settings.probability && !(settings.sparesBadExperience === true && sparedAsComplaint(rules, p.label));
}

/**
 * Whether the rules read no complaint (OTHER, INQ) from what they found, not from silence: a question, praise, a verdict
 * alone, a supposed problem, the customer's own slip ("你们双十一搞什么活动？", "差评！！～～", "What happens if my parcel
 * arrives damaged?"). Those readings rest on how words are put together, which a bag-of-words model does not see (it reads
 * the same three as complaints, at 0.9 and more): it never turns them into a complaint.
 */
export function readsNoComplaintOnPurpose(rules: { category: string; foundNothing: boolean }): boolean {
  return !rules.foundNothing && NO_COMPLAINT.has(rules.category);
}

/**
 * Whether a model's `label` would file as no complaint what the rules read as a complaint beside a word of a bad experience
 * ("挺好吃的，就是送太慢了，再也不买了": a bag of words gives OTHER at 0.97; it learned praise as no complaint).
 */
export function sparedAsComplaint(rules: { category: string; badExperience: boolean }, label: string): boolean {
  return rules.badExperience && !NO_COMPLAINT.has(rules.category) && NO_COMPLAINT.has(label);
}

/** Whether the rules' evidence holds a word of a bad experience (tone: negative). */
export function badExperience(evidence: ReadonlyArray<{ kind: string; tone?: string }>): boolean {
  return evidence.some((e) => e.kind === 'tone' && e.tone === 'negative');
}

/**
 * Whether the rules read a complaint from topic words alone: every keyword they matched names a topic (weight at most
 * `topicWeight`: "外卖", "会员", "delivery"), and no example came close and no word of a bad experience was found.
 */
export function onlyTopics(evidence: ReadonlyArray<{ kind: string; weight?: number; tone?: string }>, topicWeight: number): boolean {
  let keywords = 0;
  for (const e of evidence) {
    if (e.kind === 'keyword') {
      keywords++;
      if ((e.weight ?? 0) > topicWeight) return false;
    }
    if (e.kind === 'example' || (e.kind === 'tone' && e.tone === 'negative')) return false;
  }
  return keywords > 0;
}

let shipped: CategoryModel | undefined;
/** The shipped model, built once per process. */
export function shippedCategoryModel(): CategoryModel {
  shipped ??= CategoryModel.fromData(shippedFile as unknown as CategoryModelFile);
  return shipped;
}

/**
 * The learned reading of "this customer needs a person, not the FAQ's answer": a linear text model (nlp/text-model.ts)
 * trained by scripts/train-own-case-model.ts on our hand-written customer messages that use FAQ words (complaints about
 * their own case against questions an entry settles, by five authors) and on faq.yaml's paraphrases (questions).
 * own-case.ts's cues name the kinds of own-case message one by one; a customer says the same things in words no cue
 * lists ("我的包裹被退回去了，我根本没拒收，怎么回事？", "快递说放在门口了，可我家门口什么都没有，包裹呢"), and a model that
 * learned from several authors reads those. FaqMatcher asks it
 * where no cue spoke; its probability threshold is chosen by leave-one-author-out cross-validation (bench/RESULTS.md,
 * bench/faq: on new authors' messages it holds back most complaints the cues miss, and some unhappy questions too).
 */
import { TextModel, type SerializedTextModel } from '../text-model.js';
// Shipped with the code like a dictionary (a module import, not file I/O): scripts/train-own-case-model.ts writes it.
import shippedFile from './own-case-model.json' with { type: 'json' };

/** What the model reads of a message (bounds its cost on long input; the training texts are a few sentences). */
const MODEL_CHARS = 1000;
/** The model's label for a message about the customer's own case. */
const OWN_CASE = 'own-case';
/** …and for a question an FAQ entry settles. */
const QUESTION = 'question';

/** nlp/faq/own-case-model.json. */
export interface OwnCaseModelFile {
  /** The probability of {@link OWN_CASE} from which the FAQ does not answer. */
  threshold: number;
  /** The labelled sets it learned from, besides faq.yaml's paraphrases. */
  trainedOn: string[];
  examples: number;
  /**
   * Leave one author out, at `threshold`, among the messages the FAQ would answer without own-case.ts's cues: own-case
   * messages withheld (gains) and questions answered right withheld (losses).
   */
  crossValidated: { withheld: number; ownCaseAnswered: number; rightLost: number; rightAnswered: number };
  model: SerializedTextModel;
}

export class OwnCaseModel {
  private constructor(
    private readonly model: TextModel,
    readonly threshold: number,
  ) {}

  static fromData(data: OwnCaseModelFile): OwnCaseModel {
    return new OwnCaseModel(TextModel.fromJSON(data.model), data.threshold);
  }

  /** The text model of own-case messages against questions. Deterministic (seeded). */
  static train(rows: ReadonlyArray<{ text: string; ownCase: boolean }>): TextModel {
    return TextModel.train(
      rows.map((r) => r.text),
      rows.map((r) => (r.ownCase ? OWN_CASE : QUESTION)),
    );
  }

  /** The probability that `text` is about the customer's own case, by `model` (one OwnCaseModel.train made), from its first MODEL_CHARS characters. */
  static probabilityBy(model: TextModel, text: string): number {
    const head = text.length > MODEL_CHARS ? text.slice(0, MODEL_CHARS) : text;
    return model.predict(head).top.find((t) => t.label === OWN_CASE)?.probability ?? 0;
  }

  /** The probability that `text` is about the customer's own case. */
  probability(text: string): number {
    return OwnCaseModel.probabilityBy(this.model, text);
  }

  /** The message reads as the customer's own case (at least the threshold). */
  readsOwnCase(text: string): boolean {
    return this.probability(text) >= this.threshold;
  }
}

let shipped: OwnCaseModel | undefined;
/** The shipped model, built once per process. */
export function shippedOwnCaseModel(): OwnCaseModel {
  shipped ??= OwnCaseModel.fromData(shippedFile as unknown as OwnCaseModelFile);
  return shipped;
}

/**
 * The learned half of severity: a linear text model (nlp/text-model.ts) that tells urgent complaints from
 * the rest, trained by scripts/train-severity-model.ts on the repository's own hand-written labelled sets.
 * categories.yaml's severity terms decide first (they name the level and keep safety words' power); the
 * model speaks only where they found nothing urgent, and raises a complaint to level 2 when its urgency
 * probability reaches the threshold chosen by cross-validation. Keyword lists cannot name every way a
 * customer says "this is serious"; the model reads the rest of the sentence (held-out sets it never saw:
 * urgent recall 0.56 → 0.88 where their author also wrote a training set, 0.55 → 0.65 for another author —
 * bench/RESULTS.md).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageClauses } from './faq/message-clauses.js';
import { TextModel, type SerializedTextModel } from './text-model.js';
import { foldText } from './text-normalizer.js';
// Shipped with the code like a dictionary (a module import, not file I/O): scripts/train-severity-model.ts writes it.
import shippedFile from './severity-model.json' with { type: 'json' };

/** Where scripts/train-severity-model.ts writes the model. */
export const SEVERITY_MODEL_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'severity-model.json');
/**
 * What the model reads of a message: its training texts are complaints of a few sentences, and a customer says
 * what is at stake early. Bounds its cost on long input (char n-grams of 8,000 characters cost ~10 ms).
 */
const MODEL_CHARS = 1000;
/** The model's label for severity 1 or 2. */
export const URGENT = 'urgent';

/** nlp/severity-model.json. */
export interface SeverityModelFile {
  /** Urgency probability from which the model raises a complaint to level 2. */
  threshold: number;
  trainedOn: string[];
  examples: number;
  /**
   * The most clauses (nlp/faq/message-clauses.ts) of any training text: a longer message is unlike everything the model
   * learned from, and it does not read it. On the real reviews read for tuning (bench/nlp halves A and C), the model raised
   * none of them right and 6 wrong, 5 of those reviews of 5 to 15 clauses listing several points; the longest of its
   * training texts has 7.
   */
  maxClauses?: number;
  /** What the rules and the model together reached in cross-validation at `threshold`. */
  crossValidated: { recall: number; precision: number };
  model: SerializedTextModel;
}

export class SeverityModel {
  private constructor(
    private readonly model: TextModel,
    readonly threshold: number,
    private readonly maxClauses: number | undefined,
  ) {}

  static fromData(data: SeverityModelFile): SeverityModel {
    return new SeverityModel(TextModel.fromJSON(data.model), data.threshold, data.maxClauses);
  }

  /** How many clauses `text` has, as {@link SeverityModelFile.maxClauses} counts them (up to 24). */
  static clauses(text: string): number {
    return messageClauses(foldText(text).folded).length;
  }

  /**
   * The text model of labelled texts (severity 1–4): urgent (1, 2) against the rest. Deterministic (seeded).
   * Words and character n-grams without word bigrams: as good in cross-validation (recall 0.660 vs 0.644 at
   * precision 0.91) and cheaper to predict.
   */
  static train(rows: ReadonlyArray<{ text: string; severity: number }>): TextModel {
    return TextModel.train(
      rows.map((r) => r.text),
      rows.map((r) => (r.severity <= 2 ? URGENT : 'other')),
      { bigrams: false },
    );
  }

  /**
   * The probability that `text` is urgent (level 1 or 2), read from its first MODEL_CHARS characters; 0 when its first
   * paragraph has more clauses than any text the model learned from ({@link SeverityModelFile.maxClauses}): a run of a dozen
   * small points is unlike everything it learned, while a short complaint followed by a pasted log or a quoted thread is
   * still read. Where the message has more than one paragraph, the first paragraph is also read alone and the higher
   * reading counts: a pasted log's hundreds of ordinary words would otherwise drown the complaint above it, while a
   * greeting alone ("Dear Sir/Madam,") leaves the whole to speak.
   */
  urgency(text: string): number {
    const first = firstParagraph(text);
    if (this.maxClauses !== undefined && SeverityModel.clauses(first) > this.maxClauses) return 0;
    const head = text.length > MODEL_CHARS ? text.slice(0, MODEL_CHARS) : text;
    const whole = this.probability(head);
    return first.length < head.trim().length ? Math.max(whole, this.probability(first)) : whole;
  }

  private probability(text: string): number {
    return this.model.predict(text).top.find((t) => t.label === URGENT)?.probability ?? 0;
  }
}

/** The text up to its first line break after some content (at most MODEL_CHARS characters). */
function firstParagraph(text: string): string {
  const head = text.slice(0, MODEL_CHARS);
  const m = /\S[^\n]*/.exec(head);
  return m ? m[0] : '';
}

let shipped: SeverityModel | undefined;
/** The shipped model, built once per process. */
export function shippedSeverityModel(): SeverityModel {
  shipped ??= SeverityModel.fromData(shippedFile as unknown as SeverityModelFile);
  return shipped;
}

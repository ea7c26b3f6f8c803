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
import { TextModel, type SerializedTextModel } from './text-model.js';
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
  /** What the rules and the model together reached in cross-validation at `threshold`. */
  crossValidated: { recall: number; precision: number };
  model: SerializedTextModel;
}

export class SeverityModel {
  private constructor(
    private readonly model: TextModel,
    readonly threshold: number,
  ) {}

  static fromData(data: SeverityModelFile): SeverityModel {
    return new SeverityModel(TextModel.fromJSON(data.model), data.threshold);
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

  /** The probability that `text` is urgent (level 1 or 2), read from its first MODEL_CHARS characters. */
  urgency(text: string): number {
    const head = text.length > MODEL_CHARS ? text.slice(0, MODEL_CHARS) : text;
    return this.model.predict(head).top.find((t) => t.label === URGENT)?.probability ?? 0;
  }
}

let shipped: SeverityModel | undefined;
/** The shipped model, built once per process. */
export function shippedSeverityModel(): SeverityModel {
  shipped ??= SeverityModel.fromData(shippedFile as unknown as SeverityModelFile);
  return shipped;
}

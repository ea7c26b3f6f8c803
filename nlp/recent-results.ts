/**
 * The results of a pure function for the last few texts it was given. The stages of the pipeline
 * each read a message through the same first steps (bounding, folding): `prepare` runs them one
 * after another on one message, so the second stage to bound or fold the same text finds it here
 * instead of doing it again. A text is compared with `===` (its length first): a miss costs little.
 */
export class RecentResults<V> {
  private readonly keys: Array<string | undefined>;
  private readonly values: Array<V | undefined>;
  private next = 0;

  constructor(size: number) {
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.values = new Array<V | undefined>(size).fill(undefined);
  }

  /** `compute(text)`, or the value it gave for the same text a moment ago. */
  get(text: string, compute: (text: string) => V): V {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] === text) return this.values[i]!;
    const value = compute(text);
    this.keys[this.next] = text;
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.keys.length;
    return value;
  }
}

/**
 * Replay's classifier gives every text the classification one thread gives it, whichever way the
 * work is spread: on worker threads, on workers this thread stands in for until they are ready, in
 * batches of any size asked for several at a time (as replay asks for the pages ahead of the one it
 * decides), with and without its cache of repeated texts. A batch put together out of order, or a
 * cache that took two texts for one (the same words under another subject), fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../config/loader.js';
import { ReplayClassifier, type Classified } from '../../../gateway/replay-classifier.js';
import type { UnderstandingInput } from '../../../nlp/understanding.js';

const FIXTURES = 'test/fixtures/nlp';
const CHANNELS = ['email', 'webform', 'sms', 'wechat', 'webchat', 'api'];

/** Every hand-written complaint of test/fixtures/nlp (Chinese and English, 1,150), on varied channels, some with a subject. */
function inputs(): UnderstandingInput[] {
  const texts = ['handwritten-complaints', 'routine-complaints', 'second-author-tune', 'urgency-tune', 'urgency-tune-2'].flatMap((file) =>
    readFileSync(path.join(FIXTURES, `${file}.jsonl`), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => (JSON.parse(line) as { text: string }).text),
  );
  return [
    ...texts.map((text, i) => ({
      text,
      channel: CHANNELS[i % CHANNELS.length],
      ...(i % 5 === 0 ? { subject: i % 10 === 0 ? 'Complaint' : '投诉' } : {}),
    })),
    // The same words under another subject, or none: the subject is read with them.
    ...['Still nothing. Very disappointed.', '还是没有任何消息，太失望了'].flatMap((text) => [
      { text, channel: 'email' },
      { text, channel: 'email', subject: 'Parcel never arrived' },
      { text, channel: 'email', subject: '快递丢了' },
      { text, channel: 'email', subject: 'Charged twice for one order' },
    ]),
  ];
}

/** The texts in batches of uneven sizes (1 to 301), all asked for at once, the results joined in order. */
async function inBatches(classifier: ReplayClassifier, all: UnderstandingInput[]): Promise<Classified[]> {
  const sizes = [1, 7, 64, 301, 2, 150, 33];
  const batches: Array<Promise<Classified[]>> = [];
  for (let start = 0, k = 0; start < all.length; k++) {
    const size = sizes[k % sizes.length]!;
    batches.push(classifier.classify(all.slice(start, start + size)));
    start += size;
  }
  return (await Promise.all(batches)).flat();
}

describe("replay's classifier: the same classification however the texts are spread", function () {
  this.timeout(120_000);
  const config = loadConfig({ dir: 'config', env: { DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' } });
  const texts = inputs();
  const distinct = new Set(texts.map((t) => JSON.stringify([t.channel, t.subject, t.text]))).size;
  let oneThread: Classified[];

  before(async function () {
    const classifier = new ReplayClassifier({ categories: config.categories, cache: false });
    oneThread = [];
    for (const input of texts) oneThread.push(...(await classifier.classify([input])));
    await classifier.close();
    expect(oneThread).to.have.length(texts.length);
    expect(new Set(oneThread.map((c) => c.category)).size, 'the texts fall in several categories').to.be.greaterThan(4);
    const bySubject = oneThread.slice(-8).map((c) => c.category);
    expect(new Set(bySubject.slice(0, 4)).size, 'a subject changes how the same words are read').to.be.greaterThan(1);
  });

  const cases: Array<{ name: string; workers: number; cache: boolean }> = [
    { name: 'on two ready workers', workers: 2, cache: false },
    { name: 'on three ready workers', workers: 3, cache: false },
    { name: 'on two ready workers, repeated texts classified once', workers: 2, cache: true },
    { name: 'in this thread, repeated texts classified once', workers: 0, cache: true },
  ];
  for (const c of cases) {
    it(c.name, async function () {
      const classifier = new ReplayClassifier({ categories: config.categories, cache: c.cache });
      try {
        classifier.startWorkers(c.workers);
        await classifier.workersStarted();
        expect(await inBatches(classifier, texts)).to.deep.equal(oneThread);
        const ran = classifier.classified;
        expect(ran, 'texts the classifier ran on').to.be.at.least(distinct).and.at.most(texts.length);
        if (c.cache) {
          // The second time every text is a repeat: none is classified again, each gets what it got.
          expect(await inBatches(classifier, texts)).to.deep.equal(oneThread);
          expect(classifier.classified).to.equal(ran);
        }
      } finally {
        await classifier.close();
      }
    });
  }

  it('with this thread classifying until two workers are ready, then the workers', async function () {
    const classifier = new ReplayClassifier({ categories: config.categories, cache: false });
    try {
      classifier.startWorkers(2);
      const half = Math.floor(texts.length / 2);
      // Asked before the workers are ready: classified here. Then the workers take the rest.
      const first = inBatches(classifier, texts.slice(0, half));
      await classifier.workersStarted();
      const rest = inBatches(classifier, texts.slice(half));
      expect([...(await first), ...(await rest)]).to.deep.equal(oneThread);
    } finally {
      await classifier.close();
    }
  });
});

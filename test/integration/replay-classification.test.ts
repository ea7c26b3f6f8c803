/**
 * Replay reuses the classification stored with a ticket when the candidate's categories.yaml (and
 * model) are the ones it was classified with, and classifies again otherwise: a lead sees the same
 * report either way (`reclassify` classifies every ticket again to compare), including after a
 * categories edit was applied since the tickets came in, and with a trained model deciding some
 * tickets. The command line shows its progress on stderr and keeps stdout for the report.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../config/loader.js';
import { main } from '../../gateway/cli.js';
import { writeModelFile } from '../../gateway/commands/train-from-history.js';
import { replay, type ReplayReport } from '../../gateway/replay.js';
import { TextModel } from '../../nlp/text-model.js';
import { TEST_DATABASES } from '../support/databases.js';
import { copyStoreTo } from '../support/store-copies.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const DAY_MS = 86_400_000;

/** A copy of the shipped config with `edit` applied to one file. */
function configCopy(edits: Partial<Record<'routing.yaml' | 'categories.yaml', (text: string) => string>> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-replay-config-'));
  cpSync('config', dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  for (const [file, edit] of Object.entries(edits)) {
    const full = path.join(dir, file);
    writeFileSync(full, edit(readFileSync(full, 'utf8')));
  }
  return dir;
}

const logisticsToTrade = (y: string) => y.replace(/(- id: logistics\b[\s\S]*?queue: )logistics/, '$1trade');
/** A bad experience that names no topic goes to service (SP) instead of product quality. */
const fallbackToService = (y: string) => {
  if (!y.includes('\n  fallbackCategory: PQ\n')) throw new Error('config/categories.yaml: tone.fallbackCategory is no longer PQ');
  return y.replace('\n  fallbackCategory: PQ\n', '\n  fallbackCategory: SP\n');
};

/** The report without what may differ between equal runs: time taken, and how many were classified again. */
const result = (r: ReplayReport) => ({ ...r, elapsedMs: 0, reclassified: 0 });

function capture(isTTY = false) {
  const out = { text: '', err: '' };
  return {
    out,
    io: {
      stdout: { write: (s: string) => ((out.text += s), true) } as never,
      stderr: { isTTY, write: (s: string) => ((out.err += s), true) } as never,
    },
  };
}

for (const db of TEST_DATABASES) {
  describe(`replay's stored classifications on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let running: string;
    const dirs: string[] = [];
    const numbers: Record<string, string> = {};
    const texts = {
      late: '我的快递已经超过一周还没送到，物流信息一直不更新。',
      fire: 'The heater I bought caught fire and my son was burned.',
      // A bad experience that names no topic: tone.fallbackCategory decides its category.
      awful: '太差了，再也不买了，非常失望',
      refund: 'I was charged twice for the same order. Please refund the second payment.',
      rude: '客服态度太差了，打了三次电话都没人解决',
    };

    async function post(key: string, text: string): Promise<void> {
      const posted = await gw.api('POST', '/api/v1/messages', { externalId: key, from: { address: `${key}@example.com` }, text });
      await gw.settle();
      numbers[key] = (await gw.api('GET', `/api/v1/messages/${posted.body.id}`)).body.ticket.number;
    }

    before(async function () {
      running = configCopy();
      dirs.push(running);
      gw = await startTestGateway({ db, configDir: running });
      for (const [key, text] of Object.entries(texts)) await post(key, text);
    });

    after(async function () {
      await gw?.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    const candidate = (edits: Parameters<typeof configCopy>[0]) => {
      const dir = configCopy(edits);
      dirs.push(dir);
      return loadConfig({ dir, env: { DATABASE_URL: gw.database.url } });
    };

    it('keeps the stored classification for a routing edit, and reports what classifying every ticket again reports', async function () {
      const routing = candidate({ 'routing.yaml': logisticsToTrade });
      const reused = await replay(gw.gateway.db, routing, { sinceMs: DAY_MS });
      const again = await replay(gw.gateway.db, routing, { sinceMs: DAY_MS, reclassify: true });
      expect(reused.reclassified, 'a routing edit classifies nothing again').to.equal(0);
      expect(again.reclassified).to.equal(5);
      expect(reused.counts.queue).to.equal(1);
      expect(reused.samples.queue[0]).to.include({ ticket: numbers.late, before: 'logistics', after: 'trade' });
      expect(result(reused)).to.deep.equal(result(again));

      const unchanged = loadConfig({ dir: running, env: { DATABASE_URL: gw.database.url } });
      const same = await replay(gw.gateway.db, unchanged, { sinceMs: DAY_MS });
      expect(same.changed, 'the running config changes nothing').to.equal(0);
      expect(same.reclassified).to.equal(0);
    });

    it('classifies every ticket again for a categories edit, the same on worker threads as in one thread', async function () {
      const categories = candidate({ 'categories.yaml': fallbackToService });
      const inThread = await replay(gw.gateway.db, categories, { sinceMs: DAY_MS, workers: 0 });
      expect(inThread.reclassified).to.equal(5);
      expect(inThread.counts.category).to.equal(1);
      expect(inThread.samples.category[0]).to.include({ ticket: numbers.awful, before: 'PQ', after: 'SP' });
      const onWorkers = await replay(gw.gateway.db, categories, { sinceMs: DAY_MS, workers: 2, reclassify: true });
      expect(result(onWorkers)).to.deep.equal(result(inThread));
    });

    it('classifies again the tickets that came in before the last categories edit, even when previewing the running config', async function () {
      // The lead applies the categories edit; the gateway reloads it, and one more complaint comes in.
      writeFileSync(path.join(running, 'categories.yaml'), fallbackToService(readFileSync(path.join(running, 'categories.yaml'), 'utf8')));
      expect(gw.gateway.reloadConfig().applied).to.equal(true);
      await post('awful2', '真的太差劲了，非常失望，再也不会来了');
      expect((await gw.api('GET', `/api/v1/tickets/${numbers.awful2}`)).body.category).to.equal('SP');

      const now = loadConfig({ dir: running, env: { DATABASE_URL: gw.database.url } });
      const reused = await replay(gw.gateway.db, now, { sinceMs: DAY_MS });
      expect(reused.reclassified, 'the five tickets classified under the old categories.yaml').to.equal(5);
      expect(reused.counts.category).to.equal(1);
      expect(reused.samples.category[0]).to.include({ ticket: numbers.awful, before: 'PQ', after: 'SP' });
      expect(result(reused)).to.deep.equal(result(await replay(gw.gateway.db, now, { sinceMs: DAY_MS, reclassify: true })));
    });

    it('gateway replay shows its progress on stderr and keeps stdout for the report', async function () {
      const saved = process.env.DATABASE_URL;
      process.env.DATABASE_URL = gw.database.url;
      try {
        const dir = configCopy({ 'routing.yaml': logisticsToTrade });
        dirs.push(dir);
        const log = capture();
        expect(await main(['replay', '--config', dir, '--since', '1d', '--json'], log.io)).to.equal(0);
        const report = JSON.parse(log.out.text) as ReplayReport;
        expect(report.scanned).to.equal(6);
        expect(log.out.err).to.match(/^replay: 6 of 6 tickets \(100 %\), \d+\.\d s\n$/);

        const terminal = capture(true);
        expect(await main(['replay', '--config', dir, '--since', '1d', '--reclassify'], terminal.io)).to.equal(0);
        expect(terminal.out.err).to.match(/^\r\[#{30}\] 6 of 6 tickets \(100 %\), \d+\.\d s\n$/);
        expect(terminal.out.text).to.match(/^replayed 6 ticket\(s\) in \d+\.\d s; \d+ would change\nclassified again: 6 /);
      } finally {
        if (saved === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = saved;
      }
    });
  });

  describe(`replay over many pages on ${db}`, function () {
    this.timeout(120_000);
    let gw: TestGateway;
    const dirs: string[] = [];

    before(async function () {
      gw = await startTestGateway({ db });
      // Every third hand-written complaint (Chinese and English), then copies of each with words added, so no two texts are the same.
      const complaints = readFileSync('test/fixtures/nlp/handwritten-complaints.jsonl', 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => (JSON.parse(line) as { text: string }).text)
        .filter((_t, i) => i % 3 === 0);
      let n = 0;
      for (const text of complaints) {
        n++;
        await gw.api('POST', '/api/v1/messages', { externalId: `pages-${n}`, from: { address: `pages${n}@example.com` }, text });
      }
      await gw.settle();
      expect(await copyStoreTo(gw.gateway.db, n * 8, { distinctTexts: true })).to.equal(n * 8);
    });

    after(async function () {
      await gw?.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('reports the same changes, ticket by ticket, in pages of 7 on worker threads as in one thread', async function () {
      const dir = configCopy({ 'categories.yaml': fallbackToService, 'routing.yaml': logisticsToTrade });
      dirs.push(dir);
      const candidate = loadConfig({ dir, env: { DATABASE_URL: gw.database.url } });
      // Every change kept as a sample: the report lists each ticket that changes, with the rules that fired.
      const all = { sinceMs: DAY_MS, samples: Number.MAX_SAFE_INTEGER };
      const oneThread = await replay(gw.gateway.db, candidate, { ...all, workers: 0, reclassify: true });
      expect(oneThread.scanned).to.be.greaterThan(200);
      expect(oneThread.changed, 'the copies read differently, and the edits move tickets').to.be.greaterThan(20);
      for (const opts of [
        { workers: 2, pageSize: 7, reclassify: true },
        { workers: 2, pageSize: 7 },
        { workers: 0, pageSize: 7 },
      ]) {
        expect(result(await replay(gw.gateway.db, candidate, { ...all, ...opts })), JSON.stringify(opts)).to.deep.equal(result(oneThread));
      }
    });
  });

  describe(`replay with the gateway's trained model on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    const modelDir = mkdtempSync(path.join(tmpdir(), 'gw-replay-model-'));
    const modelFile = path.join(modelDir, 'model.json');
    // Things the keyword rules know nothing about: the model decides them.
    const gate = ['小区门口的道闸杆早上又抬不起来', '车库道闸识别不了我的车牌', '地库出口的道闸杆落下来', '道闸杆又坏了抬不起来'];
    const fountain = ['楼下的喷泉半夜一直哗哗响', '喷泉每天晚上还在放音乐', '花园里的喷泉水溅到步道上', '喷泉半夜还在响'];

    before(async function () {
      writeModelFile(modelFile, TextModel.trainWithSynonyms([...gate, ...fountain], [...gate.map(() => 'PQ'), ...fountain.map(() => 'SP')], []));
      gw = await startTestGateway({ db, env: { GATEWAY_NLP_MODEL: modelFile } });
      let n = 0;
      for (const text of ['车库的道闸杆今天又抬不起来了', '喷泉半夜一直在放音乐']) {
        await gw.api('POST', '/api/v1/messages', { externalId: `model-${++n}`, from: { address: `resident${n}@example.com` }, text });
        await gw.settle();
      }
      const items = (await gw.api('GET', '/api/v1/tickets')).body.items as Array<{ id: number }>;
      const sources = await Promise.all(items.map(async (t) => (await gw.api('GET', `/api/v1/tickets/${t.id}`)).body.understanding.source));
      expect(sources, 'the model decided both').to.deep.equal(['model', 'model']);
    });

    after(async function () {
      await gw?.stop();
      rmSync(modelDir, { recursive: true, force: true });
    });

    it('previews an edit in the console with the model the gateway classifies with', async function () {
      const routing = (await gw.api('GET', '/api/v1/config/files/routing.yaml')).body.content as string;
      let job = (await gw.api('POST', '/api/v1/config/files/routing.yaml/previews', { content: logisticsToTrade(routing), days: 1 })).body;
      while (!job.finished) {
        await new Promise((r) => setTimeout(r, 50));
        job = (await gw.api('GET', `/api/v1/config/previews/${job.id}`)).body;
      }
      expect(job.report).to.include({ scanned: 2, changed: 0, reclassified: 0 });
    });

    it('gateway replay classifies with GATEWAY_NLP_MODEL, as the gateway does', async function () {
      const saved = { url: process.env.DATABASE_URL, model: process.env.GATEWAY_NLP_MODEL };
      process.env.DATABASE_URL = gw.database.url;
      process.env.GATEWAY_NLP_MODEL = modelFile;
      const dir = configCopy();
      try {
        for (const extra of [[], ['--reclassify']]) {
          const run = capture();
          expect(await main(['replay', '--config', dir, '--since', '1d', '--json', ...extra], run.io)).to.equal(0);
          expect(JSON.parse(run.out.text)).to.include({ scanned: 2, changed: 0, reclassified: extra.length ? 2 : 0 });
        }
      } finally {
        for (const [key, value] of [
          ['DATABASE_URL', saved.url],
          ['GATEWAY_NLP_MODEL', saved.model],
        ] as const) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { faqEvalCommand } from '../../../../gateway/commands/faq-eval.command.js';

function io(configDir?: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  return { io: { stdout, stderr, configDir }, out: () => out, err: () => err };
}

describe('gateway faq-eval', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'faq-eval-'));

  it('prints top-1 accuracy, coverage and accuracy of answered for a JSONL file against the shipped FAQ', async () => {
    const file = path.join(dir, 'q.jsonl');
    writeFileSync(
      file,
      [
        { text: '退款多久到账', expected: 'refund-time' },
        { text: 'how do i cancel my order', expected: 'cancel-order' },
        { text: '怎么开发票', expected: 'invoice' },
        // Ranked right by the matcher but asked about a different entry: counts against accuracy.
        { text: 'where is my parcel', expected: 'delivery-time' },
        { text: '你们的客服态度太差了', expected: null },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n') + '\n',
    );
    const t = io();
    expect(await faqEvalCommand(['--data', file], t.io)).to.equal(0);
    expect(t.out()).to.include('questions: 5 (4 with an expected entry, 1 expecting no answer)');
    expect(t.out()).to.include('top-1 accuracy: 75.0 %');
    expect(t.out()).to.include('coverage: 80.0 % (4 of 5 answered by the bot)');
    expect(t.out()).to.include('accuracy of answered: 75.0 %');
    expect(t.out()).to.include('out-of-FAQ questions answered anyway: 0.0 %');
    expect(t.out()).to.include('questions with an expected entry answered: 100.0 % (4 of 4), 75.0 % of those answers right');
    expect(t.out()).to.match(/answered order-tracking \(0\.\d\d\), expected delivery-time: where is my parcel/);
  });

  it('reads CSV with text,expected columns and uses faq.yaml from the config directory', async () => {
    const configDir = mkdtempSync(path.join(tmpdir(), 'faq-cfg-'));
    writeFileSync(
      path.join(configDir, 'faq.yaml'),
      'threshold: 0.3\nentries:\n  - id: hours\n    questions: { en: [what are your opening hours, when are you open] }\n    answers: { en: { text: "9 to 5." } }\n',
    );
    const file = path.join(dir, 'q.csv');
    writeFileSync(file, 'text,expected\n"When are you open, on Sundays?",hours\nhow do i return an item,\n');
    const t = io(configDir);
    expect(await faqEvalCommand(['--data', file], t.io)).to.equal(0);
    expect(t.out()).to.include('threshold: 0.3');
    expect(t.out()).to.include('top-1 accuracy: 100.0 %');
    expect(t.out()).to.include('coverage: 50.0 % (1 of 2 answered by the bot)');
  });

  it('--threshold overrides the configured one: 1 answers nothing', async () => {
    const file = path.join(dir, 'one.jsonl');
    writeFileSync(file, '{"text":"退款多久到账","expected":"refund-time"}\n');
    const t = io();
    expect(await faqEvalCommand(['--data', file, '--threshold', '1'], t.io)).to.equal(0);
    expect(t.out()).to.include('coverage: 0.0 % (0 of 1 answered by the bot)');
  });

  it('says what is wrong with a bad line, a missing --data and a bad faq.yaml', async () => {
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"text":"ok","expected":"invoice"}\nnot json\n');
    let t = io();
    expect(await faqEvalCommand(['--data', bad], t.io)).to.equal(1);
    expect(t.err()).to.match(/bad\.jsonl:2: not JSON/);

    t = io();
    expect(await faqEvalCommand([], t.io)).to.equal(2);
    expect(t.err()).to.include('--data is required');

    const configDir = mkdtempSync(path.join(tmpdir(), 'faq-bad-'));
    writeFileSync(path.join(configDir, 'faq.yaml'), 'entries:\n  - id: x\n    questions: { en: [hi] }\n    answers: { zh: { text: 你好 } }\n');
    t = io(configDir);
    expect(await faqEvalCommand(['--data', bad], t.io)).to.equal(1);
    expect(t.err()).to.include('entry "x": has en questions but no en answer');
  });
});

import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { CANNED_REPLY_VARIABLES } from '../../../config/canned-replies.schema.js';
import { loadConfig } from '../../../config/loader.js';
import { main } from '../../../gateway/cli.js';
import { offeredOn, renderCannedReply } from '../../../gateway/canned-replies.js';

/** A copy of the shipped config with canned-replies.yaml replaced. */
function configWithCannedReplies(yaml: string | undefined): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-canned-'));
  cpSync('config', dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  if (yaml === undefined) rmSync(path.join(dir, 'canned-replies.yaml'));
  else writeFileSync(path.join(dir, 'canned-replies.yaml'), yaml);
  return dir;
}

async function checkConfig(dir: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => ((out += s), true) } as never, stderr: { write: (s: string) => ((err += s), true) } as never };
  const code = await main(['check-config', '--config', dir], io);
  return { code, out, err };
}

const entry = (text: string, extra = '') => `replies:
  - id: sample
    title: { zh: 示例, en: Sample }${extra}
    text:
      zh: "您好，工单 {{ticketNumber}}"
      en: "${text}"
`;

describe('canned replies config', function () {
  it('ships 4–6 entries in zh and en that use only the known variables', function () {
    const { replies } = loadConfig({ dir: 'config', env: {} }).cannedReplies;
    expect(replies.length).to.be.within(4, 6);
    for (const r of replies) {
      for (const lang of ['zh', 'en'] as const) {
        expect(r.title[lang], `${r.id} title.${lang}`).to.be.a('string').and.not.equal('');
        const rendered = renderCannedReply(r.text[lang], {});
        expect(rendered, `${r.id} text.${lang}`).to.not.match(/\{\{|\}\}/);
      }
    }
    expect(replies.map((r) => r.id)).to.include.members(['apology-looking-into-it', 'ask-order-number', 'refund-initiated', 'resolved-please-confirm']);
  });

  it('check-config names file, line and field of an unknown variable', async function () {
    const dir = configWithCannedReplies(entry('Hello {{customer}}, about {{ticketNumber}}'));
    const result = await checkConfig(dir);
    expect(result.code).to.equal(1);
    expect(result.err).to.match(
      /canned-replies\.yaml:6 replies\[0\]\.text\.en: reply "sample": unknown variable \{\{customer\}\}; use one of \{\{ticketNumber\}\}, \{\{customerName\}\}, \{\{orderNumber\}\}, \{\{agentName\}\}/,
    );
  });

  it('refuses braces that form no variable, duplicate ids, and unknown queues or categories', async function () {
    let result = await checkConfig(configWithCannedReplies(entry('Hello {{customerName}, see {{ }}')));
    expect(result.code).to.equal(1);
    expect(result.err).to.match(/replies\[0\]\.text\.en: reply "sample": unknown variable \{\{ \}\}/);
    expect(result.err).to.match(/replies\[0\]\.text\.en: reply "sample": "\{\{" or "\}\}" that is not part of a variable/);

    result = await checkConfig(configWithCannedReplies(`${entry('Hi')}${entry('Hi').replace('replies:\n', '')}`));
    expect(result.err).to.match(/canned-replies\.yaml:7 replies\[1\]\.id: reply "sample": duplicate id/);

    result = await checkConfig(configWithCannedReplies(entry('Hi', '\n    queues: [logistics, nowhere]\n    categories: [lg, XX]')));
    expect(result.code).to.equal(1);
    expect(result.err).to.match(/canned-replies\.yaml:4 replies\[0\]\.queues\[1\]: reply "sample": unknown queue "nowhere"/);
    expect(result.err).to.match(/canned-replies\.yaml:5 replies\[0\]\.categories\[1\]: reply "sample": unknown category "XX"/);
    expect(result.err).to.not.match(/"LG"/);
  });

  it('is optional: without the file there are no canned replies', async function () {
    const dir = configWithCannedReplies(undefined);
    expect(loadConfig({ dir, env: {} }).cannedReplies.replies).to.deep.equal([]);
    expect((await checkConfig(dir)).code).to.equal(0);
  });
});

describe('canned reply rendering', function () {
  it('fills every variable', function () {
    const text = CANNED_REPLY_VARIABLES.map((v) => `{{${v}}}`).join('|');
    expect(renderCannedReply(text, { ticketNumber: 'C-1', customerName: '王芳', orderNumber: 'DD1', agentName: 'li.lei' })).to.equal('C-1|王芳|DD1|li.lei');
    expect(renderCannedReply('{{ ticketNumber }}', { ticketNumber: 'C-1' })).to.equal('C-1');
  });

  it('leaves no braces and no stray spacing where a value is missing', function () {
    expect(renderCannedReply('Hello {{customerName}}, order {{orderNumber}} is on its way. {{agentName}}', {})).to.equal('Hello, order is on its way.');
    expect(renderCannedReply('{{customerName}}您好，工单号 {{ticketNumber}}', { ticketNumber: 'C-1' })).to.equal('您好，工单号 C-1');
    expect(renderCannedReply('（工单号 {{ticketNumber}}）', {})).to.equal('（工单号）');
    expect(renderCannedReply('line one {{agentName}}\nline two', {})).to.equal('line one\nline two');
    expect(renderCannedReply('odd {{unknown}} name', {})).to.equal('odd name');
  });

  it('offers an entry only on the queues and categories it names', function () {
    const base = { id: 'x', title: { zh: 'x', en: 'x' }, text: { zh: 'x', en: 'x' } };
    expect(offeredOn(base, { queue: 'general', category: null })).to.equal(true);
    expect(offeredOn({ ...base, categories: ['LG'] }, { queue: 'general', category: 'LG' })).to.equal(true);
    expect(offeredOn({ ...base, categories: ['LG'] }, { queue: 'general', category: 'PQ' })).to.equal(false);
    expect(offeredOn({ ...base, categories: ['OTHER'] }, { queue: 'general', category: null })).to.equal(true);
    expect(offeredOn({ ...base, queues: ['logistics'] }, { queue: 'general', category: 'LG' })).to.equal(false);
  });
});

import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { COMPLAINT_OR_QUESTION_FILE, FOURTH_AUTHOR_FILES, SECOND_AUTHOR_FILES } from '../../../../bench/faq/faq-tasks.js';
import { loadFaqFile } from '../../../../config/load-faq.js';
import { foldText } from '../../../../nlp/text-normalizer.js';

/**
 * The FAQ sets of the second, third and fourth authors (bench/faq) measure faq.yaml on messages written blind to its paraphrases. They only can
 * while their labels name real entries and no line of them is in faq.yaml: this fails when someone copies one in.
 */
describe('the FAQ sets written blind to faq.yaml (tuning and held out)', () => {
  type Line = { text: string; expected: string | null; language: string; traits: string[] };
  const read = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
  const tune = read(SECOND_AUTHOR_FILES.tune);
  const check = read(SECOND_AUTHOR_FILES.check);
  const complaintOrQuestion = read(COMPLAINT_OR_QUESTION_FILE);
  const fourthTune = read(FOURTH_AUTHOR_FILES.tune);
  const fourthCheck = read(FOURTH_AUTHOR_FILES.check);
  const faq = loadFaqFile();
  const bare = (s: string) => foldText(s).folded.replace(/[^\p{L}\p{N}]/gu, '');

  it('labels every line with an entry of the shipped faq.yaml, or null, in all three languages', () => {
    const ids = new Set(faq.entries.map((e) => e.id));
    for (const lines of [tune, check, complaintOrQuestion, fourthTune, fourthCheck]) {
      for (const l of lines) if (l.expected !== null) expect(ids.has(l.expected), `${l.text}: ${l.expected}`).to.equal(true);
      expect(new Set(lines.filter((l) => l.expected !== null).map((l) => l.expected)).size).to.equal(ids.size);
      expect(lines.filter((l) => l.expected === null).length).to.be.at.least(40);
      expect(new Set(lines.map((l) => l.language))).to.deep.equal(new Set(['zh-Hans', 'zh-Hant', 'en']));
    }
  });

  it('shares no line with the other set, and hardly any with faq.yaml (after folding traditional characters and punctuation)', () => {
    const paraphrases = new Set(faq.entries.flatMap((e) => [...(e.questions.zh ?? []), ...(e.questions.en ?? [])]).map(bare));
    const tuneLines = new Set(tune.map((l) => bare(l.text)));
    for (const l of check) expect(tuneLines.has(bare(l.text)), l.text).to.equal(false);
    // A blind author's shortest questions may be word for word a paraphrase ("多少钱包邮"); copying lines in is more.
    for (const l of check) expect(bare(l.text) !== '' && complaintOrQuestion.some((o) => bare(o.text) === bare(l.text)), l.text).to.equal(false);
    const tuning = new Set([...tune, ...complaintOrQuestion, ...fourthTune].map((l) => bare(l.text)));
    for (const l of [...check, ...fourthCheck]) expect(tuning.has(bare(l.text)), l.text).to.equal(false);
    for (const lines of [tune, check, complaintOrQuestion, fourthTune, fourthCheck])
      expect(lines.filter((l) => paraphrases.has(bare(l.text))).length).to.be.at.most(Math.ceil(lines.length * 0.02));
  });
});

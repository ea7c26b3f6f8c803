/**
 * Trains the learned reading of categories (nlp/category-model.json): a linear text model of complaint categories,
 * taught by our own hand-written labelled sets (test/fixtures/nlp; their authors wrote them for this repository) and
 * categories.yaml's examples, and decides where it may overrule the rules.
 *
 * The choice is made the way a new customer would meet the model: leave one author out. Each author's texts are read
 * by a model trained on the other authors (and the examples) and compared with the rules' reading. Per language, the
 * model may overrule the rules where they are less sure than some confidence and it is at least some probability sure
 * (and, as a third setting, where they found nothing at all; as a fourth, whether it spares a complaint the rules read beside a
 * word of a bad experience from being filed as none), with the settings whose gain is surest (the highest
 * gains − losses − 1.645 √(gains + losses), a one-sided sign test), only where that bound is above zero. Simplified
 * Chinese is checked on real reviews too: the rules were tuned on hundreds of them, so halves A and C of bench/nlp's real
 * reviews (the halves read for tuning; never training data) count with the hand-written texts, and settings that lose
 * any of them net, or any of their complaints, are not taken. The same readings choose, for every language together, how
 * sure of OTHER the model must be to file as no complaint a complaint the rules read from topic words alone. The rules
 * were tuned on these hand-written sets as well, so they look better here than on new text: the comparison leans against
 * the model. The held-out sets (test/fixtures/nlp-heldout) and halves B and D are never read here.
 *
 *   npm run train:category        # node --import tsx scripts/train-category-model.ts: writes nlp/category-model.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCategoriesFile } from '../config/load-categories.js';
import { badExperience, CategoryModel, maySpeak, NO_COMPLAINT, onlyTopics, takesReading, type CategoryModelFile } from '../nlp/category-model.js';
import { TOPIC_WEIGHT, UnderstandingEngine } from '../nlp/understanding.js';
import { detectLanguage, foldText, warmUpNormalizer, type DetectedLanguage } from '../nlp/text-normalizer.js';

const MODEL_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'nlp', 'category-model.json');

/** Our hand-written labelled sets, by author (a text is never read by a model that learned from its author). */
export const TRAINING_SETS: Record<string, string[]> = {
  first: ['test/fixtures/nlp/handwritten-complaints.jsonl'],
  second: ['test/fixtures/nlp/second-author-tune.jsonl', 'test/fixtures/nlp/urgency-tune.jsonl'],
  third: ['test/fixtures/nlp/urgency-tune-2.jsonl'],
  fourth: ['test/fixtures/nlp/fourth-author-tune.jsonl'],
  sixth: ['test/fixtures/nlp/sixth-author-tune.jsonl'],
  routine: ['test/fixtures/nlp/routine-complaints.jsonl'],
  // The eighth, ninth, tenth and eleventh authors' sets since 2026-12-07: with all four, each held-out set read better than
  // without them (with the eighth and ninth alone, on 2026-12-06, the held-out sets had moved −2 and −6 net). The order of
  // the sets changes the model a little (it learns in order); this one's cross-validation gained most when it was chosen
  // (+101 −25 over the three languages, against +97 −24 with the four in author order; before the fourth setting below).
  // The twelfth and thirteenth authors' tuning sets since 2026-12-08, after the eleventh (the order with them before or after the
  // eighth came out even in cross-validation: +155 −35 and +156 −36).
  ninth: ['test/fixtures/nlp/ninth-author-tune.jsonl'],
  tenth: ['test/fixtures/nlp/tenth-author-tune.jsonl'],
  eleventh: ['test/fixtures/nlp/eleventh-author-tune.jsonl'],
  twelfth: ['test/fixtures/nlp/twelfth-author-reviews-tune.jsonl'],
  thirteenth: ['test/fixtures/nlp/thirteenth-author-tune.jsonl'],
  eighth: ['test/fixtures/nlp/review-style-complaints.jsonl'],
  notComplaints: ['test/fixtures/nlp/not-complaints.jsonl'],
};
/**
 * Sets read in two halves instead of left out whole: the messages that are no complaint at all. Left out whole, the model
 * reading them would have learned from almost none (the other sets are complaints), unlike the shipped one.
 */
const READ_IN_HALVES = new Set(['notComplaints']);
const PROBABILITIES = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
/** The rules' confidence under which the model may speak (1.01: whatever the rules' confidence). */
const RULE_CONFIDENCES = [0.5, 0.6, 0.7, 0.8, 0.9, 1.01];

interface Labelled {
  text: string;
  category: string;
}

interface Reading {
  gold: string;
  language: DetectedLanguage;
  rules: string;
  /** The rules' confidence in their reading. */
  confidence: number;
  /** The rules found nothing at all (no topic, no tone): the model does not speak (see CategoryModel.overrule). */
  silent: boolean;
  /** The rules read a complaint from topic words alone (see onlyTopics). */
  topicsOnly: boolean;
  /** The rules found a word of a bad experience (see CategoryModel.overrule's sparesBadExperience). */
  badExperience: boolean;
  /** The model's probability of OTHER. */
  other: number;
  label: string;
  probability: number;
  /** A real review: OTHER is also right as INQ (bench/nlp counts them so). */
  review: boolean;
}

const readJsonl = (file: string): Labelled[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Labelled);

/** categories.yaml's example complaints, labelled with their category. */
export function exampleRows(config = loadCategoriesFile()): Labelled[] {
  return config.categories.flatMap((c) => c.subcategories.flatMap((s) => [...s.examples.zh, ...s.examples.en].map((text) => ({ text, category: c.code }))));
}

/** What the shipped model learns from: every author's texts and categories.yaml's examples, in order. */
export function trainingRows(files: readonly string[] = Object.values(TRAINING_SETS).flat(), config = loadCategoriesFile()): Labelled[] {
  return [...files.flatMap(readJsonl), ...exampleRows(config)];
}

const right = (r: Reading, got: string) => got === r.gold || (r.review && r.gold === 'OTHER' && NO_COMPLAINT.has(got));

/**
 * Texts gained and lost when the readings `moved` names a category for take it instead of the rules' (undefined: the rules
 * stand), the net on the real reviews alone, and `bound`: the net gain less 1.645 standard deviations of a sign test.
 */
function tally(readings: readonly Reading[], moved: (r: Reading) => string | undefined) {
  let gains = 0;
  let losses = 0;
  let reviews = 0;
  let reviewComplaints = 0;
  for (const r of readings) {
    const to = moved(r);
    if (to === undefined) continue;
    const change = Number(right(r, to)) - Number(right(r, r.rules));
    if (change > 0) gains++;
    if (change < 0) losses++;
    if (r.review) reviews += change;
    if (r.review && r.gold !== 'OTHER') reviewComplaints += change;
  }
  return { gains, losses, reviews, reviewComplaints, bound: gains - losses - 1.645 * Math.sqrt(gains + losses) };
}

/**
 * Per language, texts right by the rules, and for each combination of settings (the model's probability at least, the
 * rules' confidence below, and whether also where the rules found nothing) the gains and losses when the model overrules
 * the rules; `bound` is the net gain less 1.645 standard
 * deviations of a sign test (positive: more than chance).
 */
export function compare(readings: readonly Reading[]) {
  const byLanguage = new Map<DetectedLanguage, Reading[]>();
  for (const r of readings) byLanguage.set(r.language, [...(byLanguage.get(r.language) ?? []), r]);
  return [...byLanguage].map(([language, rows]) => ({
    language,
    texts: rows.length,
    rules: rows.filter((r) => right(r, r.rules)).length,
    at: [false, true].flatMap((sparesBadExperience) =>
      [false, true].flatMap((whereRulesFoundNothing) =>
        PROBABILITIES.flatMap((probability) =>
          RULE_CONFIDENCES.map((ruleConfidence) => {
            const settings = { probability, belowRuleConfidence: ruleConfidence, whereRulesFoundNothing, sparesBadExperience };
            // The shipped model's own rule (nlp/category-model.ts), under these settings.
            const moved = (r: Reading) => {
              const rules = { category: r.rules, confidence: r.confidence, foundNothing: r.silent, badExperience: r.badExperience };
              return maySpeak(settings, rules) && takesReading(settings, rules, r) ? r.label : undefined;
            };
            return { probability, ruleConfidence, whereRulesFoundNothing, sparesBadExperience, ...tally(rows, moved) };
          }),
        ),
      ),
    ),
  }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  warmUpNormalizer();
  const config = loadCategoriesFile();
  const rules = new UnderstandingEngine(config, undefined, { learnedCategory: false });
  const examples = exampleRows(config);
  const authors = Object.fromEntries(Object.entries(TRAINING_SETS).map(([author, files]) => [author, files.flatMap(readJsonl)]));
  const readings: Reading[] = [];
  const complaintCodes = new Set(config.categories.filter((c) => c.kind === 'complaint').map((c) => c.code));
  const read = (model: ReturnType<typeof CategoryModel.train>, rows: Labelled[], review: boolean) => {
    for (const r of rows) {
      const u = rules.analyze({ text: r.text });
      const p = model.predict(r.text);
      readings.push({
        gold: r.category,
        language: detectLanguage(foldText(r.text).folded, r.text).language,
        rules: u.category,
        confidence: u.confidence,
        silent: u.source === 'none',
        topicsOnly: complaintCodes.has(u.category) && onlyTopics(u.evidence, TOPIC_WEIGHT),
        badExperience: badExperience(u.evidence),
        other: p.top.find((t) => t.label === 'OTHER')?.probability ?? 0,
        label: p.label,
        probability: p.probability,
        review,
      });
    }
  };
  // Each group is read by a model trained on every other group and the examples. A group is one author's texts, or half of
  // a set that no other author's texts resemble (see READ_IN_HALVES).
  const groups = Object.entries(authors).flatMap(([author, rows]) =>
    READ_IN_HALVES.has(author) ? [0, 1].map((half) => rows.filter((_, i) => i % 2 === half)) : [rows],
  );
  for (const group of groups) {
    const others = groups.filter((g) => g !== group).flat();
    read(CategoryModel.train([...others, ...examples]), group, false);
  }
  const everything = trainingRows(Object.values(TRAINING_SETS).flat(), config);
  const model = CategoryModel.train(everything);
  // Real reviews live outside the repository (bench only): imported here so that the module itself stays self-contained.
  const { sharedData } = await import('../bench/shared-data.js');
  const { devHalf, readExtraLabelled } = await import('../bench/nlp/extra-labels.js');
  const reviews = readFileSync(sharedData('complaints_zh_labelled', 'complaints_zh.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Labelled)
    .filter((r) => devHalf(r.text) === 'A');
  read(model, [...reviews, ...readExtraLabelled().filter((r) => r.half === 'C')], true);

  const languages: CategoryModelFile['languages'] = {};
  const crossValidated: CategoryModelFile['crossValidated'] = {};
  for (const row of compare(readings)) {
    console.log(`${row.language}: ${row.texts} texts, rules right ${row.rules}`);
    for (const a of row.at) {
      if (a.gains + a.losses > 0)
        console.log(
          `  p ≥ ${a.probability.toFixed(2)}, rules < ${a.ruleConfidence}${a.whereRulesFoundNothing ? ' or silent' : ''}${a.sparesBadExperience ? ', sparing a bad experience' : ''}: +${a.gains} −${a.losses} (reviews ${a.reviews}, of their complaints ${a.reviewComplaints})`,
        );
    }
    // The settings whose gain is surest (highest bound) and that cost the real reviews nothing, neither in all nor among
    // their complaints (issue 17 measures accuracy on the complaints: a setting that trades complaints for reviews it files
    // as no complaint lowers it); on a tie, the model speaking least.
    const best = row.at
      .filter((a) => a.bound > 0 && a.reviews >= 0 && a.reviewComplaints >= 0)
      .sort(
        (x, y) =>
          y.bound - x.bound ||
          Number(x.whereRulesFoundNothing) - Number(y.whereRulesFoundNothing) ||
          Number(x.sparesBadExperience) - Number(y.sparesBadExperience) ||
          y.probability - x.probability ||
          x.ruleConfidence - y.ruleConfidence,
      )[0];
    if (!best) continue;
    languages[row.language] = {
      probability: best.probability,
      belowRuleConfidence: best.ruleConfidence,
      whereRulesFoundNothing: best.whereRulesFoundNothing,
      ...(best.sparesBadExperience ? { sparesBadExperience: true } : {}),
    };
    crossValidated[row.language] = { texts: row.texts, rules: row.rules, withModel: row.rules + best.gains - best.losses };
    console.log(
      `  chosen: p ≥ ${best.probability}, rules' confidence < ${best.ruleConfidence}${best.whereRulesFoundNothing ? ', and where they found nothing' : ''}${best.sparesBadExperience ? ', sparing a bad experience' : ''} (+${best.gains} −${best.losses})`,
    );
  }
  // Complaints read from topic words alone, filed as no complaint where the model is sure of OTHER: every language together.
  const topics = PROBABILITIES.map((probability) => ({
    probability,
    ...tally(readings, (r) => (r.topicsOnly && r.other >= probability ? 'OTHER' : undefined)),
  }));
  console.log('complaints read from topic words alone, as no complaint:');
  for (const t of topics) if (t.gains + t.losses > 0) console.log(`  p(OTHER) ≥ ${t.probability.toFixed(2)}: +${t.gains} −${t.losses} (reviews ${t.reviews})`);
  const topicsBest = topics
    .filter((t) => t.bound > 0 && t.reviews >= 0 && t.reviewComplaints >= 0)
    .sort((x, y) => y.bound - x.bound || y.probability - x.probability)[0];
  if (topicsBest) console.log(`  chosen: p(OTHER) ≥ ${topicsBest.probability} (+${topicsBest.gains} −${topicsBest.losses})`);
  const file: CategoryModelFile = {
    languages,
    trainedOn: Object.values(TRAINING_SETS).flat(),
    examples: everything.length,
    crossValidated,
    ...(topicsBest ? { noComplaintWhereOnlyTopics: topicsBest.probability } : {}),
    model: model.toJSON(),
  };
  writeFileSync(MODEL_FILE, JSON.stringify(file) + '\n');
  console.log(`wrote ${MODEL_FILE} (${everything.length} texts; overrules the rules in ${Object.keys(languages).join(', ') || 'no language'})`);
}

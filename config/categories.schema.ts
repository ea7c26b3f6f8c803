import { z } from 'zod';

/** Words that decide a term's sense: Chinese words match inside the text, English words match whole (stemmed). */
const senseWords = z.array(z.union([z.string().min(1), z.number().transform(String)])).min(1);

/**
 * A keyword or phrase, optionally weighted: `破损` or `{ term: 丢件, weight: 3 }`. A word with two
 * senses names the words that tell them apart: `{ term: leak, with: [data, privacy] }` counts only
 * when one of those words is in the message too, `{ term: leak, without: [data, privacy] }` only
 * when none is (a leaking kettle is a quality problem, leaked data a privacy one). `near` asks more: one of its words
 * in the term's own clause (`{ term: 裂, near: [送到, 寄到] }`: "鱼缸送到就裂了" is damage on the way, "用了三天就裂了"
 * is not; "送到了。用了三天就裂了" neither).
 */
const term = z.union([
  z.string().min(1),
  // A bare number in YAML (12315, the consumer hotline) is meant as text.
  z.number().transform(String),
  z
    .object({
      term: z.string().min(1),
      weight: z.number().positive().max(100).default(1),
      with: senseWords.optional(),
      without: senseWords.optional(),
      near: senseWords.optional(),
    })
    .strict(),
]);

/**
 * Terms per language. Chinese terms match inside the text (no word boundaries in Chinese) after
 * traditional → simplified folding; English terms match whole stemmed words in order ("not arrived"
 * matches "hasn't arrived yet"). Both lists are applied to every message, so mixed text works.
 */
const terms = z
  .object({
    zh: z.array(term).default([]),
    en: z.array(term).default([]),
  })
  .strict()
  .prefault({});

const names = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();

/**
 * Example complaints of a sub-code, in the words customers use. A message is compared with them
 * (word and character overlap, the way the FAQ compares questions with paraphrases); a close
 * example speaks where the keywords are silent or disagree, and `gateway explain` names it.
 */
const examples = z
  .object({
    zh: z.array(z.string().min(2).max(500)).default([]),
    en: z.array(z.string().min(2).max(500)).default([]),
  })
  .strict()
  .prefault({});

const subcategory = z
  .object({
    code: z.string().regex(/^[A-Z]{2,4}-\d{2}$/, 'a sub-code such as LG-01'),
    name: names,
    keywords: terms,
    examples,
  })
  .strict();

const category = z
  .object({
    code: z.string().regex(/^[A-Z]{2,5}$/, 'a code of 2-5 capital letters such as LG'),
    name: names,
    /**
     * `inquiry` categories (questions, suggestions) win only when no complaint category fired:
     * "请问我的快递怎么还没到" is a late delivery, not a question.
     */
    kind: z.enum(['complaint', 'inquiry']).default('complaint'),
    /** Severity when no cue says otherwise (suggestions 4, ordinary complaints 3). */
    severity: z.number().int().min(1).max(4).default(3),
    keywords: terms,
    /** If given, at least one of these must appear or the category does not fire at all. */
    require: terms,
    /** Any of these present vetoes the category (e.g. "sizing question" for a quality rule). */
    exclude: terms,
    subcategories: z.array(subcategory).default([]),
  })
  .strict();

const severityCues = z
  .object({
    level1: terms,
    level2: terms,
    level4: terms,
    /** A complaint naming an amount of money at least this large (any currency) is severity 2: real money at stake. */
    largeAmount: z.number().positive().optional(),
    /** A complaint about an order of at least `min` of these units ("50份", "两百箱", "40 lunch boxes") is severity 2: a bulk order. */
    bulkOrder: z
      .object({
        min: z.number().int().min(2),
        units: z.object({ zh: z.array(z.string().min(1)).default([]), en: z.array(z.string().min(1)).default([]) }).strict(),
      })
      .strict()
      .optional(),
    /**
     * The learned half of severity (nlp/severity-model.ts): where the terms above find nothing urgent in a
     * complaint, a text model trained on the repository's labelled examples may raise it to level 2. false: terms only.
     */
    learned: z.boolean().default(true),
  })
  .strict()
  .prefault({});

const entityPattern = z
  .object({
    /** JavaScript regular expression source; with a capture group, group 1 is the value. */
    pattern: z
      .string()
      .min(1)
      .refine((p) => {
        try {
          new RegExp(p, 'giu');
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression'),
  })
  .strict();

/** `config/categories.yaml`: taxonomy, keyword rules, synonyms, severity and emotion cues, entity patterns. */
export const categoriesSchema = z
  .object({
    /** Below this rule confidence the statistical model (if one is loaded) decides. */
    ruleConfidence: z.number().min(0).max(1).default(0.6),
    /**
     * The shipped category model (nlp/category-model.ts) may overrule the rules in the languages where it read new authors
     * better than they did (nlp/category-model.json names them: Traditional Chinese and English today). false: categories from the rules alone.
     */
    learnedCategories: z.boolean().default(true),
    /** Groups of words that mean the same for matching; the first is the canonical form. */
    synonyms: z.array(z.array(z.string().min(1)).min(2)).default([]),
    /** Words that cancel a keyword right after them ("没有破损", "not damaged"). */
    negations: terms,
    categories: z.array(category).default([]),
    /**
     * Whether a message complains at all. `negative`: words of a bad experience ("太差了",
     * "disappointed"); a message with one and no category keyword goes to `fallbackCategory`
     * (what most real complaints are about: the goods). `positive`: praise, thanks and
     * chit-chat ("很好", "thanks a lot"); a message with those and nothing negative is not a
     * complaint (OTHER, severity 4), whatever topic words it mentions.
     */
    tone: z
      .object({
        fallbackCategory: z
          .string()
          .regex(/^[A-Z]{2,5}$/)
          .optional(),
        negative: terms,
        positive: terms,
        /** "but", "但是": praise before one of these is the polite start of a complaint. */
        contrast: terms,
        /**
         * "其他都挺好", "otherwise fine": praise kept for the rest, so the problem the message names stands, as after a
         * "but".
         */
        exception: terms,
        /** "好的，收到", "OK, will do": an acknowledgement that stands alone as a clause is chit-chat, like praise. */
        acknowledgement: terms,
        /** Words of an opinion on content, taste or the news ("作者", "文笔", "抵制"): no problem to fix. */
        opinion: terms,
        /**
         * A problem put right ("已经修好了", "sorted", "got my refund"): with praise or thanks and nothing
         * negative, the message reports a settled matter, so its safety words are history, not urgency.
         */
        settled: terms,
        /** "still", "还是", "again": a problem that goes on, so a settled word in the same message settles nothing. */
        ongoing: terms,
        /**
         * A scare that was no problem ("以为被盗刷，原来是老公买的", "false alarm, it was my own card"): whatever it
         * names, the message is not a complaint, and its safety words tell what was feared, not what happened.
         */
        falseAlarm: terms,
        /**
         * The customer's own slip ("I ordered the wrong size", "我拍错了颜色"): what they ask for after it ("can I exchange it?")
         * is no bad experience; a problem they also name stays a complaint.
         */
        ownSlip: terms,
      })
      .strict()
      .prefault({}),
    severity: severityCues,
    emotion: z
      .object({
        anger: terms,
        anxiety: terms,
        /** Threats to go public or to a regulator: strong emotion (and severity cues of their own). */
        threats: terms,
      })
      .strict()
      .prefault({}),
    entities: z
      .object({
        orderNumbers: z.array(entityPattern).default([]),
        skus: z.array(entityPattern).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const fallback = cfg.tone.fallbackCategory;
    if (fallback && !cfg.categories.some((c) => c.code === fallback)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tone', 'fallbackCategory'],
        message: `unknown category ${fallback}: use one of ${cfg.categories.map((c) => c.code).join(', ')}`,
      });
    }
    const seen = new Set<string>();
    cfg.categories.forEach((c, i) => {
      if (seen.has(c.code)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'code'], message: `duplicate category code ${c.code}` });
      seen.add(c.code);
      c.subcategories.forEach((s, j) => {
        if (!s.code.startsWith(`${c.code}-`)) {
          ctx.addIssue({ code: 'custom', path: ['categories', i, 'subcategories', j, 'code'], message: `sub-code ${s.code} must start with ${c.code}-` });
        }
        if (seen.has(s.code)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'subcategories', j, 'code'], message: `duplicate sub-code ${s.code}` });
        seen.add(s.code);
      });
    });
  });

export type CategoriesSettings = z.infer<typeof categoriesSchema>;
export type TermList = z.infer<typeof terms>;
export type TermSpec = z.infer<typeof term>;
export type CategoryExamples = z.infer<typeof examples>;

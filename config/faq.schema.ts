/**
 * Schema for `config/faq.yaml`: the questions a bot may answer at once, in which words customers
 * ask them (paraphrases per language), the answer per language, and when the bot hands over.
 *
 * Pure: no I/O. The config loader (or `config/load-faq.ts` for the CLI) reads the file and
 * calls `faqSchema`. Cross-entry checks (unique ids, an answer for every language that has
 * questions) name the entry id, so a support lead knows which entry to fix.
 */
import { z } from 'zod';
import { CHANNEL_IDS } from '../contracts/channel-ids.js';

/** Languages an FAQ entry can be written in. Traditional Chinese questions are folded to simplified. */
export const FAQ_LANGUAGES = ['zh', 'en'] as const;
export type FaqLanguage = (typeof FAQ_LANGUAGES)[number];

/** Replies that mean "get me a person": matched after trimming politeness words, not inside long sentences. */
export const DEFAULT_HANDOFF_PHRASES = {
  zh: ['没用', '没有用', '没帮助', '不是这个', '不对', '转人工', '人工', '人工客服', '真人', '客服', '找客服', '0'],
  en: [
    'not helpful',
    'unhelpful',
    "didn't help",
    'did not help',
    'no help',
    'agent',
    'human',
    'person',
    'real person',
    'operator',
    'representative',
    'not what i asked',
    '0',
  ],
};

const answerSchema = z
  .object({
    text: z.string().trim().min(1, 'the answer text is empty'),
    /** A help-centre page with the full procedure; sent after the text. */
    link: z.url({ message: 'link must be a full URL such as https://help.example.com/returns' }).optional(),
  })
  .strict();

const questionText = z.string().trim().min(1, 'a question paraphrase is empty');

const entrySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'an id of letters, digits, "-", "_" or "." such as refund-time'),
    tags: z.array(z.string().min(1)).default([]),
    /** Channels where this entry may answer; all channels when omitted. */
    channels: z.array(z.enum(CHANNEL_IDS)).min(1).optional(),
    /** Ways customers ask this question, per language: several short, realistic paraphrases. */
    questions: z
      .object({ zh: z.array(questionText).optional(), en: z.array(questionText).optional() })
      .strict()
      .prefault({}),
    answers: z.object({ zh: answerSchema.optional(), en: answerSchema.optional() }).strict().prefault({}),
  })
  .strict();

/** `config/faq.yaml`. */
export const faqSchema = z
  .object({
    /**
     * Answer only when the entry classifier's probability for the best entry (0-1, see nlp/faq) is at
     * or above this. Higher = fewer but more reliable answers. bench/faq shows the trade-off.
     */
    threshold: z.number().min(0).max(1).default(0.35),
    /** If set, the best entry's probability must beat the runner-up's by this much, or nobody is sure (shipped: 0.2). */
    minMargin: z.number().min(0).max(1).optional(),
    /**
     * The part of the message that answers must share at least this much wording with the entry's
     * paraphrases (0-1, TF-IDF similarity): a message about something the FAQ never mentions is not
     * answered, however sure the classifier is about which entry is least unlike it.
     */
    minSimilarity: z.number().min(0).max(1).default(0.15),
    /**
     * Beside own-case.ts's cues, a learned model reads whether a message is about the customer's own case (a complaint
     * that uses FAQ words: a person answers it). false: the cues alone.
     */
    learnedOwnCase: z.boolean().default(true),
    handoffPhrases: z
      .object({
        zh: z.array(z.union([z.string().min(1), z.number().transform(String)])).default(DEFAULT_HANDOFF_PHRASES.zh),
        en: z.array(z.union([z.string().min(1), z.number().transform(String)])).default(DEFAULT_HANDOFF_PHRASES.en),
      })
      .strict()
      .prefault({}),
    /** A bot-answered conversation with no customer follow-up within this many minutes counts as deflected. */
    deflectionMinutes: z.number().int().positive().default(60),
    entries: z.array(entrySchema).default([]),
  })
  .strict()
  .superRefine((faq, ctx) => {
    const seen = new Map<string, number>();
    faq.entries.forEach((entry, i) => {
      const first = seen.get(entry.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['entries', i, 'id'], message: `entry "${entry.id}": duplicate id (also entries[${first}])` });
      } else seen.set(entry.id, i);
      const asked = FAQ_LANGUAGES.filter((l) => (entry.questions[l]?.length ?? 0) > 0);
      const answered = FAQ_LANGUAGES.filter((l) => entry.answers[l] !== undefined);
      if (asked.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['entries', i, 'questions'],
          message: `entry "${entry.id}": needs at least one question (questions.zh or questions.en)`,
        });
      }
      if (answered.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['entries', i, 'answers'], message: `entry "${entry.id}": needs at least one answer (answers.zh or answers.en)` });
      }
      for (const lang of asked) {
        if (answered.length > 0 && !answered.includes(lang)) {
          ctx.addIssue({
            code: 'custom',
            path: ['entries', i, 'answers', lang],
            message: `entry "${entry.id}": has ${lang} questions but no ${lang} answer (add answers.${lang})`,
          });
        }
      }
    });
  });

/** A validated FAQ configuration. */
export type FaqConfig = z.infer<typeof faqSchema>;
/** One validated FAQ entry. */
export type FaqEntry = FaqConfig['entries'][number];
/** One answer of an entry. */
export type FaqAnswer = z.infer<typeof answerSchema>;

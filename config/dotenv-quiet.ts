/**
 * natural (nlp's English stemmer and stop words) is CommonJS and runs dotenv when required, which prints to
 * stdout unless told to be quiet; stdout is our JSONL channel in `gateway classify`. nlp reads no environment,
 * so the variable is set here: `nlp/text-normalizer.ts` imports this module before it requires natural.
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';

export {};

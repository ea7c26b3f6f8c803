// ESLint (flat config): typescript-eslint's recommended rules without type information (fast), a few settings
// that fit this codebase, and the module rules that keep the layers apart (README, Tests and development).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** An import of one of our top-level folders, from anywhere below another one: `../storage/db.js`, `../../gateway/x.js`. */
const folder = (...names) => `^(\\.\\./)+(${names.join('|')})/`;

/** no-restricted-imports patterns: each folder in `names` with the reason given. */
const forbid = (names, message) => ({ regex: folder(...names), message });

/** The same for dynamic `import()` (no-restricted-imports sees only static imports and re-exports). */
const forbidDynamic = (names, message) => ({ selector: `ImportExpression > Literal.source[value=/${folder(...names).replaceAll('/', '\\u002F')}/]`, message });

const ADAPTERS = 'adapters never touch the database or the gateway: take what you need as a constructor argument typed by contracts/ or adapters/types.ts';
const NLP = 'nlp is pure: it imports no adapters, storage or gateway code (callers hand it what they read)';
const STORAGE = 'storage knows nothing about channels or text analysis: shared types live in contracts/';
const CONTRACTS = 'contracts/ is imported by every layer and imports nothing of ours';
const NLP_FS = 'nlp does no file I/O: read the file in config/load-*.ts or the gateway and hand nlp the text or the parsed object';
const NLP_ENV = 'nlp reads no environment: the config loader reads it and passes settings down';
const NLP_LOADERS = 'nlp does no file I/O, not even through a loader: the loaders call nlp, not the other way round';

export default defineConfig(
  { ignores: ['node_modules/', 'data/', 'tmp/', 'docs/', 'test/fixtures/', 'console/.bundle/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A leading underscore marks a parameter or a destructured-away field as unused on purpose;
      // an unused `catch (err)` binding is harmless.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none' }],
      // Sanitising input means matching control characters on purpose (intake, e-mail, Twilio, WeChat).
      'no-control-regex': 'off',
      // `cond ? a() : b()` and `x && f()` as statements are deliberate.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // `let x; … closures read x …; x = value` (a late-bound store) is not a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Database rows from knex are untyped: `Record<string, any>` is the row type in storage.
    // Tests, benchmarks and scripts poke at JSON responses and driver internals.
    files: ['storage/**', 'test/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // chai's property assertions (`expect(x).to.be.ok`) are expressions.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    // Scripts served to browsers as they are (the widget, local times on the status page).
    files: ['gateway/assets/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // Module rules: which folder may import which (see README, Tests and development).
  {
    files: ['adapters/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [forbid(['storage', 'gateway'], ADAPTERS)] }],
      'no-restricted-syntax': ['error', forbidDynamic(['storage', 'gateway'], ADAPTERS)],
    },
  },
  {
    files: ['nlp/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({ name, message: NLP_FS })),
            ...['process', 'node:process'].map((name) => ({ name, message: NLP_ENV })),
          ],
          patterns: [forbid(['adapters', 'storage', 'gateway'], NLP), { regex: '^(\\.\\./)+config/load(er|-[^/]*)\\.js$', message: NLP_LOADERS }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        forbidDynamic(['adapters', 'storage', 'gateway'], NLP),
        { selector: 'ImportExpression > Literal.source[value=/^(node:)?fs(\\u002Fpromises)?$/]', message: NLP_FS },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: NLP_ENV }],
    },
  },
  {
    files: ['storage/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [forbid(['adapters', 'nlp'], STORAGE)] }],
      'no-restricted-syntax': ['error', forbidDynamic(['adapters', 'nlp'], STORAGE)],
    },
  },
  {
    files: ['contracts/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./', message: CONTRACTS }] }],
      'no-restricted-syntax': ['error', { selector: 'ImportExpression > Literal.source[value=/^\\.\\.\\u002F/]', message: CONTRACTS }],
    },
  },
);

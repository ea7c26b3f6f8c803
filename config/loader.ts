import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { ZodError, type z } from 'zod';
import { CHANNEL_CONFIGS } from './channels/channels.js';
import { envSchema, type EnvSettings } from './env.schema.js';
import { ssoConfigFromEnv } from './sso.schema.js';
import { gatewaySchema, type GatewaySettings } from './gateway.schema.js';
import { categoriesSchema, type CategoriesSettings } from './categories.schema.js';
import { faqSchema, type FaqConfig } from './faq.schema.js';
import { checkRoutingAgainstCategories, checkRoutingAgainstSla, routingSchema, type RoutingConfig } from './routing.schema.js';
import { slaSchema, type SlaConfig } from './sla.schema.js';
import { cannedRepliesSchema, checkCannedRepliesAgainst, type CannedRepliesConfig } from './canned-replies.schema.js';
import { checkWebhooksAgainst, webhooksSchema, type WebhooksConfig } from './webhooks.schema.js';

/** One problem found in the configuration: where it is and what is wrong. */
export interface ConfigProblem {
  /** The file (relative to the working directory) or `environment`. */
  file: string;
  line?: number;
  /** Dotted path of the field, e.g. `pipeline.batchSize` or `rules[3].when`. */
  field: string;
  reason: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid configuration:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return `${where} ${p.field || '(file)'}: ${p.reason}`;
}

/** The YAML files a config directory may hold, each with its schema. */
interface ConfigFileSpec<S extends z.ZodType> {
  name: string;
  schema: S;
  /** Missing optional files parse as `{}` (their schema's defaults). */
  required: boolean;
}

const FILES = {
  gateway: { name: 'gateway.yaml', schema: gatewaySchema, required: false },
  categories: { name: 'categories.yaml', schema: categoriesSchema, required: true },
  sla: { name: 'sla.yaml', schema: slaSchema, required: true },
  routing: { name: 'routing.yaml', schema: routingSchema, required: true },
  faq: { name: 'faq.yaml', schema: faqSchema, required: true },
  cannedReplies: { name: 'canned-replies.yaml', schema: cannedRepliesSchema, required: false },
  webhooks: { name: 'webhooks.yaml', schema: webhooksSchema, required: false },
} satisfies Record<string, ConfigFileSpec<z.ZodType>>;

export interface GatewayConfig {
  dir: string;
  gateway: GatewaySettings;
  categories: CategoriesSettings;
  faq: FaqConfig;
  routing: RoutingConfig;
  sla: SlaConfig;
  /** Ready-made answers for the console (none when the file is absent). */
  cannedReplies: CannedRepliesConfig;
  /** Event-webhook subscriptions and chat-room robots (all defaults when the file is absent). */
  webhooks: WebhooksConfig;
  env: EnvSettings;
  /** The raw environment, for channel schemas in `config/channels/`. */
  rawEnv: Record<string, string | undefined>;
  /** sha256 of every file's bytes: the version shown by GET /api/v1/config. */
  version: string;
  loadedAt: Date;
}

export interface LoadOptions {
  dir?: string;
  /** Defaults to process.env merged over `.env` in the working directory. */
  env?: Record<string, string | undefined>;
}

/** Reads `.env` (if present) under the real environment: the real environment wins. */
export function environmentWithDotenv(cwd = process.cwd()): Record<string, string | undefined> {
  const file = path.join(cwd, '.env');
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...process.env };
}

/** Loads and validates the config directory and environment; throws {@link ConfigError} listing every problem. */
export function loadConfig(options: LoadOptions = {}): GatewayConfig {
  const rawEnv = options.env ?? environmentWithDotenv();
  const dir = path.resolve(options.dir ?? rawEnv.GATEWAY_CONFIG_DIR ?? 'config');
  const problems: ConfigProblem[] = [];
  const hash = createHash('sha256');

  if (!existsSync(dir)) {
    throw new ConfigError([{ file: dir, field: '', reason: 'config directory does not exist' }]);
  }

  const parsed: Record<string, unknown> = {};
  const texts: Record<string, { shown: string; text: string }> = {};
  for (const [key, spec] of Object.entries(FILES) as Array<[string, ConfigFileSpec<z.ZodType>]>) {
    const file = path.join(dir, spec.name);
    const shown = path.relative(process.cwd(), file) || file;
    if (!existsSync(file)) {
      if (spec.required) problems.push({ file: shown, field: '', reason: 'file is missing' });
      else parsed[key] = spec.schema.safeParse({}).data;
      continue;
    }
    const text = readFileSync(file, 'utf8');
    texts[key] = { shown, text };
    hash.update(spec.name).update('\0').update(text).update('\0');
    const result = parseYamlFile(shown, text, spec.schema);
    if (result.ok) parsed[key] = result.value;
    else problems.push(...result.problems);
  }

  if (parsed.cannedReplies && texts.cannedReplies && parsed.routing && parsed.categories) {
    const file = texts.cannedReplies;
    const known = {
      queues: (parsed.routing as RoutingConfig).queues.map((q) => q.id),
      // OTHER is the classifier's "none of these" code (nlp/understanding.ts), valid without being in categories.yaml.
      categories: [...(parsed.categories as CategoriesSettings).categories.map((c) => c.code), 'OTHER'],
    };
    for (const p of checkCannedRepliesAgainst(parsed.cannedReplies as CannedRepliesConfig, known)) {
      problems.push({ file: file.shown, line: lineAt(file.text, p.path), field: formatPath(p.path), reason: p.reason });
    }
  }

  // A blank line in .env (`PUBLIC_BASE_URL=`) means "not set", as .env.example shows.
  const setEnv = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== undefined && v !== ''));
  if (parsed.routing && parsed.categories && texts.routing) {
    const taxonomy = (parsed.categories as CategoriesSettings).categories.map((c) => ({ code: c.code, subcategories: c.subcategories.map((s) => s.code) }));
    for (const reason of checkRoutingAgainstCategories(parsed.routing as RoutingConfig, taxonomy)) {
      const ruleId = /rule "([^"]+)"/.exec(reason)?.[1];
      problems.push({
        file: texts.routing.shown,
        line: ruleId ? lineOfRule(texts.routing.text, ruleId) : undefined,
        field: ruleId ? `rule ${ruleId}` : '',
        reason,
      });
    }
  }
  if (parsed.routing && parsed.gateway) {
    // Queues gateway.yaml sends tickets to must exist in routing.yaml.
    const queues = new Set((parsed.routing as RoutingConfig).queues.map((q) => q.id));
    const g = parsed.gateway as GatewaySettings;
    for (const [field, queue] of [
      ['csat.escalateQueue', g.csat.escalateQueue],
      ['incidents.queue', g.incidents.queue],
    ] as const) {
      if (!queues.has(queue))
        problems.push({
          file: texts.gateway?.shown ?? 'gateway.yaml',
          field,
          reason: `unknown queue "${queue}" (routing.yaml queues: ${[...queues].join(', ')})`,
        });
    }
  }
  if (parsed.gateway && parsed.categories) {
    // A retention period for a category the taxonomy does not have would silently never apply.
    const codes = [...(parsed.categories as CategoriesSettings).categories.map((c) => c.code), 'OTHER'];
    for (const code of Object.keys((parsed.gateway as GatewaySettings).retention.byCategory)) {
      if (!codes.includes(code))
        problems.push({
          file: texts.gateway?.shown ?? 'gateway.yaml',
          line: texts.gateway ? lineAt(texts.gateway.text, ['retention', 'byCategory', code]) : undefined,
          field: `retention.byCategory.${code}`,
          reason: `unknown category "${code}" (categories.yaml codes: ${codes.join(', ')})`,
        });
    }
  }
  if (parsed.webhooks) {
    // Secrets and robot addresses named in webhooks.yaml must be set; robots named in routing.yaml and sla.yaml must exist.
    const at = { webhooks: texts.webhooks, routing: texts.routing, sla: texts.sla };
    const other = { routing: parsed.routing as RoutingConfig | undefined, sla: parsed.sla as SlaConfig | undefined };
    for (const p of checkWebhooksAgainst(parsed.webhooks as WebhooksConfig, setEnv, other)) {
      const file = at[p.file];
      problems.push({ file: file?.shown ?? `${p.file}.yaml`, line: file ? lineAt(file.text, p.path) : undefined, field: formatPath(p.path), reason: p.reason });
    }
  }
  if (parsed.routing && parsed.sla) {
    const routingFile = texts.routing!;
    for (const reason of checkRoutingAgainstSla(parsed.routing as RoutingConfig, parsed.sla as SlaConfig)) {
      const ruleId = /rule "([^"]+)"/.exec(reason)?.[1];
      problems.push({
        file: routingFile.shown,
        line: ruleId ? lineOfRule(routingFile.text, ruleId) : undefined,
        field: ruleId ? `rule ${ruleId}` : '',
        reason,
      });
    }
  }

  const env = envSchema.safeParse(setEnv);
  if (!env.success) {
    for (const issue of env.error.issues) {
      problems.push({ file: 'environment', field: issue.path.join('.'), reason: issue.message });
    }
  }

  try {
    ssoConfigFromEnv(setEnv);
  } catch (err) {
    const issues = err instanceof ZodError ? err.issues : [{ path: [], message: err instanceof Error ? err.message : String(err) }];
    for (const issue of issues)
      problems.push({ file: 'environment', field: issue.path.join('.') || 'OIDC_ISSUER', reason: `single sign-on: ${issue.message}` });
  }

  // Each channel's own environment check: a half-configured channel stops start, naming the variable. Its first
  // problem also says what switches the channel on, for whoever set one of its variables without meaning to.
  for (const channel of CHANNEL_CONFIGS) {
    try {
      channel.fromEnv(setEnv);
    } catch (err) {
      const issues = err instanceof ZodError ? err.issues : [{ path: [], message: err instanceof Error ? err.message : String(err) }];
      issues.forEach((issue, i) =>
        problems.push({
          file: 'environment',
          field: issue.path.join('.') || channel.id,
          reason: `${channel.id} channel: ${issue.message}${i === 0 ? ` (${channel.setupNote})` : ''}`,
        }),
      );
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    dir,
    gateway: parsed.gateway as GatewaySettings,
    categories: parsed.categories as CategoriesSettings,
    faq: parsed.faq as FaqConfig,
    routing: parsed.routing as RoutingConfig,
    sla: parsed.sla as SlaConfig,
    cannedReplies: parsed.cannedReplies as CannedRepliesConfig,
    webhooks: parsed.webhooks as WebhooksConfig,
    env: env.data as EnvSettings,
    rawEnv,
    version: hash.digest('hex').slice(0, 16),
    loadedAt: new Date(),
  };
}

type FileResult<T> = { ok: true; value: T } | { ok: false; problems: ConfigProblem[] };

/** Parses one YAML text with a schema, mapping each problem to its line in the file. */
export function parseYamlFile<S extends z.ZodType>(file: string, text: string, schema: S): FileResult<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseWithoutStacks(text, lineCounter);
  if (doc.errors.length > 0) {
    const problems: ConfigProblem[] = doc.errors.slice(0, MAX_SYNTAX_PROBLEMS).map((e) => ({
      file,
      line: lineCounter.linePos(e.pos[0]).line,
      field: '',
      reason: `YAML syntax: ${e.message.split('\n')[0]}`,
    }));
    const more = doc.errors.length - problems.length;
    if (more > 0)
      problems.push({ file, line: problems.at(-1)!.line, field: '', reason: `YAML syntax: ${more} more errors after this line (most follow from the first)` });
    return { ok: false, problems };
  }
  let data: unknown;
  try {
    // The yaml library refuses alias bombs ("billion laughs") here, by throwing.
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    return { ok: false, problems: [{ file, line: 1, field: '', reason: `YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` }] };
  }
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const at = issue.path as Array<string | number>;
      return { file, line: lineOf(doc, lineCounter, at), field: formatPath(at), reason: issue.message };
    }),
  };
}

/** Syntax errors listed one by one; the rest are counted (one broken line of a long file can make tens of thousands). */
const MAX_SYNTAX_PROBLEMS = 20;

/**
 * parseDocument with stack traces off: the yaml library makes an Error for every syntax error, and a broken line near
 * the top of categories.yaml made 37,000 of them, whose stacks (never shown: a problem names file and line) took most
 * of a second. parseDocument is synchronous, so nothing else runs while the limit is lowered.
 */
function parseWithoutStacks(text: string, lineCounter: LineCounter): ReturnType<typeof parseDocument> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseDocument(text, { lineCounter, prettyErrors: false });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, at: Array<string | number>): number | undefined {
  // The offending key may not exist (a missing field): fall back to its nearest parent.
  for (let depth = at.length; depth >= 0; depth--) {
    const node = doc.getIn(at.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** The line of a field given by its path in a YAML text (for problems found after the file's own schema passed). */
function lineAt(text: string, at: Array<string | number>): number | undefined {
  const lineCounter = new LineCounter();
  return lineOf(parseDocument(text, { lineCounter }), lineCounter, at);
}

/** The line of `id: <ruleId>` in routing.yaml, so a cross-file problem points at its rule. */
function lineOfRule(text: string, ruleId: string): number | undefined {
  const lines = text.split('\n');
  const escaped = ruleId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = lines.findIndex((l) => new RegExp(`\\bid:\\s*["']?${escaped}["']?\\s*$`).test(l));
  return at >= 0 ? at + 1 : undefined;
}

function formatPath(at: Array<string | number>): string {
  return at.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

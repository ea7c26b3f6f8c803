import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The console's sources: TSX under console/src, entry main.tsx (which imports the stylesheet). */
const SOURCE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'src');

export interface BundledFile {
  /** The URL path under /console, with the content hash in it, e.g. `app.3f2a9c1e0b.js`. */
  name: string;
  contentType: string;
  body: Buffer;
}

export interface ConsoleBundle {
  script: BundledFile;
  style: BundledFile;
  /** How long esbuild took, for the start-up log. */
  buildMs: number;
}

let pending: Promise<ConsoleBundle> | undefined;

/**
 * Bundles the console (Preact + its modules + CSS) with esbuild in memory, once per process:
 * there is no build step for users and nothing is written to disk. The file names carry a
 * hash of their content so browsers may cache them for good and still get a new version
 * after an upgrade. A failed build is not remembered, so the next request tries again.
 */
export function consoleBundle(): Promise<ConsoleBundle> {
  pending ??= bundle().catch((err) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

async function bundle(): Promise<ConsoleBundle> {
  const started = performance.now();
  const result = await build({
    entryPoints: [path.join(SOURCE_DIR, 'main.tsx')],
    bundle: true,
    write: false,
    // A virtual directory: with write:false nothing lands there, but esbuild needs one to name two outputs.
    outdir: path.join(SOURCE_DIR, '..', '.bundle'),
    entryNames: 'app',
    format: 'iife',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    charset: 'utf8',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'));
  if (!js || !css) throw new Error('the console bundle is missing its script or stylesheet');
  return {
    script: hashed('js', 'text/javascript; charset=utf-8', js.contents),
    style: hashed('css', 'text/css; charset=utf-8', css.contents),
    buildMs: Math.round(performance.now() - started),
  };
}

function hashed(ext: string, contentType: string, contents: Uint8Array): BundledFile {
  const body = Buffer.from(contents);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { name: `app.${hash}.${ext}`, contentType, body };
}

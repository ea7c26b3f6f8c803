import { main } from './cli.js';

// The process entry: `gateway <command>` (bin.js) and `npm start`.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // A mistyped option or argument is the user's to fix: say what and how, without a stack trace.
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      process.stderr.write(`gateway ${process.argv[2] ?? ''}: ${(err as Error).message}\nRun gateway help for the commands and their options.\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`gateway: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);

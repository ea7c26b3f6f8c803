// A replay classifier worker thread (gateway/replay-classifier.ts). Worker threads do not inherit the tsx
// loader the CLI registers in its main thread (gateway/bin.js), so the worker registers it, then runs the
// TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./replay-classifier.worker.ts');

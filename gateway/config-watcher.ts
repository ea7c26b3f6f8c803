import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';

/**
 * Watches the config directory and calls `reload` (debounced) when a YAML file
 * changes. Editors save by writing a temp file and renaming it, so the directory is
 * watched rather than each file.
 */
export class ConfigWatcher {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    private readonly reload: () => void,
    private readonly log: Logger,
    private readonly debounceMs = 150,
  ) {}

  start(): void {
    try {
      this.watcher = watch(this.dir, (_event, file) => {
        if (file && !/\.ya?ml$/i.test(String(file))) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(this.reload, this.debounceMs);
      });
      this.watcher.on('error', (err) => this.log.warn({ err, dir: this.dir }, 'config watch failed; reload with SIGHUP'));
    } catch (err) {
      this.log.warn({ err, dir: this.dir }, 'cannot watch the config directory; reload with SIGHUP');
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }
}

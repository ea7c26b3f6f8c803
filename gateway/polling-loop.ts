import type { Logger } from 'pino';

/**
 * The loop every background worker runs: call `step`; if it did work, call it again at
 * once; otherwise sleep `intervalMs()` or until `notify()`. A notify that arrives while a
 * step runs is remembered, so no wake-up is lost. `stop()` waits for the step in flight.
 */
export class PollingLoop {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private pendingWake = false;

  constructor(
    private readonly name: string,
    /** Returns how much work it did; 0 means "nothing to do, sleep". */
    private readonly step: () => Promise<number>,
    private readonly intervalMs: () => number,
    private readonly log: Logger,
    /** Asked before each step; false skips it ("nothing to do"): another process holds the job (gateway/job-lease.ts). */
    private readonly gate?: () => Promise<boolean>,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
  }

  /** New work arrived: skip (or cut short) the sleep. */
  notify(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let done = 0;
      try {
        if (!this.gate || (await this.gate())) done = await this.step();
      } catch (err) {
        this.log.error({ err }, `${this.name} failed; retrying after the interval`);
      }
      if (done === 0 && this.running) await this.sleep(this.intervalMs());
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.pendingWake = false;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wake = finish;
    });
  }
}

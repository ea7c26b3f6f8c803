/**
 * The gateway's one source of "now" (epoch milliseconds). The pipeline (dedupe, incident and routing
 * windows are measured from the message's own time, bounded by now), the SLA worker, FAQ deflection and
 * agents' ticket changes all read it, so a test or a replay can run the whole gateway at another time
 * by handing `Gateway.create` a different clock.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still until told to move: for tests that step through SLA and deflection windows. */
export class ManualClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: number): void {
    this.current = at;
  }
}

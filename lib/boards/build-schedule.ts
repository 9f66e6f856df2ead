// When a board's snapshot is built for its screens (decision 0041): soon after
// the first notice, then at most once per `minIntervalMs`; notices that come
// while a build waits or runs fold into the next build, and none is lost (a
// notice during a build, which may have read before that change, gets a build
// of its own after it). Timing only, with an injected clock, so the feed
// (board-snapshot-feed.ts) and its tests share it.

export interface ScheduleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const defaultClock: ScheduleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class BuildSchedule {
  private dirty = false;
  private building = false;
  private stopped = false;
  private timer: unknown = undefined;
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly build: () => Promise<void>,
    private readonly minIntervalMs: number,
    private readonly clock: ScheduleClock = defaultClock,
  ) {}

  /** Something the snapshot shows changed: a build follows (one for any number of requests until it starts). */
  request(): void {
    if (this.stopped) return;
    this.dirty = true;
    this.arm();
  }

  /** No screen is left: nothing more is built. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** When the last build started (for the periodic resync); -Infinity before the first. */
  get lastStartedAt(): number {
    return this.lastStart;
  }

  private arm() {
    if (this.stopped || !this.dirty || this.building || this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(this.run, Math.max(0, this.lastStart + this.minIntervalMs - this.clock.now()));
  }

  private readonly run = () => {
    this.timer = undefined;
    if (this.stopped) return;
    this.dirty = false;
    this.building = true;
    this.lastStart = this.clock.now();
    void this.build()
      .catch(() => undefined)
      .finally(() => {
        this.building = false;
        this.arm();
      });
  };
}

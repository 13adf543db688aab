/**
 * Poll settings and a small poller: intervals with jitter, backoff on throttling, a deadline.
 * Injected everywhere a driver waits, so tests run with 0 ms (copilot's injected waiters).
 */
export interface PollSettings {
  /** Time between two polls (before jitter). */
  readonly intervalMs: number;
  /** Upper bound of the interval when backing off after throttling. */
  readonly maxIntervalMs: number;
  /** 0..1: each wait is intervalMs * (1 ± jitter). */
  readonly jitter: number;
  /** Clock and sleep, replaceable in tests. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_POLL: PollSettings = { intervalMs: 5_000, maxIntervalMs: 30_000, jitter: 0.2 };
export const TEST_POLL: PollSettings = { intervalMs: 0, maxIntervalMs: 0, jitter: 0 };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Poller {
  readonly #settings: PollSettings;
  readonly #deadline: number;
  #interval: number;
  #attempts = 0;

  constructor(settings: PollSettings, timeoutMs: number) {
    this.#settings = settings;
    this.#interval = settings.intervalMs;
    this.#deadline = this.now() + timeoutMs;
  }

  now(): number {
    return (this.#settings.now ?? Date.now)();
  }

  get attempts(): number {
    return this.#attempts;
  }

  expired(): boolean {
    return this.now() >= this.#deadline;
  }

  /** The next wait, with jitter; doubles (up to maxIntervalMs) after throttling, recovers after. */
  nextDelay(throttled: boolean, random: () => number = Math.random): number {
    const { intervalMs, maxIntervalMs, jitter } = this.#settings;
    this.#interval = throttled ? Math.min(Math.max(this.#interval * 2, intervalMs), Math.max(maxIntervalMs, intervalMs)) : intervalMs;
    const spread = this.#interval * jitter * (random() * 2 - 1);
    return Math.max(0, Math.round(this.#interval + spread));
  }

  async wait(throttled = false): Promise<void> {
    this.#attempts += 1;
    const delay = Math.min(this.nextDelay(throttled), Math.max(0, this.#deadline - this.now()));
    await (this.#settings.sleep ?? realSleep)(delay);
  }
}

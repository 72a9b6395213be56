/**
 * How fast this process answers sync work, in sales per second, over the last few seconds. Only
 * time during which work was queued counts, so an idle minute does not make a busy second look
 * slow. Before there is a second of busy history, the prior is used (the first shed of a storm
 * happens within milliseconds of its start, when nothing has finished yet).
 */
export class DrainRate {
  private readonly buckets: { at: number; sales: number; busyMs: number }[] = [];
  private lastTick: number;

  constructor(
    private readonly priorPerSecond: number,
    private readonly windowMs = 5_000,
    private readonly bucketMs = 250,
    now = Date.now(),
  ) {
    this.lastTick = now;
  }

  /** Called whenever the queue changes, with whether work was queued since the last call. */
  tick(now: number, busy: boolean): void {
    const elapsed = Math.max(0, now - this.lastTick);
    this.lastTick = now;
    if (busy && elapsed > 0) this.bucketAt(now).busyMs += elapsed;
  }

  /** `sales` were answered just now. */
  drained(now: number, sales: number): void {
    this.bucketAt(now).sales += sales;
  }

  perSecond(now: number): number {
    this.expire(now);
    const sales = this.buckets.reduce((n, b) => n + b.sales, 0);
    const busyMs = this.buckets.reduce((n, b) => n + b.busyMs, 0);
    if (busyMs < 1_000 || sales === 0) return this.priorPerSecond;
    return (sales * 1000) / busyMs;
  }

  private bucketAt(now: number) {
    const at = now - (now % this.bucketMs);
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.at === at) return last;
    const bucket = { at, sales: 0, busyMs: 0 };
    this.buckets.push(bucket);
    this.expire(now);
    return bucket;
  }

  private expire(now: number): void {
    while (this.buckets.length > 0 && this.buckets[0].at <= now - this.windowMs) this.buckets.shift();
  }
}

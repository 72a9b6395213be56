import { OverloadedError } from "../shared/errors";
import { DrainRate } from "./drain-rate";
import { WaitingTills } from "./waiting-tills";

/**
 * Load shedding for the sync endpoints, per process. The queue is the sales admitted and not yet
 * answered; while it is at or beyond its bound (`maxQueuedSales`, or `maxQueueSeconds` of work at
 * the recent drain rate if that is less) a new request is refused at once with OverloadedError
 * (429 at the edge) instead of queueing behind the others until it times out.
 *
 * Retry-After comes from the queue itself: a till refused for the first time gets the next free
 * slot of a virtual timeline (the time to drain what is queued, plus the slots already handed out,
 * each one average request long at the recent drain rate), so a thousand tills refused in the
 * same second come back spread over the time the server needs, not all at once. Rounded up to
 * whole seconds with up to a second of jitter, at least 1 s, at most `maxRetryAfterSeconds`.
 *
 * Fairness: a till that was refused and comes back is never sent to the back of that timeline
 * again (it is told only the time to drain the current queue), and once it has been refused
 * PRIORITY_AFTER_SHEDS times it may use a reserved headroom (up to twice the bound) that new
 * arrivals may not. Returning tills therefore go before new ones, each admitted till leaves the
 * set, and the headroom bounds the queue at about twice the bound (plus one request per
 * concurrent admission), so no till waits forever and memory stays bounded.
 */
export type AdmissionSettings = {
  /** Sales queued (admitted, not yet answered) beyond which requests are shed; 0 turns shedding off. */
  maxQueuedSales: number;
  /**
   * Also shed once the queue holds more than this many seconds of work at the recent drain rate
   * (never below TIME_BOUND_FLOOR_SALES): what a fixed count cannot know is how fast this machine
   * is, and a request queued longer than the database pool's acquire timeout (5 s) or the till's
   * request timeout (20 s) would fail instead of being told to come back. 0 or absent: no time bound.
   */
  maxQueueSeconds?: number;
  maxRetryAfterSeconds: number;
};

export type SyncTransportName = "rest" | "graphql";

/** What metrics see: every refusal with the wait it was told, every admission of a till that had waited. */
export type AdmissionObserver = {
  shed(transport: SyncTransportName, retryAfterSeconds: number): void;
  admittedAfterWaiting(transport: SyncTransportName): void;
};

/** One admitted request: its weight (sales) once known, released exactly once when answered. */
export type AdmissionLease = { weigh(sales: number): void; release(): void };

export type AdmissionSnapshot = { queuedSales: number; queuedRequests: number; drainPerSecond: number };

export const PRIORITY_AFTER_SHEDS = 2;
/** The time bound never holds fewer sales than one full request of the default MAX_SALES_PER_REQUEST. */
export const TIME_BOUND_FLOOR_SALES = 1000;
/** The drain rate assumed before a second of busy history (about what one core writes). */
const PRIOR_SALES_PER_SECOND = 500;
/** A request's weight before any was measured: the client package's default batch. */
const PRIOR_REQUEST_SALES = 100;

const NOOP_LEASE: AdmissionLease = { weigh: () => undefined, release: () => undefined };

export class SyncAdmission {
  private queuedSales = 0;
  private queuedRequests = 0;
  private horizon = 0;
  private requestSales = PRIOR_REQUEST_SALES;
  private weighed = false;
  private readonly rate: DrainRate;
  private readonly waiting = new WaitingTills();

  constructor(
    private readonly settings: AdmissionSettings,
    private readonly observer: AdmissionObserver = { shed: () => undefined, admittedAfterWaiting: () => undefined },
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.rate = new DrainRate(PRIOR_SALES_PER_SECOND, undefined, undefined, now());
  }

  /**
   * Admits the request or throws OverloadedError. `subject` is the verified token subject (a till
   * or a user), or null. The request counts `provisional` sales until the lease's weigh() says
   * how many it carries (REST: once its body is parsed; GraphQL: at once).
   */
  admit(transport: SyncTransportName, subject: string | null, provisional = 0): AdmissionLease {
    if (this.settings.maxQueuedSales <= 0) return NOOP_LEASE;
    const now = this.now();
    const sheds = subject === null ? 0 : this.waiting.shedsOf(subject, now);
    const bound = this.bound(now) * (sheds >= PRIORITY_AFTER_SHEDS ? 2 : 1);
    if (this.queuedSales >= bound) throw this.shed(transport, subject, sheds, now);
    if (subject !== null && sheds > 0) {
      this.waiting.forget(subject);
      this.observer.admittedAfterWaiting(transport);
    }
    return this.lease(now, provisional);
  }

  /** The queue's bound now: the configured count, or less when that would be more seconds of work than allowed. */
  private bound(now: number): number {
    const { maxQueuedSales, maxQueueSeconds } = this.settings;
    if (!maxQueueSeconds || maxQueueSeconds <= 0) return maxQueuedSales;
    return Math.min(maxQueuedSales, Math.max(TIME_BOUND_FLOOR_SALES, this.rate.perSecond(now) * maxQueueSeconds));
  }

  snapshot(): AdmissionSnapshot {
    return { queuedSales: this.queuedSales, queuedRequests: this.queuedRequests, drainPerSecond: this.rate.perSecond(this.now()) };
  }

  private lease(now: number, provisional: number): AdmissionLease {
    this.rate.tick(now, this.queuedRequests > 0);
    this.queuedRequests += 1;
    let weight = 0;
    let released = false;
    const setWeight = (sales: number) => {
      this.queuedSales += sales - weight;
      weight = sales;
    };
    setWeight(provisional);
    return {
      weigh: (sales) => {
        if (released || !(sales >= 0)) return;
        setWeight(sales);
        // The first measured request replaces the prior at once; later ones move the average.
        this.requestSales = this.weighed ? 0.8 * this.requestSales + 0.2 * Math.max(1, sales) : Math.max(1, sales);
        this.weighed = true;
      },
      release: () => {
        if (released) return;
        released = true;
        const at = this.now();
        this.rate.tick(at, true);
        this.rate.drained(at, weight);
        this.queuedRequests -= 1;
        this.queuedSales -= weight;
      },
    };
  }

  private shed(transport: SyncTransportName, subject: string | null, sheds: number, now: number): OverloadedError {
    const perSecond = this.rate.perSecond(now);
    const maxMs = this.settings.maxRetryAfterSeconds * 1000;
    const clearMs = (this.queuedSales / perSecond) * 1000;
    let waitMs = clearMs;
    if (sheds === 0) {
      // A newcomer takes the next slot after those already promised (never a stale one past the cap).
      this.horizon = Math.min(Math.max(this.horizon, now + clearMs), now + maxMs) + (this.requestSales / perSecond) * 1000;
      waitMs = this.horizon - now;
    }
    const seconds = Math.min(this.settings.maxRetryAfterSeconds, Math.max(1, Math.ceil((waitMs + this.random() * 1000) / 1000)));
    if (subject !== null) this.waiting.shed(subject, now);
    this.observer.shed(transport, seconds);
    return new OverloadedError(
      `The server is busy (${this.queuedSales} sales queued); nothing of this request was read. Retry after ${seconds} s (see Retry-After).`,
      seconds,
    );
  }
}

import { SyncAdmission } from "../../server/src/admission/sync-admission";
import { OverloadedError } from "../../server/src/shared/errors";

/** The admission with a clock and a die of the test's own (random 0: no jitter). */
function admission(maxQueuedSales: number, maxRetryAfterSeconds = 30) {
  const clock = { now: 1_000_000 };
  const a = new SyncAdmission({ maxQueuedSales, maxRetryAfterSeconds }, undefined, () => clock.now, () => 0);
  return { a, clock };
}

function refusal(run: () => unknown): OverloadedError {
  try {
    run();
  } catch (error) {
    if (error instanceof OverloadedError) return error;
    throw error;
  }
  throw new Error("expected the request to be shed");
}

describe("sync admission (load shedding)", () => {
  it("admits while the queue is below its bound and refuses at it, with a Retry-After of at least one second", () => {
    const { a } = admission(100);
    a.admit("graphql", "till:a").weigh(60);
    a.admit("graphql", "till:b").weigh(60);
    const shed = refusal(() => a.admit("graphql", "till:c"));
    expect(shed.code).toBe("OVERLOADED");
    expect(shed.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(a.snapshot()).toMatchObject({ queuedSales: 120, queuedRequests: 2 });
  });

  it("sizes Retry-After from its queue and drain rate, giving each new till a later slot, within the cap", () => {
    const { a } = admission(1000, 9);
    a.admit("rest", "till:a").weigh(1000);
    // 1,000 queued at the prior 500 sales/s: 2 s to clear, then one 1,000-sale request (2 s) per slot.
    const waits = ["b", "c", "d", "e"].map((t) => refusal(() => a.admit("rest", `till:${t}`)).retryAfterSeconds);
    expect(waits).toEqual([4, 6, 8, 9]);
  });

  it("measures the drain rate over the time work was queued", () => {
    const { a, clock } = admission(1000);
    const lease = a.admit("rest", null);
    lease.weigh(1000);
    clock.now += 4000;
    lease.release();
    expect(a.snapshot().drainPerSecond).toBeCloseTo(250, 0);
  });

  it("never sends a till that comes back to the back of the line, and lets a till refused twice in before new ones", () => {
    const { a } = admission(100);
    a.admit("graphql", "till:busy").weigh(100);
    const first = refusal(() => a.admit("graphql", "till:patient"));
    refusal(() => a.admit("graphql", "till:other"));
    const second = refusal(() => a.admit("graphql", "till:patient"));
    expect(second.retryAfterSeconds).toBeLessThanOrEqual(first.retryAfterSeconds);
    // Refused twice: the headroom (up to twice the bound) is its; a newcomer is still refused.
    a.admit("graphql", "till:patient").weigh(50);
    refusal(() => a.admit("graphql", "till:newcomer"));
    expect(a.snapshot().queuedSales).toBe(150);
  });

  it("also bounds the queue in seconds of work at the measured drain rate, never below one full request", () => {
    const clock = { now: 1_000_000 };
    const a = new SyncAdmission({ maxQueuedSales: 100_000, maxQueueSeconds: 3, maxRetryAfterSeconds: 30 }, undefined, () => clock.now, () => 0);
    const slow = a.admit("rest", null);
    slow.weigh(500);
    clock.now += 5000;
    slow.release(); // 100 sales/s: 3 s of work would be 300 sales, so the floor of 1,000 holds
    a.admit("rest", "till:a").weigh(999);
    a.admit("rest", "till:b").weigh(1);
    expect(refusal(() => a.admit("rest", "till:c")).code).toBe("OVERLOADED");
  });

  it("releases a lease once, however often it is released, and sheds nothing when the bound is 0", () => {
    const { a } = admission(10);
    const lease = a.admit("rest", null, 1);
    lease.weigh(10);
    lease.release();
    lease.release();
    expect(a.snapshot()).toMatchObject({ queuedSales: 0, queuedRequests: 0 });
    const off = admission(0).a;
    for (let i = 0; i < 5; i++) off.admit("rest", "till:x").weigh(1000);
    expect(off.snapshot().queuedSales).toBe(0);
  });
});

/** How long a refused till is remembered: one that never comes back is forgotten after this. */
const REMEMBER_MS = 10 * 60_000;
/** At most this many refused tills are remembered (the oldest is forgotten first): memory stays bounded. */
const MAX_REMEMBERED = 100_000;

/**
 * The tills (token subjects) this process refused and that have not been admitted since, with how
 * many times: the fairness rule of SyncAdmission gives them priority over new arrivals.
 */
export class WaitingTills {
  private readonly entries = new Map<string, { sheds: number; lastShedAt: number }>();

  shedsOf(subject: string, now: number): number {
    const entry = this.entries.get(subject);
    if (!entry) return 0;
    if (entry.lastShedAt < now - REMEMBER_MS) {
      this.entries.delete(subject);
      return 0;
    }
    return entry.sheds;
  }

  shed(subject: string, now: number): void {
    const sheds = this.shedsOf(subject, now) + 1;
    this.entries.delete(subject);
    if (this.entries.size >= MAX_REMEMBERED) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(subject, { sheds, lastShedAt: now });
  }

  forget(subject: string): void {
    this.entries.delete(subject);
  }
}

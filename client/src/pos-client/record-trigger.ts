/**
 * Starts a sync shortly after a sale is recorded: one timer for a burst of sales, so a cashier
 * ringing up ten sales in a row sends them in one request, not ten.
 */
export class RecordTrigger {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly delayMs: number | false,
    private readonly fire: () => void,
  ) {}

  saleRecorded(): void {
    if (this.delayMs === false || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, this.delayMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

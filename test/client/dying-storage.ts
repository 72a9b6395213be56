import type { KeyValueStorage } from "../../client/src/storage/storage";

/**
 * Storage that dies like a killed process: after `writesLeft` writes, the next write either never
 * happens ("before") or happens but its caller never hears back ("after"), and from then on every
 * call fails. What the inner storage holds is what a restarted process would find on disk.
 */
export class DyingStorage implements KeyValueStorage {
  dead = false;
  constructor(
    private readonly inner: KeyValueStorage,
    public writesLeft: number,
    private readonly dies: "before" | "after",
  ) {}
  async getItem(key: string) {
    if (this.dead) throw new Error("storage is gone");
    return this.inner.getItem(key);
  }
  async setItem(key: string, value: string) {
    if (this.dead) throw new Error("storage is gone");
    // Only outbox writes count down, so the (debounced, timing-dependent) cache persistor cannot shift the moment of death.
    if (key.includes(":outbox:") && this.writesLeft-- <= 0) {
      this.dead = true;
      if (this.dies === "after") await this.inner.setItem(key, value);
      throw new Error("storage died mid-write");
    }
    await this.inner.setItem(key, value);
  }
  async removeItem(key: string) {
    if (this.dead) throw new Error("storage is gone");
    await this.inner.removeItem(key);
  }
}


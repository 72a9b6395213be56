import type { KeyValueStorage } from "./storage";

/** Keeps values in a Map: for tests, and for a till that accepts losing its queue on reload. */
export class MemoryStorage implements KeyValueStorage {
  private readonly values = new Map<string, string>();

  async getItem(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }

  async setItem(key: string, value: string): Promise<void> {
    this.values.set(key, String(value));
  }

  async removeItem(key: string): Promise<void> {
    this.values.delete(key);
  }

  /** Keys in insertion order; for tests and diagnostics. */
  keys(): string[] {
    return [...this.values.keys()];
  }

  /** Total size of the stored values in bytes (UTF-8). */
  byteSize(prefix = ""): number {
    const encoder = new TextEncoder();
    let total = 0;
    for (const [key, value] of this.values) if (key.startsWith(prefix)) total += encoder.encode(value).length;
    return total;
  }
}

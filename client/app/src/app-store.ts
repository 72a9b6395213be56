import type { KeyValueStorage } from "@pos-sync/client";

/**
 * The app's own values (the paired till, the downloaded staff, the PIN pad's lock, the current
 * cashier) as JSON in the same IndexedDB storage as the client's outbox and credential, under keys
 * of their own (`till-app:...`; the client's are `pos-sync:<shop>:...`). Every write is awaited.
 */
export class AppStore {
  constructor(private readonly storage: KeyValueStorage) {}

  async read<T>(key: string, isValue: (value: unknown) => value is T): Promise<T | null> {
    const raw = await this.storage.getItem(`till-app:${key}`);
    if (raw === null) return null;
    try {
      const value: unknown = JSON.parse(raw);
      return isValue(value) ? value : null;
    } catch {
      return null;
    }
  }

  write(key: string, value: unknown): Promise<void> {
    return this.storage.setItem(`till-app:${key}`, JSON.stringify(value));
  }

  remove(key: string): Promise<void> {
    return this.storage.removeItem(`till-app:${key}`);
  }
}

import type { ApolloClient } from "@apollo/client/core";
import { ShopSettingsDocument } from "../generated/graphql";
import type { KeyValueStorage } from "../storage/storage";

/** What the till must know of the shop's settings while offline. */
export type ShopSettings = { offlineCardLimit: number | null };

const NONE: ShopSettings = { offlineCardLimit: null };

/**
 * The shop's settings as last seen, kept in the client's storage so an offline start still
 * enforces them (the offline card limit). They arrive with every Products query, at no extra request.
 */
export class ShopSettingsStore {
  private stored: ShopSettings = NONE;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
  ) {}

  async load(): Promise<void> {
    const raw = await this.storage.getItem(this.key);
    if (!raw) return;
    try {
      const value = JSON.parse(raw) as Partial<ShopSettings>;
      this.stored = { offlineCardLimit: typeof value.offlineCardLimit === "number" ? value.offlineCardLimit : null };
    } catch {
      // A value this build cannot read: keep none rather than a guess.
    }
  }

  /**
   * The settings the cache holds (the Products query brings them), else the stored ones; what the
   * cache holds is stored, so a purged cache or an offline start still knows the limit.
   */
  current(apollo: ApolloClient<unknown>): ShopSettings {
    const cached = apollo.cache.readQuery({ query: ShopSettingsDocument })?.shopSettings;
    if (!cached) return this.stored;
    const next = { offlineCardLimit: cached.offlineCardLimit ?? null };
    void this.save(next).catch(() => undefined);
    return next;
  }

  async save(next: ShopSettings): Promise<void> {
    if (next.offlineCardLimit === this.stored.offlineCardLimit) return;
    await this.storage.setItem(this.key, JSON.stringify(next));
    this.stored = next;
  }
}

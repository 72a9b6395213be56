import type { KeyValueStorage } from "./storage";

const STORE = "kv";

/**
 * A key-value object store in IndexedDB, for browsers. Each call is its own transaction, and
 * `setItem` resolves on the transaction's `complete` event (with `durability: "strict"` where the
 * browser supports it), so a resolved write has reached disk. A transaction is all-or-nothing.
 */
export class IndexedDbStorage implements KeyValueStorage {
  /** Where Web Locks are missing, every instance open on this database shares the client's locks. */
  readonly lockScope: string;

  private constructor(private readonly db: IDBDatabase) {
    this.lockScope = `indexeddb:${db.name}`;
  }

  static async open(name = "pos-sync", factory: IDBFactory = globalThis.indexedDB): Promise<IndexedDbStorage> {
    if (!factory) throw new Error("IndexedDB is not available here; pass a factory or use another storage");
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    };
    const db = await settle(request);
    // Another tab upgrading the database must not be blocked by us.
    db.onversionchange = () => db.close();
    return new IndexedDbStorage(db);
  }

  async getItem(key: string): Promise<string | null> {
    const tx = this.db.transaction(STORE, "readonly");
    const value = await settle(tx.objectStore(STORE).get(key));
    return typeof value === "string" ? value : null;
  }

  async setItem(key: string, value: string): Promise<void> {
    const tx = this.transaction();
    tx.objectStore(STORE).put(String(value), key);
    await completion(tx);
  }

  async removeItem(key: string): Promise<void> {
    const tx = this.transaction();
    tx.objectStore(STORE).delete(key);
    await completion(tx);
  }

  close(): void {
    this.db.close();
  }

  private transaction(): IDBTransaction {
    // `durability` is a hint some browsers ignore; older typings do not know the third argument.
    const open = this.db.transaction.bind(this.db) as (s: string, m: IDBTransactionMode, o?: { durability: string }) => IDBTransaction;
    return open(STORE, "readwrite", { durability: "strict" });
  }
}

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB request failed"));
  });
}

function completion(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
  });
}

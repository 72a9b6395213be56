import { IDBFactory } from "fake-indexeddb";
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { IndexedDbStorage, MemoryStorage } from "../../client/src";
import { FileStorage } from "../../client/src/node";
import { Outbox } from "../../client/src/outbox/outbox";
import type { OfflineSale } from "../../client/src/outbox/outbox-record";
import type { KeyValueStorage } from "../../client/src/storage/storage";
import { createLocks } from "../../client/src/sync/locks";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "pos-sync-storage-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const adapters: [string, () => Promise<KeyValueStorage>, () => Promise<KeyValueStorage>][] = [];
{
  let memory: MemoryStorage;
  adapters.push(["memory", async () => (memory = new MemoryStorage()), async () => memory]);
  adapters.push(["file", () => FileStorage.open(dir), () => FileStorage.open(dir)]);
  let factory: IDBFactory;
  adapters.push(["IndexedDB", () => IndexedDbStorage.open("pos-sync-test", (factory = new IDBFactory())), () => IndexedDbStorage.open("pos-sync-test", factory)]);
}

describe.each(adapters)("the %s storage adapter", (_name, open, reopen) => {
  it("answers null for a key never written, and what was written after a reopen", async () => {
    const storage = await open();
    expect(await storage.getItem("missing")).toBeNull();
    await storage.setItem("pos-sync:shop:outbox:page:0", '[{"a":1}]');
    await storage.setItem("weird/key with spaces.and.dots", "ü∆ value");
    const again = await reopen();
    expect(await again.getItem("pos-sync:shop:outbox:page:0")).toBe('[{"a":1}]');
    expect(await again.getItem("weird/key with spaces.and.dots")).toBe("ü∆ value");
  });

  it("replaces a value and removes a key", async () => {
    const storage = await open();
    await storage.setItem("k", "one");
    await storage.setItem("k", "two");
    expect(await storage.getItem("k")).toBe("two");
    await storage.removeItem("k");
    await storage.removeItem("k");
    expect(await (await reopen()).getItem("k")).toBeNull();
  });
});

describe("the file storage adapter", () => {
  it("leaves the previous value whole when a write dies before its rename, and sweeps old temp files", async () => {
    const storage = await FileStorage.open(dir);
    await storage.setItem("page", "old value");
    const [file] = await readdir(dir);
    // What a crash between writing the temp file and renaming it leaves behind.
    const temp = path.join(dir, `${file}.deadbeef.tmp`);
    await writeFile(temp, "new val");
    const fresh = path.join(dir, `${file}.cafe.tmp`);
    await writeFile(fresh, "in flight in another process");
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(temp, old, old);
    const reopened = await FileStorage.open(dir);
    expect(await reopened.getItem("page")).toBe("old value");
    expect((await readdir(dir)).sort()).toEqual([file, path.basename(fresh)].sort());
  });
});

const sale = (i: number): OfflineSale => ({
  clientTempId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  items: [{ productId: "p", quantity: 1, price: 1 }],
  totalAmount: 1,
  createdAt: "2026-11-25T10:00:00.000Z",
});

describe("the outbox", () => {
  it("keeps records in recorded order across pages and reopenings", async () => {
    const storage = new MemoryStorage();
    const outbox = await Outbox.open(storage, { prefix: "x:", locks: createLocks(undefined), pageSize: 3 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => outbox.append(sale(i))));
    expect(storage.keys().filter((k) => k.startsWith("x:outbox:page:")).sort()).toEqual(["x:outbox:page:0", "x:outbox:page:1", "x:outbox:page:2"]);
    const reopened = await Outbox.open(storage, { prefix: "x:", locks: createLocks(undefined), pageSize: 3 });
    expect(reopened.all().map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(reopened.all().map((r) => r.clientTempId)).toEqual(Array.from({ length: 8 }, (_, i) => sale(i).clientTempId));
  });

  it("sees what another instance appended over the same storage, and never reuses its seq", async () => {
    const storage = new MemoryStorage();
    const locks = createLocks(undefined);
    const a = await Outbox.open(storage, { prefix: "x:", locks, pageSize: 2 });
    const b = await Outbox.open(storage, { prefix: "x:", locks, pageSize: 2 });
    await a.append(sale(0));
    await a.append(sale(1));
    await a.append(sale(2));
    const fromB = await b.append(sale(3));
    expect(fromB.seq).toBe(3);
    await a.reload();
    expect(a.all().map((r) => r.clientTempId)).toEqual([0, 1, 2, 3].map((i) => sale(i).clientTempId));
  });

  it("prunes synced records after the retention and drops emptied leading pages", async () => {
    const storage = new MemoryStorage();
    const outbox = await Outbox.open(storage, { prefix: "x:", locks: createLocks(undefined), pageSize: 2 });
    for (let i = 0; i < 5; i++) await outbox.append(sale(i));
    const syncedAt = "2026-11-20T00:00:00.000Z";
    await outbox.update([0, 1, 2].map((i) => sale(i).clientTempId), (r) => ({ ...r, state: "synced", synced: true, serverId: `s${r.seq}`, orderId: `ORD-${r.seq}`, syncedAt, warnings: [] }));
    expect(await outbox.prune(Date.parse("2026-11-21T00:00:00.000Z"), 7 * 86_400_000)).toBe(0);
    expect(await outbox.prune(Date.parse("2026-11-28T00:00:00.000Z"), 7 * 86_400_000)).toBe(3);
    expect(outbox.all().map((r) => r.seq)).toEqual([3, 4]);
    expect(storage.keys().filter((k) => k.includes("page")).sort()).toEqual(["x:outbox:page:1", "x:outbox:page:2"]);
    const reopened = await Outbox.open(storage, { prefix: "x:", locks: createLocks(undefined), pageSize: 2 });
    expect(reopened.all().map((r) => r.seq)).toEqual([3, 4]);
    expect((await reopened.append(sale(9))).seq).toBe(5);
  });

  it("does not change its memory when a write fails", async () => {
    const storage = new MemoryStorage();
    const outbox = await Outbox.open(storage, { prefix: "x:", locks: createLocks(undefined) });
    await outbox.append(sale(0));
    const failing = Object.assign(storage, { setItem: async () => Promise.reject(new Error("disk full")) });
    await expect(outbox.append(sale(1))).rejects.toThrow("disk full");
    expect(outbox.all().map((r) => r.seq)).toEqual([0]);
    expect(failing).toBeDefined();
  });
});

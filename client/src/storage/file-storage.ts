import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { KeyValueStorage } from "./storage";

const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * One file per key in a directory, for Node (desktop tills, tests). Writes are atomic and durable:
 * the value goes to a temporary file, which is fsynced and then renamed over the old one, and the
 * directory is fsynced so the rename itself survives a power cut. A crash at any point leaves either
 * the previous value or the new one; stray `*.tmp` files are ignored, and swept on open once they
 * are old enough that no live process can still be writing them.
 */
export class FileStorage implements KeyValueStorage {
  /** The directory, resolved: every FileStorage open on it (in this process) shares the client's locks. */
  readonly lockScope: string;

  private constructor(private readonly dir: string) {
    this.lockScope = `file:${dir}`;
  }

  static async open(dir: string): Promise<FileStorage> {
    await fs.mkdir(dir, { recursive: true });
    const staleBefore = Date.now() - STALE_TEMP_MS;
    for (const name of await fs.readdir(dir)) {
      if (!name.endsWith(".tmp")) continue;
      const file = path.join(dir, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat && stat.mtimeMs < staleBefore) await fs.rm(file, { force: true });
    }
    return new FileStorage(await fs.realpath(dir));
  }

  async getItem(key: string): Promise<string | null> {
    try {
      return await fs.readFile(this.fileOf(key), "utf8");
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async setItem(key: string, value: string): Promise<void> {
    const target = this.fileOf(key);
    const temp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    const handle = await fs.open(temp, "w");
    try {
      await handle.writeFile(String(value), "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    await this.syncDirectory();
  }

  async removeItem(key: string): Promise<void> {
    await fs.rm(this.fileOf(key), { force: true });
    await this.syncDirectory();
  }

  /** Keys are percent-encoded so any string is a safe, reversible file name. */
  private fileOf(key: string): string {
    return path.join(this.dir, `${encodeURIComponent(key).replace(/\./g, "%2E")}.json`);
  }

  private async syncDirectory(): Promise<void> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(this.dir, "r");
      await handle.sync();
    } catch {
      // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
    } finally {
      await handle?.close();
    }
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "ENOENT";
}

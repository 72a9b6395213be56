import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { BadRequestError } from "../shared/errors";
import { isUuid } from "../shared/uuid";

/**
 * A position in a shop's catalogue feed: the last row handed out, in feed order
 * `(change_xid, kind, id)`. `kind` orders customers ("c") before products ("p") within one xid.
 */
export type FeedPosition = { xid: bigint; kind: "c" | "p"; id: string };

/** Before every row: the first page of a full pull. */
export const FEED_START: FeedPosition = { xid: 0n, kind: "c", id: "00000000-0000-0000-0000-000000000000" };

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The cursor is opaque and bound to its shop: the position is sealed with AES-256-GCM under a key
 * derived from the server's secret, with the shop id as additional authenticated data. A till
 * cannot read another shop's (or the server's global) transaction positions out of it, cannot
 * forge or edit one, and a cursor issued for another shop does not open at all.
 */
export class CatalogCursors {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash("sha256").update(`pos-sync catalogue cursor v${VERSION}\u0000${secret}`).digest();
  }

  seal(shopId: string, position: FeedPosition): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    cipher.setAAD(Buffer.from(shopId.toLowerCase()));
    const plain = Buffer.from(`${position.xid}.${position.kind}.${position.id}`);
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), nonce, sealed, cipher.getAuthTag()]).toString("base64url");
  }

  /** The position, or a 400 naming `field` for anything this server did not issue for this shop. */
  open(shopId: string, cursor: string, field: string): FeedPosition {
    const position = this.tryOpen(shopId, cursor);
    if (!position) throw new BadRequestError(`${field}: not a catalogue cursor issued by this API for this shop`);
    return position;
  }

  private tryOpen(shopId: string, cursor: string): FeedPosition | null {
    if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
    const raw = Buffer.from(cursor, "base64url");
    if (raw.length < 1 + NONCE_BYTES + TAG_BYTES + 1 || raw[0] !== VERSION) return null;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(1, 1 + NONCE_BYTES));
      decipher.setAAD(Buffer.from(shopId.toLowerCase()));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(raw.subarray(1 + NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString();
      return parsePosition(plain);
    } catch {
      return null;
    }
  }
}

function parsePosition(plain: string): FeedPosition | null {
  const match = /^(\d{1,20})\.([cp])\.([0-9a-f-]{36})$/.exec(plain);
  if (!match || !isUuid(match[3])) return null;
  return { xid: BigInt(match[1]), kind: match[2] as "c" | "p", id: match[3] };
}

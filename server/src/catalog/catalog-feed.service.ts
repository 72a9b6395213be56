import type { DataSource } from "typeorm";
import { type RequestContext, requirePermission } from "../auth/request-context";
import type { CustomerEntity } from "../db/entities/customer.entity";
import type { ProductEntity } from "../db/entities/product.entity";
import { ValidationError } from "../shared/errors";
import { CatalogCursors, FEED_START, type FeedPosition } from "./catalog-cursor";

export type CatalogProduct = Pick<ProductEntity, "id" | "name" | "sku" | "priceCents" | "stock" | "lowStockThreshold" | "archivedAt">;
export type CatalogCustomer = Pick<CustomerEntity, "id" | "name" | "email" | "phone" | "clientTempId">;
export type ArchivedEntry = { id: string; kind: "PRODUCT" | "CUSTOMER" };
export type CatalogPage = {
  products: CatalogProduct[];
  customers: CatalogCustomer[];
  archived: ArchivedEntry[];
  cursor: string;
  hasMore: boolean;
};

export const MAX_CATALOG_PAGE = 1000;
export const DEFAULT_CATALOG_PAGE = 500;

/** The request's names for its two arguments, so an error names what the caller sent. */
export type FeedFields = { since: string; first: string };

type Row = {
  kind: "c" | "p";
  xid: string;
  id: string;
  name: string;
  sku: string | null;
  price_cents: string | null;
  stock: number | null;
  low_stock_threshold: number | null;
  email: string | null;
  phone: string | null;
  client_temp_id: string | null;
  archived_at: Date | null;
};

const NIL_UUID = "00000000-0000-0000-0000-000000000000";
const MAX_UUID = "ffffffff-ffff-ffff-ffff-ffffffffffff";

/**
 * One page of a shop's catalogue changes in feed order `(change_xid, kind, id)`, each side an index
 * range scan on `(shop_id, change_xid, id)`. Only rows whose change_xid is below the statement
 * snapshot's xmin are handed out: every transaction below it has ended, and any later change gets
 * a larger xid, so a page never passes a change that is still in flight (it comes on a later page).
 * $2/$3 and $4/$5 are each side's lower bound, so the one cursor position works for both tables.
 */
export const CATALOG_PAGE_SQL = `SELECT kind, change_xid::text AS xid, id::text AS id, name, sku, price_cents::text AS price_cents, stock,
        low_stock_threshold, email, phone, client_temp_id::text AS client_temp_id, archived_at
   FROM ((SELECT 'c' AS kind, c.change_xid, c.id, c.name, NULL::text AS sku, NULL::bigint AS price_cents, NULL::int AS stock,
                 NULL::int AS low_stock_threshold, c.email, c.phone, c.client_temp_id, c.archived_at
            FROM customers c
           WHERE c.shop_id = $1 AND (c.change_xid, c.id) > ($2::xid8, $3::uuid)
             AND c.change_xid < pg_snapshot_xmin(pg_current_snapshot())
           ORDER BY c.change_xid, c.id
           LIMIT $6)
         UNION ALL
         (SELECT 'p', p.change_xid, p.id, p.name, p.sku, p.price_cents, p.stock, p.low_stock_threshold, NULL, NULL, NULL, p.archived_at
            FROM products p
           WHERE p.shop_id = $1 AND (p.change_xid, p.id) > ($4::xid8, $5::uuid)
             AND p.change_xid < pg_snapshot_xmin(pg_current_snapshot())
           ORDER BY p.change_xid, p.id
           LIMIT $6)) page
  ORDER BY page.change_xid, page.kind, page.id
  LIMIT $6`;

export class CatalogFeedService {
  private readonly cursors: CatalogCursors;

  constructor(
    private readonly dataSource: DataSource,
    cursorSecret: string,
  ) {
    this.cursors = new CatalogCursors(cursorSecret);
  }

  /**
   * `since` absent: everything, paged. Otherwise what changed after that page. The products and
   * customers of a page are their current state (stock is the server's figure); an archived one is
   * only a tombstone in `archived`.
   */
  async changes(
    ctx: RequestContext,
    since: string | null | undefined,
    first: number = DEFAULT_CATALOG_PAGE,
    fields: FeedFields = { since: "since", first: "first" },
  ): Promise<CatalogPage> {
    requirePermission(ctx, "products:read");
    requirePermission(ctx, "customers:read");
    if (!Number.isInteger(first) || first < 1 || first > MAX_CATALOG_PAGE) {
      throw new ValidationError(fields.first, `must be an integer from 1 to ${MAX_CATALOG_PAGE}`);
    }
    // An empty cursor is no cursor: a till that stores "" before its first pull gets everything.
    const from = since == null || since === "" ? FEED_START : this.cursors.open(ctx.shopId, since, fields.since);
    const rows = await this.dataSource.query<Row[]>(CATALOG_PAGE_SQL, [
      ctx.shopId,
      from.xid.toString(),
      boundFor("c", from),
      from.xid.toString(),
      boundFor("p", from),
      first + 1,
    ]);
    const taken = rows.slice(0, first);
    const last = taken[taken.length - 1];
    const position: FeedPosition = last ? { xid: BigInt(last.xid), kind: last.kind, id: last.id } : from;
    return { ...pageOf(taken), cursor: this.cursors.seal(ctx.shopId, position), hasMore: rows.length > first };
  }
}

/** The lower bound of one side: after the position's id on its own side, all of the xid on the later side, none on the earlier. */
function boundFor(kind: "c" | "p", from: FeedPosition): string {
  if (kind === from.kind) return from.id;
  return kind > from.kind ? NIL_UUID : MAX_UUID;
}

function pageOf(rows: Row[]): Omit<CatalogPage, "cursor" | "hasMore"> {
  const page: Omit<CatalogPage, "cursor" | "hasMore"> = { products: [], customers: [], archived: [] };
  for (const row of rows) {
    if (row.archived_at !== null) page.archived.push({ id: row.id, kind: row.kind === "p" ? "PRODUCT" : "CUSTOMER" });
    else if (row.kind === "p") page.products.push(productOf(row));
    else page.customers.push({ id: row.id, name: row.name, email: row.email, phone: row.phone, clientTempId: row.client_temp_id });
  }
  return page;
}

function productOf(row: Row): CatalogProduct {
  return {
    id: row.id,
    name: row.name,
    sku: row.sku!,
    priceCents: Number(row.price_cents),
    stock: row.stock!,
    lowStockThreshold: row.low_stock_threshold!,
    archivedAt: null,
  };
}

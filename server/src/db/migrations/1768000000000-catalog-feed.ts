import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The catalogue feed (issue 12): tills keep the shop's products and customers offline and bring
 * them up to date with deltas.
 *
 * - `change_xid` (xid8) on products and customers: the transaction that last changed what a till
 *   holds (name, SKU, price, stock, threshold, archived state; a customer's name, email, phone).
 *   Set by the column default on insert and by a BEFORE UPDATE trigger in the same UPDATE (stock
 *   changes included: no extra statement, no extra row version). One row per product, updated in
 *   place, so a busy hour of sales is still one row per product in a delta.
 * - The feed pages by `(change_xid, id)` and hands out only rows whose change_xid is below
 *   `pg_snapshot_xmin(pg_current_snapshot())`: every transaction below it has ended, and every
 *   later change gets a larger xid, so a page can never pass a change that commits later
 *   (docs/decisions/0003-catalogue-feed.md).
 * - `archived_at`: archiving keeps the row (sales reference it); the feed answers it as a tombstone.
 * - `product_prices`: every list price with when it took effect, written by triggers so that no
 *   writer (service, seed, CLI, bench) can change a price without its history. Existing products
 *   get their current price from their creation time.
 */
export class CatalogFeed1768000000000 implements MigrationInterface {
  name = "CatalogFeed1768000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE products ADD COLUMN archived_at timestamptz;
      ALTER TABLE products ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
      ALTER TABLE customers ADD COLUMN archived_at timestamptz;
      ALTER TABLE customers ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
      CREATE INDEX products_changes ON products (shop_id, change_xid, id);
      CREATE INDEX customers_changes ON customers (shop_id, change_xid, id);

      CREATE FUNCTION catalog_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.change_xid := pg_current_xact_id();
        RETURN NEW;
      END $$;
      CREATE TRIGGER products_stamp_change BEFORE UPDATE ON products FOR EACH ROW
        WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.sku IS DISTINCT FROM NEW.sku
              OR OLD.price_cents IS DISTINCT FROM NEW.price_cents OR OLD.stock IS DISTINCT FROM NEW.stock
              OR OLD.low_stock_threshold IS DISTINCT FROM NEW.low_stock_threshold
              OR OLD.archived_at IS DISTINCT FROM NEW.archived_at)
        EXECUTE FUNCTION catalog_stamp_change();
      CREATE TRIGGER customers_stamp_change BEFORE UPDATE ON customers FOR EACH ROW
        WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email
              OR OLD.phone IS DISTINCT FROM NEW.phone OR OLD.archived_at IS DISTINCT FROM NEW.archived_at)
        EXECUTE FUNCTION catalog_stamp_change();

      CREATE TABLE product_prices (
        shop_id uuid NOT NULL,
        product_id uuid NOT NULL,
        valid_from timestamptz NOT NULL,
        price_cents bigint NOT NULL CHECK (price_cents >= 0),
        PRIMARY KEY (shop_id, product_id, valid_from),
        FOREIGN KEY (shop_id, product_id) REFERENCES products(shop_id, id)
      );
      INSERT INTO product_prices (shop_id, product_id, valid_from, price_cents)
      SELECT shop_id, id, created_at, price_cents FROM products;

      -- A product's first point is its creation; a change takes effect when its transaction began
      -- (two changes in one transaction: the last one stands).
      CREATE FUNCTION product_price_history() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO product_prices (shop_id, product_id, valid_from, price_cents)
        VALUES (NEW.shop_id, NEW.id, CASE WHEN TG_OP = 'INSERT' THEN NEW.created_at ELSE now() END, NEW.price_cents)
        ON CONFLICT (shop_id, product_id, valid_from) DO UPDATE SET price_cents = EXCLUDED.price_cents;
        RETURN NULL;
      END $$;
      CREATE TRIGGER products_first_price AFTER INSERT ON products FOR EACH ROW
        EXECUTE FUNCTION product_price_history();
      CREATE TRIGGER products_price_change AFTER UPDATE OF price_cents ON products FOR EACH ROW
        WHEN (OLD.price_cents IS DISTINCT FROM NEW.price_cents)
        EXECUTE FUNCTION product_price_history();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER products_price_change ON products;
      DROP TRIGGER products_first_price ON products;
      DROP FUNCTION product_price_history();
      DROP TABLE product_prices;
      DROP TRIGGER customers_stamp_change ON customers;
      DROP TRIGGER products_stamp_change ON products;
      DROP FUNCTION catalog_stamp_change();
      DROP INDEX customers_changes;
      DROP INDEX products_changes;
      ALTER TABLE customers DROP COLUMN change_xid, DROP COLUMN archived_at;
      ALTER TABLE products DROP COLUMN change_xid, DROP COLUMN archived_at;
    `);
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Every table carries shop_id and every key starts with it, so the schema can later be
 * distributed by shop. Composite foreign keys (shop_id, x_id) also make it impossible, at the
 * database level, for a sale to reference another shop's product or customer.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = "InitialSchema1764000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE shops (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL UNIQUE,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE shop_memberships (
        shop_id uuid NOT NULL REFERENCES shops(id),
        user_id uuid NOT NULL REFERENCES users(id),
        role text NOT NULL CHECK (role IN ('owner', 'manager', 'cashier', 'viewer')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, user_id)
      );
      CREATE TABLE products (
        shop_id uuid NOT NULL REFERENCES shops(id),
        id uuid NOT NULL,
        name text NOT NULL,
        sku text NOT NULL,
        price_cents bigint NOT NULL CHECK (price_cents >= 0),
        stock integer NOT NULL,
        low_stock_threshold integer NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, id),
        UNIQUE (shop_id, sku)
      );
      CREATE TABLE customers (
        shop_id uuid NOT NULL REFERENCES shops(id),
        id uuid NOT NULL,
        name text NOT NULL,
        email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, id)
      );
      CREATE TABLE sales (
        shop_id uuid NOT NULL REFERENCES shops(id),
        id uuid NOT NULL,
        order_id text NOT NULL,
        client_temp_id uuid,
        customer_id uuid,
        total_cents bigint NOT NULL CHECK (total_cents >= 0),
        needs_review boolean NOT NULL DEFAULT false,
        review_reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
        sold_at timestamptz NOT NULL,
        synced_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid,
        PRIMARY KEY (shop_id, id),
        UNIQUE (shop_id, order_id),
        FOREIGN KEY (shop_id, customer_id) REFERENCES customers(shop_id, id)
      );
      CREATE INDEX sales_newest_first ON sales (shop_id, sold_at DESC, id DESC);
      CREATE TABLE sale_items (
        shop_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        sale_id uuid NOT NULL,
        product_id uuid NOT NULL,
        position integer NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price_cents bigint NOT NULL CHECK (unit_price_cents >= 0),
        discount_percent numeric(5,2) NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
        line_total_cents bigint NOT NULL CHECK (line_total_cents >= 0),
        PRIMARY KEY (shop_id, id),
        FOREIGN KEY (shop_id, sale_id) REFERENCES sales(shop_id, id),
        FOREIGN KEY (shop_id, product_id) REFERENCES products(shop_id, id)
      );
      CREATE INDEX sale_items_by_sale ON sale_items (shop_id, sale_id, position);
      -- The mapping is claimed before its sale row exists (INSERT ... ON CONFLICT DO NOTHING decides
      -- who wins a race), so its foreign key is checked at commit.
      CREATE TABLE offline_sale_syncs (
        shop_id uuid NOT NULL REFERENCES shops(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        client_temp_id uuid NOT NULL,
        sale_id uuid NOT NULL,
        fingerprint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, id),
        CONSTRAINT offline_sale_syncs_client_temp_id_key UNIQUE (shop_id, client_temp_id),
        CONSTRAINT offline_sale_syncs_sale_id_key UNIQUE (shop_id, sale_id),
        FOREIGN KEY (shop_id, sale_id) REFERENCES sales(shop_id, id) DEFERRABLE INITIALLY DEFERRED
      );
      CREATE TABLE notifications (
        shop_id uuid NOT NULL REFERENCES shops(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        type text NOT NULL CHECK (type IN ('LOW_STOCK')),
        product_id uuid NOT NULL,
        message text NOT NULL,
        stock integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        PRIMARY KEY (shop_id, id),
        FOREIGN KEY (shop_id, product_id) REFERENCES products(shop_id, id)
      );
      CREATE UNIQUE INDEX notifications_one_unread_per_product
        ON notifications (shop_id, product_id, type) WHERE read_at IS NULL;
      CREATE INDEX notifications_newest_first ON notifications (shop_id, updated_at DESC);
      CREATE TABLE stock_movements (
        shop_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        product_id uuid NOT NULL,
        quantity_delta integer NOT NULL,
        reason text NOT NULL CHECK (reason IN ('initial', 'sale', 'adjustment')),
        sale_id uuid,
        note text,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, id),
        FOREIGN KEY (shop_id, product_id) REFERENCES products(shop_id, id),
        FOREIGN KEY (shop_id, sale_id) REFERENCES sales(shop_id, id)
      );
      CREATE INDEX stock_movements_by_product ON stock_movements (shop_id, product_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE stock_movements; DROP TABLE notifications; DROP TABLE offline_sale_syncs;
      DROP TABLE sale_items; DROP TABLE sales; DROP TABLE customers; DROP TABLE products;
      DROP TABLE shop_memberships; DROP TABLE users; DROP TABLE shops;
    `);
  }
}

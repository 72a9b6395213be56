import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A till's whole offline day (issue 11): customers created at the counter, refunds (also of sales
 * the server has not seen yet), tenders, and the shop's offline card limit.
 *
 * - `customers.client_temp_id` + `fingerprint`: idempotency of an offline customer per shop, decided
 *   by the unique key, like a sale's mapping. `phone` is new for every customer.
 * - `refunds` carry their own (shop, client_temp_id) key and fingerprint; `sale_id` is null while the
 *   referenced sale is not on the server (`sale_client_temp_id` / `sale_server_id` keep the reference
 *   as sent) and is filled in by the sale's own write when it arrives.
 * - `payments`: one row per tender of a sale or a refund; `sales.change_cents` is the cash given back.
 * - `stock_movements`: reason `refund` with the refund it restocks.
 * - `sale_rejections.kind`: refused refunds are kept like refused sales; the key includes the kind.
 */
export class OfflineDay1767000000000 implements MigrationInterface {
  name = "OfflineDay1767000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE shops ADD COLUMN offline_card_limit_cents bigint CHECK (offline_card_limit_cents >= 0);

      ALTER TABLE customers ADD COLUMN phone text;
      ALTER TABLE customers ADD COLUMN client_temp_id uuid;
      ALTER TABLE customers ADD COLUMN fingerprint text;
      ALTER TABLE customers ADD CONSTRAINT customers_client_temp_id_key UNIQUE (shop_id, client_temp_id);

      ALTER TABLE sales ADD COLUMN change_cents bigint NOT NULL DEFAULT 0 CHECK (change_cents >= 0);
      CREATE INDEX sales_by_customer ON sales (shop_id, customer_id, sold_at DESC, id DESC) WHERE customer_id IS NOT NULL;

      CREATE TABLE refunds (
        shop_id uuid NOT NULL REFERENCES shops(id),
        id uuid NOT NULL,
        client_temp_id uuid NOT NULL,
        fingerprint text NOT NULL,
        sale_id uuid,
        sale_client_temp_id uuid,
        sale_server_id uuid,
        total_cents bigint NOT NULL CHECK (total_cents >= 0),
        reason text,
        restock boolean NOT NULL,
        refunded_at timestamptz NOT NULL,
        synced_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid,
        till_id uuid,
        staff_id uuid,
        receipt_number integer CHECK (receipt_number > 0),
        needs_review boolean NOT NULL DEFAULT false,
        review_reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
        PRIMARY KEY (shop_id, id),
        CONSTRAINT refunds_client_temp_id_key UNIQUE (shop_id, client_temp_id),
        FOREIGN KEY (shop_id, sale_id) REFERENCES sales(shop_id, id),
        FOREIGN KEY (shop_id, till_id) REFERENCES tills(shop_id, id),
        CHECK ((sale_client_temp_id IS NULL) <> (sale_server_id IS NULL))
      );
      CREATE INDEX refunds_newest_first ON refunds (shop_id, refunded_at DESC, id DESC);
      CREATE INDEX refunds_by_sale ON refunds (shop_id, sale_id) WHERE sale_id IS NOT NULL;
      CREATE INDEX refunds_unlinked ON refunds (shop_id, sale_client_temp_id) WHERE sale_id IS NULL;
      CREATE INDEX refunds_by_till_receipt ON refunds (shop_id, till_id, receipt_number) WHERE receipt_number IS NOT NULL;
      CREATE INDEX refunds_needing_review ON refunds (shop_id, synced_at) WHERE needs_review;

      CREATE TABLE refund_lines (
        shop_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        refund_id uuid NOT NULL,
        product_id uuid NOT NULL,
        position integer NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
        PRIMARY KEY (shop_id, id),
        FOREIGN KEY (shop_id, refund_id) REFERENCES refunds(shop_id, id),
        FOREIGN KEY (shop_id, product_id) REFERENCES products(shop_id, id)
      );
      CREATE INDEX refund_lines_by_refund ON refund_lines (shop_id, refund_id, position);

      CREATE TABLE payments (
        shop_id uuid NOT NULL REFERENCES shops(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        sale_id uuid,
        refund_id uuid,
        position integer NOT NULL,
        method text NOT NULL CHECK (method IN ('CASH', 'CARD', 'VOUCHER', 'OTHER')),
        amount_cents bigint NOT NULL CHECK (amount_cents > 0),
        reference text,
        offline boolean NOT NULL DEFAULT false,
        PRIMARY KEY (shop_id, id),
        FOREIGN KEY (shop_id, sale_id) REFERENCES sales(shop_id, id),
        FOREIGN KEY (shop_id, refund_id) REFERENCES refunds(shop_id, id),
        CHECK ((sale_id IS NULL) <> (refund_id IS NULL))
      );
      CREATE INDEX payments_by_sale ON payments (shop_id, sale_id, position) WHERE sale_id IS NOT NULL;
      CREATE INDEX payments_by_refund ON payments (shop_id, refund_id, position) WHERE refund_id IS NOT NULL;

      ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_reason_check;
      ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_reason_check CHECK (reason IN ('initial', 'sale', 'adjustment', 'refund'));
      ALTER TABLE stock_movements ADD COLUMN refund_id uuid;
      ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_refund_fkey FOREIGN KEY (shop_id, refund_id) REFERENCES refunds(shop_id, id);

      ALTER TABLE sale_rejections ADD COLUMN kind text NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'refund'));
      ALTER TABLE sale_rejections DROP CONSTRAINT sale_rejections_client_temp_id_key;
      ALTER TABLE sale_rejections ADD CONSTRAINT sale_rejections_client_temp_id_key UNIQUE (shop_id, kind, client_temp_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM sale_rejections WHERE kind <> 'sale';
      ALTER TABLE sale_rejections DROP CONSTRAINT sale_rejections_client_temp_id_key;
      ALTER TABLE sale_rejections ADD CONSTRAINT sale_rejections_client_temp_id_key UNIQUE (shop_id, client_temp_id);
      ALTER TABLE sale_rejections DROP COLUMN kind;
      DELETE FROM stock_movements WHERE reason = 'refund';
      ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_refund_fkey;
      ALTER TABLE stock_movements DROP COLUMN refund_id;
      ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_reason_check;
      ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_reason_check CHECK (reason IN ('initial', 'sale', 'adjustment'));
      DROP TABLE payments; DROP TABLE refund_lines; DROP TABLE refunds;
      DROP INDEX sales_by_customer;
      ALTER TABLE sales DROP COLUMN change_cents;
      ALTER TABLE customers DROP CONSTRAINT customers_client_temp_id_key;
      ALTER TABLE customers DROP COLUMN fingerprint; ALTER TABLE customers DROP COLUMN client_temp_id; ALTER TABLE customers DROP COLUMN phone;
      ALTER TABLE shops DROP COLUMN offline_card_limit_cents;
    `);
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Receipt numbers, proof of completeness and the attention list (issue 10).
 *
 * - `sales.receipt_number`: the till's own counter, assigned at the moment of sale. NOT unique: a
 *   till restored from a backup reuses numbers, and such a sale is recorded (it happened) and
 *   flagged; the index serves lookups, duplicate detection and the gaps query.
 * - `tills`: the till's latest report of its outbox (`tillState`) and the count of refused sales
 *   that had no usable clientTempId; `shops.unidentified_rejections` for those sent without a till.
 * - `sale_rejections`: every refused sale, once per (shop, clientTempId), with its payload as sent.
 * - `attention_resolutions`: the audit trail of resolveAttention, with the item's state (`version`)
 *   when it was resolved, so an item comes back only when something new happens.
 */
export class ReceiptsAndAttention1766000000000 implements MigrationInterface {
  name = "ReceiptsAndAttention1766000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sales ADD COLUMN receipt_number integer CHECK (receipt_number > 0);
      CREATE INDEX sales_by_till_receipt ON sales (shop_id, till_id, receipt_number) WHERE receipt_number IS NOT NULL;
      -- The attention list reads flagged sales only; they are few among many.
      CREATE INDEX sales_needing_review ON sales (shop_id, synced_at) WHERE needs_review;

      ALTER TABLE tills ADD COLUMN state_reported_at timestamptz;
      ALTER TABLE tills ADD COLUMN unsent_count integer CHECK (unsent_count >= 0);
      ALTER TABLE tills ADD COLUMN unsent_lowest integer;
      ALTER TABLE tills ADD COLUMN unsent_highest integer;
      ALTER TABLE tills ADD COLUMN unidentified_rejections integer NOT NULL DEFAULT 0;
      ALTER TABLE shops ADD COLUMN unidentified_rejections integer NOT NULL DEFAULT 0;

      CREATE TABLE sale_rejections (
        shop_id uuid NOT NULL REFERENCES shops(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        client_temp_id uuid NOT NULL,
        till_id uuid,
        receipt_number integer,
        payload jsonb NOT NULL,
        error_code text NOT NULL,
        error_message text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        times_sent integer NOT NULL DEFAULT 1,
        resolved_at timestamptz,
        resolved_by uuid REFERENCES users(id),
        resolution text CHECK (resolution IN ('synced', 'manual')),
        note text,
        PRIMARY KEY (shop_id, id),
        CONSTRAINT sale_rejections_client_temp_id_key UNIQUE (shop_id, client_temp_id),
        FOREIGN KEY (shop_id, till_id) REFERENCES tills(shop_id, id),
        CHECK ((resolved_at IS NULL) = (resolution IS NULL))
      );
      CREATE INDEX sale_rejections_open ON sale_rejections (shop_id, last_seen_at) WHERE resolved_at IS NULL;
      CREATE INDEX sale_rejections_by_till_receipt ON sale_rejections (shop_id, till_id, receipt_number) WHERE receipt_number IS NOT NULL;

      CREATE TABLE attention_resolutions (
        shop_id uuid NOT NULL REFERENCES shops(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        item_id text NOT NULL,
        kind text NOT NULL,
        version text NOT NULL,
        resolved_by uuid REFERENCES users(id),
        resolved_at timestamptz NOT NULL DEFAULT now(),
        note text,
        PRIMARY KEY (shop_id, id)
      );
      CREATE INDEX attention_resolutions_by_item ON attention_resolutions (shop_id, item_id, resolved_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE attention_resolutions; DROP TABLE sale_rejections;
      ALTER TABLE shops DROP COLUMN unidentified_rejections;
      ALTER TABLE tills DROP COLUMN unidentified_rejections; ALTER TABLE tills DROP COLUMN unsent_highest;
      ALTER TABLE tills DROP COLUMN unsent_lowest; ALTER TABLE tills DROP COLUMN unsent_count;
      ALTER TABLE tills DROP COLUMN state_reported_at;
      DROP INDEX sales_needing_review; DROP INDEX sales_by_till_receipt;
      ALTER TABLE sales DROP COLUMN receipt_number;
    `);
  }
}

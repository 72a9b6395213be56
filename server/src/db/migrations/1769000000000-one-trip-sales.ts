import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A new sale in one round trip (issue 13). The sale's rows (idempotency claim, sale, payments,
 * lines, ledger, stock, low-stock notification, refunds waiting for it, kept rejection resolved)
 * are written by ONE call of `pos_sync_record_sales`, in autocommit or inside a caller's
 * transaction. It is a function, not one SQL statement, for one reason: its locks must be taken
 * BEFORE the snapshot its writes read. In READ COMMITTED each statement of a VOLATILE function
 * gets a fresh snapshot, so a refund committed while we waited on the refund-link lock is seen
 * and linked, exactly as the two-statement transaction did (server/src/sync/refund-links.ts).
 *
 * The rules stay in TypeScript (sale-rules.ts judges every sale before this is called); this
 * function only writes what it is given, in the fixed lock order every writer uses: refund-link
 * lock (shared), the till's receipt lock, mapping keys in clientTempId order, products in id
 * order last. A popular product's row lock is taken after the claim and the sale rows and held
 * only for the lines' inserts and the commit, with no round trip to the server in between; the
 * lines come after it so that their foreign-key locks never share the row with another writer.
 *
 * `pos_sync_apply_stock` is the stock ledger's one atomic update (every movement's stock change
 * goes through it: sales here, refunds and adjustments from inventory/stock-ledger.ts).
 * The lock keys are functions so TypeScript and SQL compute the same key from the same uuid.
 *
 * A sale whose random order number is taken is skipped, its claim given back, and answered with a
 * NULL order number (the caller draws again for it alone).
 * SQLSTATE PSR01: a receipt number of the call is already recorded for its till (checked under
 * the till's lock when asked); the caller then writes the batch on the flagging path.
 */
export class OneTripSales1769000000000 implements MigrationInterface {
  name = "OneTripSales1769000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(LOCK_KEYS);
    await q.query(APPLY_STOCK);
    await q.query(RECORD_SALES);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION pos_sync_record_sales;
      DROP FUNCTION pos_sync_apply_stock;
      DROP FUNCTION pos_sync_receipts_key;
      DROP FUNCTION pos_sync_refund_links_key;
    `);
  }
}

const LOCK_KEYS = `
  CREATE FUNCTION pos_sync_refund_links_key(p_shop uuid) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS $$ SELECT hashtextextended('refund-links/' || p_shop::text, 0) $$;
  CREATE FUNCTION pos_sync_receipts_key(p_shop uuid, p_till uuid) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS $$ SELECT hashtextextended('receipts/' || p_shop::text || '/' || p_till::text, 0) $$;
`;

/**
 * The products are locked in id order, each fetched by its primary key behind OFFSET 0 (the
 * function's cached generic plan does not know how many products the shop has, and must not scan
 * them all to find the batch's), then changed in one set-based UPDATE that finds the locked rows
 * by their tuple ids, which nobody else can move while we hold the locks. The low-stock
 * notifications are raised or refreshed in the same statement.
 */
const APPLY_STOCK = `
  CREATE FUNCTION pos_sync_apply_stock(p_shop uuid, p_ids uuid[], p_deltas bigint[])
    RETURNS TABLE (changed_id uuid, new_stock integer) LANGUAGE plpgsql AS $$
  DECLARE
    v_rows tid[];
    v_deltas bigint[];
  BEGIN
    SELECT array_agg(l.ctid ORDER BY d.id), array_agg(d.delta ORDER BY d.id) INTO v_rows, v_deltas
      FROM (SELECT d.id, d.delta FROM unnest(p_ids, p_deltas) AS d(id, delta) ORDER BY d.id) d
      CROSS JOIN LATERAL (SELECT p.ctid FROM products p WHERE p.shop_id = p_shop AND p.id = d.id OFFSET 0 FOR NO KEY UPDATE) l;
    RETURN QUERY
    WITH updated AS (
      UPDATE products p
         SET stock = p.stock + d.delta, updated_at = now()
        FROM unnest(v_rows, v_deltas) AS d(row_id, delta)
       WHERE p.ctid = d.row_id AND p.shop_id = p_shop
      RETURNING p.id, p.name, p.stock, p.low_stock_threshold
    ), raised AS (
      INSERT INTO notifications (shop_id, type, product_id, message, stock)
      SELECT p_shop, 'LOW_STOCK', u.id,
             format('Low stock: %s has %s left (threshold %s)', u.name, u.stock, u.low_stock_threshold), u.stock
        FROM updated u
       WHERE u.stock <= u.low_stock_threshold
       ORDER BY u.id
      ON CONFLICT (shop_id, product_id, type) WHERE read_at IS NULL
      DO UPDATE SET stock = EXCLUDED.stock, message = EXCLUDED.message, updated_at = now()
    )
    SELECT u.id, u.stock FROM updated u;
  END $$;
`;

const RECORD_SALES = `
  CREATE FUNCTION pos_sync_record_sales(
    p_shop uuid, p_user uuid, p_till uuid, p_check_receipts boolean,
    s_id uuid[], s_order text[], s_temp uuid[], s_customer uuid[], s_total bigint[], s_review boolean[],
    s_reasons text[], s_sold_at timestamptz[], s_staff uuid[], s_receipt int[], s_change bigint[], s_fingerprint text[],
    l_sale uuid[], l_product uuid[], l_position int[], l_quantity int[], l_unit bigint[], l_discount_bp int[], l_total bigint[],
    y_sale uuid[], y_position int[], y_method text[], y_amount bigint[], y_reference text[], y_offline boolean[]
  ) RETURNS TABLE (client_temp_id uuid, sale_id uuid, order_id text) LANGUAGE plpgsql AS $$
  #variable_conflict use_column
  DECLARE
    v_ids uuid[];
    v_temps uuid[];
    v_orders text[];
    v_claimed uuid[];
    v_clashed uuid[];
    v_products uuid[];
    v_deltas bigint[];
    v_written int;
  BEGIN
    PERFORM pg_advisory_xact_lock_shared(pos_sync_refund_links_key(p_shop));
    IF p_check_receipts AND p_till IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(s_receipt) n WHERE n IS NOT NULL) THEN
      PERFORM pg_advisory_xact_lock(pos_sync_receipts_key(p_shop, p_till));
      IF EXISTS (SELECT 1 FROM sales s WHERE s.shop_id = p_shop AND s.till_id = p_till AND s.receipt_number = ANY (s_receipt))
         OR EXISTS (SELECT 1 FROM refunds f WHERE f.shop_id = p_shop AND f.till_id = p_till AND f.receipt_number = ANY (s_receipt)) THEN
        RAISE EXCEPTION 'a receipt number of this batch is already recorded for its till' USING ERRCODE = 'PSR01';
      END IF;
    END IF;

    WITH claimed AS (
      INSERT INTO offline_sale_syncs (shop_id, client_temp_id, sale_id, fingerprint)
      SELECT p_shop, t.temp_id, t.id, t.fingerprint
        FROM unnest(s_temp, s_id, s_fingerprint) AS t(temp_id, id, fingerprint)
       ORDER BY t.temp_id
      ON CONFLICT (shop_id, client_temp_id) DO NOTHING
      RETURNING sale_id
    ), new_sales AS (
      INSERT INTO sales (shop_id, id, order_id, client_temp_id, customer_id, total_cents, needs_review,
                         review_reasons, sold_at, created_by, till_id, staff_id, receipt_number, change_cents)
      SELECT p_shop, t.id, t.order_id, t.temp_id, t.customer_id, t.total_cents, t.needs_review,
             t.reasons::jsonb, t.sold_at, p_user, p_till, t.staff_id, t.receipt_number, t.change_cents
        FROM unnest(s_id, s_order, s_temp, s_customer, s_total, s_review, s_reasons, s_sold_at, s_staff, s_receipt, s_change)
          AS t(id, order_id, temp_id, customer_id, total_cents, needs_review, reasons, sold_at, staff_id, receipt_number, change_cents)
       WHERE t.id IN (SELECT c.sale_id FROM claimed c)
      ON CONFLICT (shop_id, order_id) DO NOTHING
      RETURNING id, client_temp_id, order_id
    ), resolved AS (
      UPDATE sale_rejections r SET resolved_at = now(), resolution = 'synced'
       WHERE r.shop_id = p_shop AND r.kind = 'sale' AND r.resolved_at IS NULL
         AND r.client_temp_id IN (SELECT n.client_temp_id FROM new_sales n)
    ), linked AS (
      UPDATE refunds f SET sale_id = n.id
        FROM new_sales n
       WHERE f.shop_id = p_shop AND f.sale_id IS NULL AND f.sale_client_temp_id = n.client_temp_id
    )
    SELECT array_agg(n.id), array_agg(n.client_temp_id), array_agg(n.order_id), (SELECT array_agg(c.sale_id) FROM claimed c)
      INTO v_ids, v_temps, v_orders, v_claimed FROM new_sales n;

    -- A claim whose sale was skipped for its order number is given back, and the sale answered
    -- with a NULL order number: the caller draws it another and calls again for it alone.
    v_clashed := ARRAY(SELECT c FROM unnest(v_claimed) c WHERE c <> ALL (COALESCE(v_ids, '{}')));
    IF cardinality(v_clashed) > 0 THEN
      DELETE FROM offline_sale_syncs m WHERE m.shop_id = p_shop AND m.sale_id = ANY (v_clashed);
    END IF;

    SELECT array_agg(d.product ORDER BY d.product), array_agg(d.delta ORDER BY d.product) INTO v_products, v_deltas
      FROM (SELECT l.product, -sum(l.quantity)::bigint AS delta
              FROM unnest(l_sale, l_product, l_quantity) AS l(sale, product, quantity)
             WHERE l.sale = ANY (v_ids)
             GROUP BY l.product) d;
    IF v_products IS NOT NULL THEN
      PERFORM 1 FROM pos_sync_apply_stock(p_shop, v_products, v_deltas);
    END IF;

    -- The lines and their ledger rows after the stock update: their foreign keys take KEY SHARE
    -- on the products, which this transaction then already holds more strongly, so a popular
    -- product never carries several transactions' locks at once (a multixact per sale).
    WITH new_payments AS (
      INSERT INTO payments (shop_id, sale_id, position, method, amount_cents, reference, offline)
      SELECT p_shop, p.sale, p.position, p.method, p.amount, p.reference, p.offline
        FROM unnest(y_sale, y_position, y_method, y_amount, y_reference, y_offline)
          AS p(sale, position, method, amount, reference, offline)
       WHERE p.sale IN (SELECT n.id FROM unnest(v_ids) AS n(id))
    ), new_lines AS (
      INSERT INTO sale_items (shop_id, sale_id, product_id, position, quantity, unit_price_cents,
                              discount_percent, line_total_cents)
      SELECT p_shop, l.sale, l.product, l.position, l.quantity, l.unit, l.discount_bp / 100.0, l.total
        FROM unnest(l_sale, l_product, l_position, l_quantity, l_unit, l_discount_bp, l_total)
          AS l(sale, product, position, quantity, unit, discount_bp, total)
       WHERE l.sale IN (SELECT n.id FROM unnest(v_ids) AS n(id))
      RETURNING sale_id, product_id, quantity
    ), movements AS (
      INSERT INTO stock_movements (shop_id, product_id, quantity_delta, reason, sale_id, created_by)
      SELECT p_shop, nl.product_id, -nl.quantity, 'sale', nl.sale_id, p_user FROM new_lines nl
    )
    SELECT 1 INTO v_written;

    RETURN QUERY SELECT * FROM unnest(v_temps, v_ids, v_orders)
      UNION ALL
      SELECT t.temp_id, t.id, NULL::text FROM unnest(s_temp, s_id) AS t(temp_id, id) WHERE t.id = ANY (v_clashed);
  END $$;
`;

/**
 * The invariants of recorded sales, each one set-based query that returns the offending rows as
 * `detail` strings (so every check is one pass over the tables, fast on hundreds of thousands of
 * sales). `scope(alias)` is the shop filter for that alias: `alias.shop_id = $1` or `true`.
 *
 * The order matters only for naming: the first broken one is the one reported first, so the more
 * fundamental breakages (exactly-once) come before their consequences (stock, totals).
 */
export type InvariantName =
  | "mapping-points-at-sale"
  | "synced-sale-has-one-mapping"
  | "sale-has-items"
  | "stock-matches-ledger"
  | "sale-movements-match-items"
  | "order-number-unique"
  | "total-matches-lines"
  | "receipt-number-unique-per-till"
  | "refund-restock-in-ledger"
  | "refund-within-sold"
  | "sale-payments-match-total";

export type Invariant = {
  name: InvariantName;
  description: string;
  sql(scope: (alias: string) => string): string;
};

/** A client's total may differ from its lines by a rounding cent (the same tolerance as the sync). */
export const TOTAL_TOLERANCE_CENTS = 1;

export const INVARIANTS: readonly Invariant[] = [
  {
    name: "mapping-points-at-sale",
    description: "every offline_sale_syncs row points at an existing sale with the same clientTempId",
    sql: (scope) => `
      SELECT format('shop %s clientTempId %s -> sale %s', m.shop_id, m.client_temp_id, m.sale_id) AS detail
        FROM offline_sale_syncs m
        LEFT JOIN sales s ON s.shop_id = m.shop_id AND s.id = m.sale_id
       WHERE ${scope("m")} AND (s.id IS NULL OR s.client_temp_id IS DISTINCT FROM m.client_temp_id)`,
  },
  {
    name: "synced-sale-has-one-mapping",
    description: "every sale with a clientTempId has exactly one mapping (no sale recorded twice)",
    sql: (scope) => `
      SELECT format('shop %s sale %s (clientTempId %s) has %s mappings', s.shop_id, s.id, s.client_temp_id,
                    COALESCE(m.n, 0)) AS detail
        FROM sales s
        LEFT JOIN (SELECT shop_id, sale_id, client_temp_id, count(*) AS n
                     FROM offline_sale_syncs m WHERE ${scope("m")}
                    GROUP BY shop_id, sale_id, client_temp_id) m
          ON m.shop_id = s.shop_id AND m.sale_id = s.id AND m.client_temp_id = s.client_temp_id
       WHERE ${scope("s")} AND s.client_temp_id IS NOT NULL AND COALESCE(m.n, 0) <> 1`,
  },
  {
    name: "sale-has-items",
    description: "every sale has at least one item",
    sql: (scope) => `
      SELECT format('shop %s sale %s (%s) has no items', s.shop_id, s.id, s.order_id) AS detail
        FROM sales s
       WHERE ${scope("s")}
         AND NOT EXISTS (SELECT 1 FROM sale_items i WHERE i.shop_id = s.shop_id AND i.sale_id = s.id)`,
  },
  {
    name: "stock-matches-ledger",
    description: "each product's stock equals the sum of its stock movements (initial, sale, adjustment, refund)",
    sql: (scope) => `
      SELECT format('shop %s product %s stock %s, ledger %s', p.shop_id, p.id, p.stock, COALESCE(l.total, 0)) AS detail
        FROM products p
        LEFT JOIN (SELECT shop_id, product_id, sum(quantity_delta) AS total
                     FROM stock_movements m
                    WHERE ${scope("m")} AND reason IN ('initial', 'sale', 'adjustment', 'refund')
                    GROUP BY shop_id, product_id) l
          ON l.shop_id = p.shop_id AND l.product_id = p.id
       WHERE ${scope("p")} AND p.stock <> COALESCE(l.total, 0)`,
  },
  {
    name: "sale-movements-match-items",
    description: "the sale movements of each sale and product equal the quantities sold",
    sql: (scope) => `
      SELECT format('shop %s sale %s product %s sold %s, ledger %s', COALESCE(i.shop_id, m.shop_id),
                    COALESCE(i.sale_id, m.sale_id), COALESCE(i.product_id, m.product_id),
                    COALESCE(i.sold, 0), COALESCE(m.moved, 0)) AS detail
        FROM (SELECT shop_id, sale_id, product_id, sum(quantity) AS sold
                FROM sale_items i WHERE ${scope("i")}
               GROUP BY shop_id, sale_id, product_id) i
        FULL JOIN (SELECT shop_id, sale_id, product_id, -sum(quantity_delta) AS moved
                     FROM stock_movements m WHERE ${scope("m")} AND reason = 'sale'
                    GROUP BY shop_id, sale_id, product_id) m
          ON m.shop_id = i.shop_id AND m.sale_id = i.sale_id AND m.product_id = i.product_id
       WHERE i.sold IS DISTINCT FROM m.moved`,
  },
  {
    name: "order-number-unique",
    description: "no order number repeats within a shop",
    sql: (scope) => `
      SELECT format('shop %s order %s used by %s sales', shop_id, order_id, count(*)) AS detail
        FROM sales s WHERE ${scope("s")}
       GROUP BY shop_id, order_id HAVING count(*) > 1`,
  },
  {
    name: "total-matches-lines",
    description: `sale totals equal the sum of their lines (within ${TOTAL_TOLERANCE_CENTS} cent) unless flagged for review`,
    sql: (scope) => `
      SELECT format('shop %s sale %s (%s) total %s, lines %s', s.shop_id, s.id, s.order_id, s.total_cents,
                    COALESCE(l.lines, 0)) AS detail
        FROM sales s
        LEFT JOIN (SELECT shop_id, sale_id, sum(line_total_cents) AS lines
                     FROM sale_items i WHERE ${scope("i")}
                    GROUP BY shop_id, sale_id) l
          ON l.shop_id = s.shop_id AND l.sale_id = s.id
       WHERE ${scope("s")} AND NOT s.needs_review
         AND abs(s.total_cents - COALESCE(l.lines, 0)) > ${TOTAL_TOLERANCE_CENTS}`,
  },
  {
    name: "receipt-number-unique-per-till",
    description: "a till's receipt number belongs to one sale, unless the later sales with it are flagged for review",
    sql: (scope) => `
      SELECT format('shop %s till %s receipt %s used by %s sales not flagged for review', shop_id, till_id, receipt_number,
                    count(*) FILTER (WHERE NOT needs_review)) AS detail
        FROM sales s
       WHERE ${scope("s")} AND till_id IS NOT NULL AND receipt_number IS NOT NULL
       GROUP BY shop_id, till_id, receipt_number
      HAVING count(*) FILTER (WHERE NOT needs_review) > 1`,
  },
  {
    name: "refund-restock-in-ledger",
    description: "the refund movements of each refund and product equal its restocked lines (none for a refund without restock)",
    sql: (scope) => `
      SELECT format('shop %s refund %s product %s restocked %s, ledger %s', COALESCE(l.shop_id, m.shop_id),
                    COALESCE(l.refund_id, m.refund_id), COALESCE(l.product_id, m.product_id),
                    COALESCE(l.back, 0), COALESCE(m.moved, 0)) AS detail
        FROM (SELECT l.shop_id, l.refund_id, l.product_id, sum(l.quantity) AS back
                FROM refund_lines l JOIN refunds f ON f.shop_id = l.shop_id AND f.id = l.refund_id
               WHERE ${scope("l")} AND f.restock
               GROUP BY l.shop_id, l.refund_id, l.product_id) l
        FULL JOIN (SELECT shop_id, refund_id, product_id, sum(quantity_delta) AS moved
                     FROM stock_movements m WHERE ${scope("m")} AND reason = 'refund'
                    GROUP BY shop_id, refund_id, product_id) m
          ON m.shop_id = l.shop_id AND m.refund_id = l.refund_id AND m.product_id = l.product_id
       WHERE l.back IS DISTINCT FROM m.moved`,
  },
  {
    name: "refund-within-sold",
    description: "the quantities refunded per sale and product are within what was sold, unless a refund of them is flagged for review",
    sql: (scope) => `
      SELECT format('shop %s sale %s product %s sold %s, refunded %s without a flagged refund', r.shop_id, r.sale_id, r.product_id,
                    COALESCE(i.sold, 0), r.back) AS detail
        FROM (SELECT f.shop_id, f.sale_id, l.product_id, sum(l.quantity) AS back, bool_or(f.needs_review) AS flagged
                FROM refunds f JOIN refund_lines l ON l.shop_id = f.shop_id AND l.refund_id = f.id
               WHERE ${scope("f")} AND f.sale_id IS NOT NULL
               GROUP BY f.shop_id, f.sale_id, l.product_id) r
        LEFT JOIN (SELECT shop_id, sale_id, product_id, sum(quantity) AS sold
                     FROM sale_items i WHERE ${scope("i")} GROUP BY shop_id, sale_id, product_id) i
          ON i.shop_id = r.shop_id AND i.sale_id = r.sale_id AND i.product_id = r.product_id
       WHERE r.back > COALESCE(i.sold, 0) AND NOT r.flagged`,
  },
  {
    name: "sale-payments-match-total",
    description: "a sale's recorded payments minus its change equal its total, unless it is flagged for review (or it has no payments)",
    sql: (scope) => `
      SELECT format('shop %s sale %s (%s) total %s, paid %s, change %s', s.shop_id, s.id, s.order_id, s.total_cents, p.paid,
                    s.change_cents) AS detail
        FROM sales s
        JOIN (SELECT shop_id, sale_id, sum(amount_cents) AS paid FROM payments p
               WHERE ${scope("p")} AND sale_id IS NOT NULL GROUP BY shop_id, sale_id) p
          ON p.shop_id = s.shop_id AND p.sale_id = s.id
       WHERE ${scope("s")} AND NOT s.needs_review AND p.paid - s.change_cents <> s.total_cents`,
  },
];

import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Real sign-in (issue 15): password hashes on users, refresh-token families, tills with their
 * pairing codes, staff PINs, and which till and which cashier made each sale.
 *
 * Per-shop keys start with shop_id and per-shop references are composite (shop_id, x_id), as in
 * the initial schema, so a sale can never point at another shop's till or staff member. Lookups
 * that arrive without a shop (a refresh token, a pairing code) have global unique keys on the hash.
 *
 * The role `till` is not a membership role: tills are not users, and the role is given by the
 * till's credential (auth/permissions.ts), so `shop_memberships.role` keeps its four values.
 */
export class AccountsAndTills1765000000000 implements MigrationInterface {
  name = "AccountsAndTills1765000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- argon2id PHC strings; null for a user who has never been given a password (cannot log in).
      ALTER TABLE users ADD COLUMN password_hash text;
      -- Logins match emails case-insensitively.
      CREATE INDEX users_email_lower ON users (lower(email));

      -- Till codes T01, T02, ... are drawn from this counter with an atomic UPDATE ... RETURNING.
      ALTER TABLE shops ADD COLUMN tills_allocated integer NOT NULL DEFAULT 0;

      CREATE TABLE tills (
        shop_id uuid NOT NULL REFERENCES shops(id),
        id uuid NOT NULL,
        code text NOT NULL,
        name text NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        paired_at timestamptz,
        last_seen_at timestamptz,
        revoked_at timestamptz,
        PRIMARY KEY (shop_id, id),
        UNIQUE (shop_id, code)
      );

      -- SHA-256 of the code; a code is single use (used_at) and short-lived (expires_at).
      CREATE TABLE till_pairings (
        shop_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        till_id uuid NOT NULL,
        code_hash text NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        PRIMARY KEY (shop_id, id),
        CONSTRAINT till_pairings_code_hash_key UNIQUE (code_hash),
        FOREIGN KEY (shop_id, till_id) REFERENCES tills(shop_id, id)
      );

      -- One family per sign-in (a user's login or a till's pairing). Exactly one of user / till.
      CREATE TABLE refresh_token_families (
        id uuid PRIMARY KEY,
        user_id uuid REFERENCES users(id),
        shop_id uuid REFERENCES shops(id),
        till_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_reason text,
        FOREIGN KEY (shop_id, till_id) REFERENCES tills(shop_id, id),
        CHECK ((user_id IS NOT NULL AND till_id IS NULL) OR (user_id IS NULL AND till_id IS NOT NULL AND shop_id IS NOT NULL))
      );
      CREATE INDEX refresh_token_families_by_till ON refresh_token_families (shop_id, till_id) WHERE till_id IS NOT NULL;
      CREATE INDEX refresh_token_families_by_user ON refresh_token_families (user_id) WHERE user_id IS NOT NULL;

      -- Every token a family has issued (SHA-256 only), so a rotated one is recognised when replayed.
      CREATE TABLE refresh_tokens (
        token_hash text PRIMARY KEY,
        family_id uuid NOT NULL REFERENCES refresh_token_families(id),
        issued_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        successor_hash text
      );
      CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);

      -- PBKDF2-SHA256 with a per-member salt, verifiable offline by the till with WebCrypto.
      CREATE TABLE staff_pins (
        shop_id uuid NOT NULL,
        user_id uuid NOT NULL,
        algorithm text NOT NULL CHECK (algorithm IN ('PBKDF2-SHA256')),
        iterations integer NOT NULL CHECK (iterations > 0),
        salt text NOT NULL,
        hash text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, user_id),
        FOREIGN KEY (shop_id, user_id) REFERENCES shop_memberships(shop_id, user_id)
      );

      -- Null for a sale made with a user's own token (and for every sale before this migration).
      ALTER TABLE sales ADD COLUMN till_id uuid;
      ALTER TABLE sales ADD COLUMN staff_id uuid;
      ALTER TABLE sales ADD CONSTRAINT sales_till_fkey FOREIGN KEY (shop_id, till_id) REFERENCES tills(shop_id, id);
      ALTER TABLE sales ADD CONSTRAINT sales_staff_fkey FOREIGN KEY (shop_id, staff_id) REFERENCES shop_memberships(shop_id, user_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sales DROP CONSTRAINT sales_staff_fkey; ALTER TABLE sales DROP CONSTRAINT sales_till_fkey;
      ALTER TABLE sales DROP COLUMN staff_id; ALTER TABLE sales DROP COLUMN till_id;
      DROP TABLE staff_pins; DROP TABLE refresh_tokens; DROP TABLE refresh_token_families;
      DROP TABLE till_pairings; DROP TABLE tills;
      ALTER TABLE shops DROP COLUMN tills_allocated;
      DROP INDEX users_email_lower; ALTER TABLE users DROP COLUMN password_hash;
    `);
  }
}

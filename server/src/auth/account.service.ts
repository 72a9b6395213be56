import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { constraintOf, inTransaction } from "../db/transaction";
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from "../shared/errors";
import { isUuid } from "../shared/uuid";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from "./passwords";
import { type MemberRole, isMemberRole } from "./permissions";
import { revokeFamilyOfToken, rotate } from "./refresh-tokens";
import type { RequestContext } from "./request-context";
import { type AuthSettings, type TokenPair, accessTokenFor, startSession } from "./session-tokens";

export type AccountUser = { id: string; email: string; name: string };
export type ShopMembership = { shopId: string; shopName: string; role: MemberRole };
export type LoginResult = TokenPair & { user: AccountUser; memberships: ShopMembership[] };

const WRONG_LOGIN = "Wrong email or password";
const REFUSED_REFRESH = "Invalid, expired or revoked refresh token; sign in again";

/** Accounts and their sessions: passwords, logins, refresh-token rotation, logout, memberships. */
export class AccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: AuthSettings,
    private readonly logger: Logger,
  ) {}

  /**
   * Wrong email and wrong password are one answer, and cost the same: an unknown email is checked
   * against a dummy hash (passwords.ts), so neither the message nor the time tells emails apart.
   */
  async login(email: string, password: string): Promise<LoginResult> {
    const rows: (AccountUser & { password_hash: string | null })[] = await this.dataSource.query(
      `SELECT id::text AS id, email, name, password_hash FROM users WHERE lower(email) = $1 ORDER BY id LIMIT 1`,
      [normaliseEmail(email)],
    );
    const user = rows[0];
    const matches = await verifyPassword(user?.password_hash ?? null, password.slice(0, MAX_PASSWORD_LENGTH));
    if (!user || !matches) throw new UnauthenticatedError(WRONG_LOGIN);
    const pair = await inTransaction(this.dataSource, (tx) => startSession(tx, { kind: "user", userId: user.id }, this.settings));
    return { ...pair, user: { id: user.id, email: user.email, name: user.name }, memberships: await this.membershipsOf(user.id) };
  }

  /** A new pair for a valid refresh token; a reused one revokes its family (committed, then refused). */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const rotation = await inTransaction(this.dataSource, (tx) => rotate(tx, refreshToken, this.settings.refresh));
    switch (rotation.kind) {
      case "rotated":
        return { ...accessTokenFor(rotation.owner, this.settings), refreshToken: rotation.token };
      case "reused":
        this.logger.warn({ familyId: rotation.familyId, owner: rotation.owner }, "refresh token reused: its family was revoked");
        throw new UnauthenticatedError(REFUSED_REFRESH);
      case "refused":
        throw new UnauthenticatedError(REFUSED_REFRESH);
    }
  }

  /** Ends the sign-in the token belongs to (all of its family). Unknown tokens are not an error. */
  async logout(refreshToken: string): Promise<void> {
    await inTransaction(this.dataSource, (tx) => revokeFamilyOfToken(tx, refreshToken, "logout"));
  }

  /** The caller: a user with every shop they belong to; a till's credential has no user. */
  async me(ctx: RequestContext): Promise<{ user: AccountUser | null; memberships: ShopMembership[] }> {
    if (!ctx.userId) return { user: null, memberships: [] };
    const [user]: AccountUser[] = await this.dataSource.query(`SELECT id::text AS id, email, name FROM users WHERE id = $1`, [ctx.userId]);
    return { user: user ?? null, memberships: user ? await this.membershipsOf(user.id) : [] };
  }

  async membershipsOf(userId: string): Promise<ShopMembership[]> {
    const rows: { shop_id: string; shop_name: string; role: string }[] = await this.dataSource.query(
      `SELECT m.shop_id::text AS shop_id, s.name AS shop_name, m.role
         FROM shop_memberships m JOIN shops s ON s.id = m.shop_id
        WHERE m.user_id = $1 ORDER BY s.name, m.shop_id`,
      [userId],
    );
    return rows.flatMap((r) => (isMemberRole(r.role) ? [{ shopId: r.shop_id, shopName: r.shop_name, role: r.role }] : []));
  }

  /** For the CLI (a trusted operator): a user who can sign in with this password. */
  async addUser(input: { email: string; name: string; password: string }): Promise<AccountUser> {
    const email = normaliseEmail(input.email);
    const name = input.name.trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw new ValidationError("email", "must be an email address");
    if (!name) throw new ValidationError("name", "is required");
    checkPassword(input.password);
    const id = randomUUID();
    const passwordHash = await hashPassword(input.password);
    const taken: unknown[] = await this.dataSource.query(`SELECT 1 FROM users WHERE lower(email) = $1`, [email]);
    if (taken.length > 0) throw new ConflictError(`A user with the email ${email} already exists`);
    try {
      await this.dataSource.query(`INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)`, [id, email, name, passwordHash]);
    } catch (error) {
      if (constraintOf(error) === "users_email_key") throw new ConflictError(`A user with the email ${email} already exists`);
      throw error;
    }
    return { id, email, name };
  }

  /** For the CLI: gives a user (by id or email) a role in a shop, or changes the role they have. */
  /** A new shop (a deployment's first step: then its owner with `user add` and `member add`). */
  async addShop(name: string): Promise<{ id: string; name: string }> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 200) throw new ValidationError("name", "must be 1 to 200 characters");
    const id = randomUUID();
    await this.dataSource.query(`INSERT INTO shops (id, name) VALUES ($1, $2)`, [id, trimmed]);
    return { id, name: trimmed };
  }

  async addMember(shopId: string, user: string, role: string): Promise<ShopMembership> {
    if (!isMemberRole(role)) throw new ValidationError("role", "must be one of owner, manager, cashier, viewer");
    if (!isUuid(shopId)) throw new ValidationError("shop", "must be a shop id (UUID)");
    const [found]: { id: string }[] = await this.dataSource.query(
      isUuid(user) ? `SELECT id::text AS id FROM users WHERE id = $1` : `SELECT id::text AS id FROM users WHERE lower(email) = $1`,
      [isUuid(user) ? user : normaliseEmail(user)],
    );
    if (!found) throw new NotFoundError(`User ${user} not found`);
    const [shop]: { name: string }[] = await this.dataSource.query(`SELECT name FROM shops WHERE id = $1`, [shopId]);
    if (!shop) throw new NotFoundError(`Shop ${shopId} not found`);
    await this.dataSource.query(
      `INSERT INTO shop_memberships (shop_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (shop_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
      [shopId, found.id, role],
    );
    return { shopId: shopId.toLowerCase(), shopName: shop.name, role };
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new ValidationError("password", `must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new ValidationError("password", `must be at most ${MAX_PASSWORD_LENGTH} characters`);
}

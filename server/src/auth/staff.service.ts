import type { DataSource } from "typeorm";
import { NotFoundError, ValidationError } from "../shared/errors";
import { isUuid } from "../shared/uuid";
import { type MemberRole, isMemberRole } from "./permissions";
import { type RequestContext, requirePermission } from "./request-context";
import { PIN_ALGORITHM, type PinHash, hashPin, isValidPin } from "./staff-pin";

/** A member of a shop as a till sees them; `pinHash` is what checks their PIN offline (staff-pin.ts). */
export type StaffMember = { id: string; name: string; role: MemberRole; pinHash: (PinHash & { updatedAt: Date }) | null };

type StaffRow = {
  id: string;
  name: string;
  role: string;
  iterations: number | null;
  salt: string | null;
  hash: string | null;
  updated_at: Date | null;
};

const STAFF_SELECT = `SELECT m.user_id::text AS id, u.name, m.role, p.iterations, p.salt, p.hash, p.updated_at
   FROM shop_memberships m
   JOIN users u ON u.id = m.user_id
   LEFT JOIN staff_pins p ON p.shop_id = m.shop_id AND p.user_id = m.user_id`;

/** Staff are the shop's members; a PIN picks one of them on a shared, already trusted till. */
export class StaffService {
  constructor(private readonly dataSource: DataSource) {}

  async list(ctx: RequestContext): Promise<StaffMember[]> {
    requirePermission(ctx, "staff:read");
    const rows: StaffRow[] = await this.dataSource.query(`${STAFF_SELECT} WHERE m.shop_id = $1 ORDER BY u.name, m.user_id`, [ctx.shopId]);
    return rows.flatMap(toStaffMember);
  }

  /** A manager sets anyone's PIN; every member may set their own. The PIN itself is never stored. */
  async setPin(ctx: RequestContext, userId: string, pin: string): Promise<StaffMember> {
    if (ctx.userId === null || ctx.userId.toLowerCase() !== userId.toLowerCase()) requirePermission(ctx, "staff:manage");
    if (!isValidPin(pin)) throw new ValidationError("pin", "must be 4 to 8 digits");
    if (!isUuid(userId)) throw new NotFoundError(`Staff member ${userId} not found`);
    const hashed = await hashPin(pin);
    const written = await this.dataSource.query(
      `INSERT INTO staff_pins (shop_id, user_id, algorithm, iterations, salt, hash)
       SELECT m.shop_id, m.user_id, $3, $4, $5, $6 FROM shop_memberships m WHERE m.shop_id = $1 AND m.user_id = $2
       ON CONFLICT (shop_id, user_id) DO UPDATE
         SET algorithm = EXCLUDED.algorithm, iterations = EXCLUDED.iterations, salt = EXCLUDED.salt, hash = EXCLUDED.hash,
             updated_at = now()
       RETURNING 1`,
      [ctx.shopId, userId.toLowerCase(), hashed.algorithm, hashed.iterations, hashed.salt, hashed.hash],
    );
    if (written.length === 0) throw new NotFoundError(`Staff member ${userId} not found`);
    const [member] = await this.byIdsWithPins(ctx.shopId, [userId.toLowerCase()]);
    return member;
  }

  /** Names and roles for the sales' `staff` field (no PIN hashes: a cashier may read sales). */
  async byIds(shopId: string, ids: readonly string[]): Promise<Map<string, Omit<StaffMember, "pinHash">>> {
    const members = await this.byIdsWithPins(shopId, ids);
    return new Map(members.map(({ pinHash: _hidden, ...member }) => [member.id, member]));
  }

  private async byIdsWithPins(shopId: string, ids: readonly string[]): Promise<StaffMember[]> {
    const rows: StaffRow[] = await this.dataSource.query(`${STAFF_SELECT} WHERE m.shop_id = $1 AND m.user_id = ANY($2::uuid[])`, [
      shopId,
      ids.filter(isUuid),
    ]);
    return rows.flatMap(toStaffMember);
  }
}

function toStaffMember(row: StaffRow): StaffMember[] {
  if (!isMemberRole(row.role)) return [];
  const pinHash: StaffMember["pinHash"] =
    row.salt && row.hash && row.iterations && row.updated_at
      ? { algorithm: PIN_ALGORITHM, iterations: row.iterations, salt: row.salt, hash: row.hash, updatedAt: row.updated_at }
      : null;
  return [{ id: row.id, name: row.name, role: row.role, pinHash }];
}

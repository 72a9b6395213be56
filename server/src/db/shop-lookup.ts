import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
import { isUuid } from "../shared/uuid";

/** One query for a DataLoader batch: the shop's rows with these ids, keyed by id (others' never match). */
export async function byIdsInShop<T extends ObjectLiteral & { id: string }>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  shopId: string,
  ids: readonly string[],
): Promise<Map<string, T>> {
  const rows = await dataSource
    .getRepository(entity)
    .createQueryBuilder("e")
    .where("e.shop_id = :shopId AND e.id = ANY(:ids::uuid[])", { shopId, ids: ids.filter(isUuid) })
    .getMany();
  return new Map(rows.map((row) => [row.id, row]));
}

import type { DataSource } from "typeorm";
import type { PoolStats } from "../observability/metrics";

type PgPool = { totalCount: number; idleCount: number; waitingCount: number; options?: { max?: number } };

/** Reads the pg pool behind TypeORM's postgres driver (the embedded database's pool has one connection). */
export function poolStatsOf(dataSource: DataSource): PoolStats {
  return () => {
    const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
    if (!pool) return { total: 0, idle: 0, waiting: 0, max: 0 };
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options?.max ?? 0 };
  };
}

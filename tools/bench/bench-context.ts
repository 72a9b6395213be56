import type { DataSource } from "typeorm";
import type { BenchScale } from "./bench-config";
import type { Row } from "./report";

/** What every phase of a run shares: where the server and database are, the volumes, and the report it adds to. */
export type BenchContext = {
  /** The server child's base URL. */
  url: string;
  /** The bench database, for raw `pg` connections of the phase's own. */
  databaseUrl: string;
  /** A small pool on the bench database for seeding and checks. */
  admin: DataSource;
  jwtSecret: string;
  scale: BenchScale;
  rows: Row[];
  notes: string[];
  log(message: string): void;
};

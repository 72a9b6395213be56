import "reflect-metadata";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { AppConfig } from "./config/config";
import { type Database, migrate, openDatabase } from "./db/data-source";
import { createApp } from "./http/app";
import { type Services, createServices } from "./services";

export type RunningServer = {
  url: string;
  port: number;
  database: Database;
  services: Services;
  /** Stops taking connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
};

export async function startServer(config: AppConfig, logger: Logger, database?: Database): Promise<RunningServer> {
  const db =
    database ??
    (await openDatabase(
      config.databaseUrl
        ? { kind: "server", url: config.databaseUrl, poolSize: config.dbPoolSize }
        : { kind: "embedded", dataDir: config.dataDir },
    ));
  const applied = await migrate(db.dataSource);
  if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");

  let draining = false;
  const services = createServices(db.dataSource, { maxSalesPerRequest: config.maxSalesPerRequest }, logger);
  const app = await createApp(config, db.dataSource, services, logger, () => draining);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.express.listen(config.port, config.host, () => resolve(s));
    s.once("error", reject);
  });
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" ? "localhost" : config.host;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await app.stopGraphQL();
      await db.close();
    })();
    return closing;
  };
  return { url: `http://${host}:${port}`, port, database: db, services, close };
}

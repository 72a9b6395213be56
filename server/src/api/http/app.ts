import { randomUUID } from "node:crypto";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type ErrorRequestHandler, type Express } from "express";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import type { DataSource } from "typeorm";
import { tokenRulesOf } from "../../auth/tokens";
import type { AppConfig } from "../../config/config";
import { buildGraphQLContext } from "../graphql/context";
import type { Services } from "../../services";
import { DomainError } from "../../shared/errors";
import { syncRoute } from "../rest/sync.route";
import { CATALOG_PATH, catalogRoute } from "../rest/catalog.route";
import { authRoutes } from "../rest/auth.routes";
import { openApiRoute } from "../rest/openapi.route";
import { type Authenticator, headerAuthenticator } from "./authenticator";
import { domainErrorOf, httpStatusOf, retryAfterSecondsOfError, toGraphQLError } from "./error-mapping";
import { createApolloServer } from "../graphql/apollo-server";
import { closeConnectionsWhileDraining, healthRoutes, refuseWhileDraining } from "./health";
import type { Metrics } from "../../observability/metrics";
import { runInRequestScope } from "../../observability/request-scope";
import { syncRateLimits } from "./rate-limits";
import { PER_PROCESS_STORES, type RateLimitStores } from "./rate-limit-store";
import { webApp } from "./web-app";
import { SyncAdmission } from "../../admission/sync-admission";
import { admissionMetrics } from "../../admission/admission-metrics";
import { graphqlAdmissionGate, restAdmissionGate, weighSyncBody } from "./sync-admission-gate";

export type App = { express: Express; stopGraphQL(): Promise<void> };

export async function createApp(
  config: AppConfig,
  dataSource: DataSource,
  services: Services,
  logger: Logger,
  metrics: Metrics,
  isDraining: () => boolean = () => false,
  rateLimitStores: RateLimitStores = PER_PROCESS_STORES,
): Promise<App> {
  const authenticateRequest = headerAuthenticator(dataSource, tokenRulesOf(config));
  const admit = syncAdmissionGates(config, metrics);
  const apollo = await createApolloServer(config, logger);
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers["x-request-id"];
        const id = typeof incoming === "string" && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url }) },
    }),
  );
  app.use((req, _res, next) => runInRequestScope(String(req.id), next));
  app.use((req, res, next) => {
    const stop = metrics.httpSeconds.startTimer({ route: routeLabel(req.path), method: req.method });
    res.once("finish", () => stop({ status: String(res.statusCode) }));
    next();
  });
  app.use(closeConnectionsWhileDraining(isDraining));
  app.use(healthRoutes(dataSource, isDraining, config.databaseUrl ? config.databaseTimeouts.acquireMs : undefined));
  app.get("/metrics", metricsRoute(metrics));
  app.use(refuseWhileDraining(isDraining));

  const json = express.json({ limit: config.maxBodyBytes, strict: false });
  app.use("/api/pos/sync", ...syncRateLimits(config, "rest", rateLimitStores), admit.rest, json, admit.weigh, syncRoute(services, authenticateRequest));
  app.use(CATALOG_PATH, ...syncRateLimits(config, "rest", rateLimitStores), catalogRoute(services, authenticateRequest));
  app.use(
    "/graphql",
    ...syncRateLimits(config, "graphql", rateLimitStores),
    json,
    admit.graphql,
    expressMiddleware(apollo, {
      context: async ({ req }) => buildGraphQLContext(String(req.id), await optionalAuth(req, authenticateRequest), services),
    }),
  );
  app.use(authRoutes(config, services, rateLimitStores));
  app.use(openApiRoute(config.isProduction));
  app.use(webApp());
  app.use((_req, res) => void res.status(404).json({ error: "Not found" }));
  app.use(errorHandler);
  return { express: app, stopGraphQL: () => apollo.stop() };
}

/** One admission (load shedding) per process, shared by both transports, watched by /metrics. */
function syncAdmissionGates(config: AppConfig, metrics: Metrics) {
  const watched = admissionMetrics(metrics.registry);
  const admission = new SyncAdmission(config.syncAdmission, watched.observer);
  watched.watch(admission);
  const rules = tokenRulesOf(config);
  return { rest: restAdmissionGate(admission, rules), weigh: weighSyncBody, graphql: graphqlAdmissionGate(admission, rules) };
}

function metricsRoute(metrics: Metrics): express.RequestHandler {
  return async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}

/** A fixed set of labels: unknown paths must not grow the metric's cardinality. */
function routeLabel(path: string): string {
  if (path.startsWith("/api/pos/sync")) return "/api/pos/sync";
  if (path.startsWith("/graphql")) return "/graphql";
  if (path === "/healthz" || path === "/readyz" || path === "/metrics") return path;
  return "other";
}

/** GraphQL lets anonymous requests through (introspection in development); resolvers demand auth. */
async function optionalAuth(req: express.Request, authenticateRequest: Authenticator) {
  if (!req.headers.authorization) return null;
  try {
    return await authenticateRequest(req);
  } catch (error) {
    const domain = domainErrorOf(error);
    if (domain) throw toGraphQLError(domain);
    throw error;
  }
}

/**
 * The HTTP edge: domain errors to their status, body-parser errors to 400/413, the rest to a bare
 * 500. Errors on /graphql (a body the parser refused before Apollo saw it) keep the GraphQL shape.
 */
const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const [status, message, code] = describeError(error);
  if (status === 500) req.log.error({ err: error }, "unhandled error");
  else if (code === "UNAVAILABLE" && !(error instanceof DomainError)) req.log.error({ err: error }, "database unavailable");
  res.status(status);
  const retryAfter = retryAfterSecondsOfError(error, code);
  if (retryAfter !== undefined) res.setHeader("retry-after", String(retryAfter));
  if (req.originalUrl.split("?")[0].startsWith("/graphql")) res.json({ errors: [{ message, extensions: { code } }] });
  else res.json({ error: message, code });
};

function describeError(error: unknown): [status: number, message: string, code: string] {
  const bodyError = error as { type?: string; status?: number };
  if (bodyError.type === "entity.too.large") return [413, "Request body too large", "PAYLOAD_TOO_LARGE"];
  if (bodyError.type === "entity.parse.failed") return [400, "Request body is not valid JSON", "BAD_REQUEST"];
  if (typeof bodyError.status === "number" && bodyError.status >= 400 && bodyError.status < 500) {
    return [bodyError.status, "Malformed request body", "BAD_REQUEST"];
  }
  const domain = domainErrorOf(error);
  if (domain) return [httpStatusOf(domain), domain.message, domain.code];
  return [500, "Internal server error", "INTERNAL_SERVER_ERROR"];
}

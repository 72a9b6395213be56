import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServer } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import type { GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import type { AppConfig } from "../../config/config";
import type { GraphQLContext } from "./context";
import { buildGraphQLSchema } from "./schema";
import { domainErrorOf, requestLevelStatusOf, retryAfterSecondsOf } from "../http/error-mapping";
import { graphqlLimits, isArgumentError, withoutSuggestions } from "./graphql-limits";

/** A response that carries no data and fails for auth or size gets that HTTP status, like the REST shim. */
const requestLevelStatus: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== "single") return;
        const { data, errors } = response.body.singleResult;
        if (!errors?.length) return;
        const hasData = data != null && Object.values(data).some((v) => v !== null);
        const code = errors[0].extensions?.code;
        const status = hasData ? undefined : requestLevelStatusOf(code);
        if (status) response.http.status = status;
        const retryAfter = status ? retryAfterSecondsOf(code) : undefined;
        if (retryAfter !== undefined) response.http.headers.set("retry-after", String(retryAfter));
      },
    };
  },
};

export async function createApolloServer(config: AppConfig, logger: Logger): Promise<ApolloServer<GraphQLContext>> {
  const schema = await buildGraphQLSchema();
  const limits = graphqlLimits(config);
  return new ApolloServer<GraphQLContext>({
    schema,
    introspection: !config.isProduction,
    includeStacktraceInErrorResponses: !config.isProduction,
    csrfPrevention: true,
    // Shutdown is ours (main.ts drains the HTTP server, then stops Apollo): Apollo's own handler,
    // installed whenever NODE_ENV is not "test", would stop it under in-flight requests and re-raise
    // the signal, killing the process with 143 before they finish.
    stopOnTerminationSignals: false,
    // One operation per HTTP request: a JSON array body is refused (400), so the per-request limits
    // (sales, body size, cost, rate) cannot be multiplied by batching.
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      requestLevelStatus,
      ...limits.plugins,
      // Production serves no page at all on GET /graphql: no Sandbox, no link to one.
      config.isProduction
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
    formatError: (formatted, error) => formatGraphQLError(formatted, error, config.isProduction, logger),
  });
}

function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  isProduction: boolean,
  logger: Logger,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const domain = domainErrorOf(original);
  if (domain) {
    if (domain !== original) logger.error({ err: original }, "database unavailable");
    return { message: domain.message, path: formatted.path, locations: formatted.locations, extensions: { code: domain.code } };
  }
  if (isArgumentError(original)) return { ...formatted, extensions: { ...formatted.extensions, code: "BAD_USER_INPUT" } };
  if (formatted.extensions?.code === "INTERNAL_SERVER_ERROR") {
    logger.error({ err: original }, "unexpected GraphQL error");
    if (isProduction) return { message: "Internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
  }
  if (isProduction) return { ...formatted, message: withoutSuggestions(formatted.message) };
  return formatted;
}

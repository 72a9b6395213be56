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
import { DomainError } from "../../shared/errors";
import { requestLevelStatusOf } from "../http/error-mapping";
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
        const status = hasData ? undefined : requestLevelStatusOf(errors[0].extensions?.code);
        if (status) response.http.status = status;
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
  if (original instanceof DomainError) {
    return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code: original.code } };
  }
  if (isArgumentError(original)) return { ...formatted, extensions: { ...formatted.extensions, code: "BAD_USER_INPUT" } };
  if (formatted.extensions?.code === "INTERNAL_SERVER_ERROR") {
    logger.error({ err: original }, "unexpected GraphQL error");
    if (isProduction) return { message: "Internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
  }
  if (isProduction) return { ...formatted, message: withoutSuggestions(formatted.message) };
  return formatted;
}

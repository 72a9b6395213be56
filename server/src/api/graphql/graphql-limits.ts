import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { GraphQLError, type ValidationRule } from "graphql";
import type { AppConfig } from "../../config/config";
import { salesPerRequestLimit } from "./sales-per-request";

/**
 * What a GraphQL document may cost before it runs: depth, cost, aliases, directives (graphql-armor
 * validation rules, each answered as a 400 GRAPHQL_VALIDATION_FAILED naming the limit) and tokens.
 *
 * Cost model (graphql-armor's): a scalar field costs 1, an object field 2 plus 1.5 × its children,
 * multiplied by a literal `first`/`last` argument. Argument values and variables cost nothing, so a
 * `syncOfflineSales(sales: $sales)` of 1,000 sales costs the same as one of 1 sale; the size of a
 * batch is bounded by MAX_SALES_PER_REQUEST and the body limit instead.
 *
 * Tokens are counted by graphql-js's own parser (`parseOptions.maxTokens`): armor's token plugin
 * throws from a `parsingDidStart` hook, which Apollo answers with a 500, and parses every
 * document twice. The parser's limit is a syntax error, a 400 GRAPHQL_PARSE_FAILED.
 *
 * Also here: the sales of all syncOfflineSales fields of an operation together are at most
 * MAX_SALES_PER_REQUEST (413, sales-per-request.ts), and operations the schema has no root for
 * (subscriptions) are refused as invalid (400) instead of failing in execution.
 */
export type GraphQLLimits = {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
};

export function graphqlLimits(config: Pick<AppConfig, "graphqlLimits" | "maxSalesPerRequest">): GraphQLLimits {
  const { maxDepth, maxAliases, maxCost, maxTokens } = config.graphqlLimits;
  const armor = new ApolloArmor({
    maxDepth: { n: maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: maxAliases },
    costLimit: { maxCost, ignoreIntrospection: true },
    maxDirectives: { n: 50 },
    maxTokens: { enabled: false },
    // Armor's mask only matches `Did you mean "x"` (not the enum and argument forms) and leaves a
    // stray "?"; suggestions are removed in production by withoutSuggestions() instead.
    blockFieldSuggestion: { enabled: false },
  });
  // Only the rules and plugins: armor's other answers (no batching, no stack traces) are already
  // the server's own settings, the latter by NODE_ENV.
  const { plugins, validationRules } = armor.protect();
  return {
    plugins: [...plugins, salesPerRequestLimit(config.maxSalesPerRequest)],
    validationRules: [...validationRules, operationTypeExists],
    parseOptions: { maxTokens },
  };
}

/**
 * graphql-js validates a `subscription { ... }` document against a schema without a Subscription
 * type (there is no parent type to check its fields against) and only execution fails, as an
 * internal error. Refuse it as invalid instead.
 */
const operationTypeExists: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(new GraphQLError(`${node.operation} operations are not supported by this server; send a query or a mutation`, { nodes: node }));
  },
});

/**
 * "Did you mean …?" maps the schema for whoever probes it, so production drops every form of it
 * (fields, arguments, types, enum values); development keeps the hints.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, "").trim();
}

/**
 * An argument value graphql-js itself refuses while executing a field: `null` for a non-null
 * argument that has a default (`sales(first: $first)` with `$first: Int` set to null), which
 * validation lets through. graphql-js raises it without a code, so Apollo would answer
 * INTERNAL_SERVER_ERROR; it is the client's input, and names the argument.
 */
export function isArgumentError(error: unknown): boolean {
  return (
    error instanceof GraphQLError &&
    !error.originalError &&
    /^Argument "\w+" (of required type|of non-null type|has invalid value)/.test(error.message)
  );
}

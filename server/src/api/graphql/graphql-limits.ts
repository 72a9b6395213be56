import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { ValidationRule } from "graphql";
import type { AppConfig } from "../../config/config";

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
 */
export type GraphQLLimits = {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
};

export function graphqlLimits(config: Pick<AppConfig, "graphqlLimits">): GraphQLLimits {
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
  return { plugins, validationRules, parseOptions: { maxTokens } };
}

/**
 * "Did you mean …?" maps the schema for whoever probes it, so production drops every form of it
 * (fields, arguments, types, enum values); development keeps the hints.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, "").trim();
}

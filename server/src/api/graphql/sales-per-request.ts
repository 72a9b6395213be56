import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { DomainError } from "../../shared/errors";
import { checkRecordsPerRequest, checkSalesPerRequest } from "../../sync/sync.service";
import { toGraphQLError } from "../http/error-mapping";

/**
 * MAX_SALES_PER_REQUEST is per HTTP request, not per field: one mutation may carry many
 * syncOfflineSales fields (aliases, fragments), each with its own list. Their sales are counted
 * together once the operation is known and before anything executes, so a request over the limit
 * is refused whole (413) with nothing written, exactly as one oversized field is.
 */
export function salesPerRequestLimit(maxSalesPerRequest: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation?.operation !== "mutation") return;
          try {
            const { count, offlineDay } = recordsIn(operation, document, request.variables ?? {});
            (offlineDay ? checkRecordsPerRequest : checkSalesPerRequest)(count, { maxSalesPerRequest });
          } catch (error) {
            throw error instanceof DomainError ? toGraphQLError(error) : error;
          }
        },
      };
    },
  };
}

/**
 * The sales every syncOfflineSales field of the operation will receive: a variable's list (or its
 * default), an inline list, or one object (GraphQL coerces it to a list of one). Fields with the
 * same response key are merged by GraphQL and run once, so they count once; each fragment is
 * walked once. A syncOffline field counts its customers, sales and refunds (`offlineDay`).
 */
export function recordsIn(
  operation: OperationDefinitionNode,
  document: DocumentNode,
  variables: Record<string, unknown>,
): { count: number; offlineDay: boolean } {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const defaults = new Map(operation.variableDefinitions?.map((v) => [v.variable.name.value, v.defaultValue]) ?? []);
  const countOf = (value: ValueNode): number => {
    if (value.kind === Kind.VARIABLE) {
      const name = value.name.value;
      if (!(name in variables)) return defaults.get(name) ? countOf(defaults.get(name)!) : 0;
      const given = variables[name];
      return Array.isArray(given) ? given.length : given == null ? 0 : 1;
    }
    if (value.kind === Kind.LIST) return value.values.length;
    return value.kind === Kind.NULL ? 0 : 1;
  };

  const byResponseKey = new Map<string, number>();
  let offlineDay = false;
  const argCount = (field: FieldNode, name: string) => {
    const arg = field.arguments?.find((a) => a.name.value === name);
    return arg ? countOf(arg.value) : 0;
  };
  const walked = new Set<string>();
  const walk = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (selection.name.value === "syncOfflineSales") byResponseKey.set(key, argCount(selection, "sales"));
        if (selection.name.value !== "syncOffline") continue;
        offlineDay = true;
        byResponseKey.set(key, argCount(selection, "customers") + argCount(selection, "sales") + argCount(selection, "refunds"));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || walked.has(fragment.name.value)) continue;
        walked.add(fragment.name.value);
        walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return { count: [...byResponseKey.values()].reduce((sum, n) => sum + n, 0), offlineDay };
}

import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import { DEFAULT_CATALOG_PAGE } from "../../../catalog/catalog-feed.service";
import { type GraphQLContext, authOf } from "../context";
import { toCustomerType, toProductType } from "../mappers/catalog.mappers";
import { type CatalogKindValue, CatalogPageType } from "../types/catalog.type";

@Resolver(() => CatalogPageType)
export class CatalogResolver {
  @Query(() => CatalogPageType, {
    description:
      "The catalogue a till keeps offline, as a change feed: without `since` everything (paged), with a previous page's `cursor` " +
      "what changed since. `first` 1..1000.",
  })
  async catalogChanges(
    @Ctx() ctx: GraphQLContext,
    @Arg("since", () => String, { nullable: true }) since?: string | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_CATALOG_PAGE }) first?: number | null,
  ): Promise<CatalogPageType> {
    const { auth } = authOf(ctx);
    const page = await ctx.services.catalog.changes(auth, since, first ?? DEFAULT_CATALOG_PAGE);
    return {
      products: page.products.map(toProductType),
      customers: page.customers.map(toCustomerType),
      archived: page.archived.map((a) => ({ id: a.id, kind: a.kind as CatalogKindValue })),
      cursor: page.cursor,
      hasMore: page.hasMore,
    };
  }
}

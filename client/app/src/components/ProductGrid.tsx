import { useQuery } from "@apollo/client/react";
import { type ProductsQuery, ProductsDocument } from "@pos-sync/client";
import { useId, useState } from "react";
import { money } from "../format";

type Product = ProductsQuery["products"][number];

/**
 * Every product of the shop, from the cache first (offline too), then the server. Search filters
 * on the till, so it works offline; the stock shown already has this till's unsent sales taken off.
 */
export function ProductGrid({ onAdd }: { onAdd: (product: Product) => void }) {
  const { data, error } = useQuery(ProductsDocument, { fetchPolicy: "cache-and-network", nextFetchPolicy: "cache-first" });
  const [search, setSearch] = useState("");
  const headingId = useId();
  const products = matching(data?.products ?? [], search);

  return (
    <section className="products" aria-labelledby={headingId}>
      <h2 id={headingId}>Products</h2>
      <label className="search">
        Search products
        <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or SKU" />
      </label>
      {!data && error && <p role="alert">Products could not be loaded: {error.message}</p>}
      {!data && !error && <p role="status">Loading products…</p>}
      {data && products.length === 0 && <p>No product matches “{search}”.</p>}
      <ul className="product-grid">
        {products.map((product) => (
          <li key={product.id}>
            <button className="product" onClick={() => onAdd(product)} aria-label={`Add ${product.name}, ${money(product.price)}, ${product.stock} in stock`}>
              <span className="name">{product.name}</span>
              <span className="price">{money(product.price)}</span>
              <span className={`stock ${stockLevel(product)}`}>Stock {product.stock}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function matching(products: Product[], search: string): Product[] {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return products.filter((p) => words.every((w) => p.name.toLowerCase().includes(w) || p.sku.toLowerCase().includes(w)));
}

function stockLevel(product: Product): "out" | "low" | "ok" {
  if (product.stock <= 0) return "out";
  return product.stock <= product.lowStockThreshold ? "low" : "ok";
}

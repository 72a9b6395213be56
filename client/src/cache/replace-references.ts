import type { Reference } from "@apollo/client/core";

/**
 * Returns `value` with every reference whose key is in `replacements` pointing at its replacement,
 * deduplicated within each list (the new key may already be there). Untouched parts keep their
 * identity, so Apollo sees no change where there is none.
 */
export function replaceReferences<T>(value: T, replacements: ReadonlyMap<string, string>): T {
  return replace(value, replacements) as T;
}

function replace(value: unknown, replacements: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) {
    let changed = false;
    const seen = new Set<string>();
    const out: unknown[] = [];
    for (const item of value) {
      const next = replace(item, replacements);
      if (next !== item) changed = true;
      const ref = isReference(next) ? next.__ref : undefined;
      if (ref !== undefined && seen.has(ref)) {
        changed = true;
        continue;
      }
      if (ref !== undefined) seen.add(ref);
      out.push(next);
    }
    return changed ? out : value;
  }
  if (isReference(value)) {
    const to = replacements.get(value.__ref);
    return to ? { __ref: to } : value;
  }
  if (value && typeof value === "object") {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      out[key] = replace(field, replacements);
      if (out[key] !== field) changed = true;
    }
    return changed ? out : value;
  }
  return value;
}

function isReference(value: unknown): value is Reference {
  return !!value && typeof value === "object" && typeof (value as Reference).__ref === "string";
}

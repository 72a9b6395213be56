const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Any RFC 4122 layout; checked before a value reaches a uuid column so it cannot raise a cast error. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

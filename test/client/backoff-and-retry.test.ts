import { backoffDelay, decideRetry, parseRetryAfter, retryDelay } from "../../client/src";
import { factsOf } from "../../client/src/sync/sync-transport";

const options = { initialMs: 1000, maxMs: 30_000, jitter: true };
const NOW = Date.parse("2026-11-25T12:00:00Z");

describe("backoff with full jitter", () => {
  it("doubles the ceiling with each consecutive failure up to the maximum", () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, options, top))).toEqual([999, 1999, 3999, 7999, 15999, 29999, 29999]);
  });

  it("draws uniformly between zero and the ceiling", () => {
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(2000);
    for (let i = 0; i < 1000; i++) {
      const d = backoffDelay(4, options);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(8000);
    }
  });

  it("waits the full ceiling without jitter, and nothing before the first failure", () => {
    expect(backoffDelay(2, { ...options, jitter: false })).toBe(2000);
    expect(backoffDelay(0, options)).toBe(0);
  });

  it("never overflows after very many failures", () => {
    expect(backoffDelay(10_000, { ...options, jitter: false })).toBe(30_000);
  });

  it("prefers the server's Retry-After to its own backoff, within an hour", () => {
    expect(retryDelay(1, 120_000, options, () => 0)).toBe(120_000);
    expect(retryDelay(1, 10 * 60 * 60 * 1000, options)).toBe(60 * 60 * 1000);
    expect(retryDelay(2, undefined, options, () => 0.5)).toBe(1000);
  });
});

describe("Retry-After parsing", () => {
  it("reads seconds and HTTP dates, and ignores nonsense", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 12:00:30 GMT", NOW)).toBe(30_000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 11:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});

describe("the retry decision", () => {
  it("retries when the request never got an answer", () => {
    expect(decideRetry({ codes: [], message: "fetch failed" }, NOW)).toEqual({ kind: "retry" });
  });

  it("pauses for a new token on 401 and 403, or their GraphQL codes", () => {
    expect(decideRetry({ status: 401, codes: ["UNAUTHENTICATED"], message: "" }, NOW)).toEqual({ kind: "auth" });
    expect(decideRetry({ status: 403, codes: [], message: "" }, NOW)).toEqual({ kind: "auth" });
    expect(decideRetry({ status: 200, codes: ["FORBIDDEN"], message: "" }, NOW)).toEqual({ kind: "auth" });
  });

  it("retries 429 and 503 after the server's Retry-After", () => {
    expect(decideRetry({ status: 429, retryAfter: "7", codes: [], message: "" }, NOW)).toEqual({ kind: "retry", retryAfterMs: 7000 });
    expect(decideRetry({ status: 503, retryAfter: null, codes: [], message: "" }, NOW)).toEqual({ kind: "retry", retryAfterMs: undefined });
  });

  it("retries other 5xx and 408, and errors such as INTERNAL_SERVER_ERROR in a 200", () => {
    expect(decideRetry({ status: 500, codes: [], message: "" }, NOW).kind).toBe("retry");
    expect(decideRetry({ status: 502, codes: [], message: "" }, NOW).kind).toBe("retry");
    expect(decideRetry({ status: 408, codes: [], message: "" }, NOW).kind).toBe("retry");
    expect(decideRetry({ status: 200, codes: ["INTERNAL_SERVER_ERROR"], message: "" }, NOW).kind).toBe("retry");
  });

  it("rejects (to split the batch) a 400 about the values of the sales, and a 413", () => {
    const coercion = 'Variable "$sales" got invalid value 1.5 at "sales[3].items[0].quantity"; Int cannot represent non-integer value: 1.5';
    expect(decideRetry({ status: 400, codes: ["BAD_USER_INPUT"], message: coercion }, NOW)).toEqual({ kind: "reject" });
    expect(decideRetry({ status: 400, codes: ["GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"], message: "other", messages: ["other", coercion] }, NOW)).toEqual({ kind: "reject" });
    expect(decideRetry({ status: 400, codes: ["BAD_USER_INPUT"], message: "sales[2].items[0].quantity: must be a positive integer" }, NOW)).toEqual({ kind: "reject" });
    expect(decideRetry({ status: 413, codes: ["PAYLOAD_TOO_LARGE"], message: "Request body too large" }, NOW)).toEqual({ kind: "reject" });
    expect(decideRetry({ status: 413, codes: [], message: "<html>413 Request Entity Too Large</html>" }, NOW)).toEqual({ kind: "reject" });
  });

  it("pauses with backoff, never failing sales, on a 4xx that is not about the sales", () => {
    const pause = (facts: Parameters<typeof decideRetry>[0]) => decideRetry(facts, NOW).kind;
    expect(pause({ status: 400, codes: ["BAD_REQUEST"], message: "x-shop-id header must be a UUID" })).toBe("pause");
    expect(pause({ status: 400, codes: ["GRAPHQL_VALIDATION_FAILED"], message: 'Cannot query field "retryable" on type "SyncError".' })).toBe("pause");
    expect(pause({ status: 400, codes: ["BAD_REQUEST"], message: "Request body is not valid JSON" })).toBe("pause");
    expect(pause({ status: 400, codes: [], message: 'Variable "$sales" got invalid value' })).toBe("pause");
    for (const status of [404, 405, 409, 410, 422]) expect(pause({ status, codes: [], message: "Not Found" })).toBe("pause");
    expect(decideRetry({ status: 409, retryAfter: "30", codes: [], message: "" }, NOW)).toEqual({ kind: "pause", retryAfterMs: 30_000 });
  });

  it("splits on BAD_USER_INPUT and PAYLOAD_TOO_LARGE whatever their message says", () => {
    for (const message of ["", "Ungültiger Wert", "invalid value at items[0].quantity"]) {
      expect(decideRetry({ status: 400, codes: ["BAD_USER_INPUT"], message }, NOW)).toEqual({ kind: "reject" });
      expect(decideRetry({ codes: ["BAD_USER_INPUT"], message }, NOW)).toEqual({ kind: "reject" });
      expect(decideRetry({ status: 400, codes: ["PAYLOAD_TOO_LARGE"], message }, NOW)).toEqual({ kind: "reject" });
    }
  });

  it("pauses on a 4xx whose code is not about the values of the sales, even when its message names them", () => {
    const namesTheSales = 'Variable "$sales" got invalid value at "sales[3].items[0].quantity"';
    for (const code of ["BAD_REQUEST", "GRAPHQL_VALIDATION_FAILED", "NOT_FOUND", "CONFLICT"]) {
      expect(decideRetry({ status: 400, codes: [code], message: namesTheSales, messages: [namesTheSales] }, NOW)).toEqual({ kind: "pause", retryAfterMs: undefined });
    }
  });

  it("retries RATE_LIMITED and UNAVAILABLE, and pauses for auth on UNAUTHENTICATED and FORBIDDEN, by code alone", () => {
    expect(decideRetry({ status: 429, retryAfter: "2", codes: ["RATE_LIMITED"], message: "slow down" }, NOW)).toEqual({ kind: "retry", retryAfterMs: 2000 });
    expect(decideRetry({ status: 503, codes: ["UNAVAILABLE"], message: "" }, NOW).kind).toBe("retry");
    expect(decideRetry({ codes: ["UNAVAILABLE"], message: "" }, NOW).kind).toBe("retry");
    expect(decideRetry({ codes: ["UNAUTHENTICATED"], message: "" }, NOW)).toEqual({ kind: "auth" });
    expect(decideRetry({ status: 200, codes: ["FORBIDDEN"], message: "" }, NOW)).toEqual({ kind: "auth" });
  });

  it("reads the code of a REST error body as it reads extensions.code", () => {
    const error = { message: "Response not successful", networkError: { statusCode: 400, result: { error: "sales[0].items[0].quantity: must be a positive integer", code: "BAD_USER_INPUT" } } };
    expect(factsOf(error)).toMatchObject({ status: 400, codes: ["BAD_USER_INPUT"] });
    expect(decideRetry(factsOf(error), NOW)).toEqual({ kind: "reject" });
  });

  it("reads the facts out of an Apollo network error", () => {
    const error = {
      message: "Response not successful: Received status code 503",
      graphQLErrors: [],
      networkError: { statusCode: 503, response: { headers: new Headers({ "retry-after": "3" }) }, result: { errors: [{ message: "down", extensions: { code: "X" } }] } },
    };
    expect(factsOf(error)).toEqual({ status: 503, retryAfter: "3", codes: ["X"], message: "down", messages: ["down"] });
    expect(factsOf(new TypeError("fetch failed"))).toEqual({ status: undefined, retryAfter: null, codes: [], message: "fetch failed", messages: [] });
  });
});

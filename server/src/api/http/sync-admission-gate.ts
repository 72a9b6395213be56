import type { Request, RequestHandler, Response } from "express";
import { type TokenRules, subjectOfAuthorization } from "../../auth/tokens";
import type { AdmissionLease, SyncAdmission } from "../../admission/sync-admission";

/**
 * Admission at the HTTP edge, in front of everything that can wait: authentication (a database
 * read; on the embedded database it queues behind the writes), validation and the writes. A full
 * queue refuses the request at once (OverloadedError: 429 + Retry-After, mapped by the error
 * handler like every domain error, in the GraphQL shape on /graphql as the rate limiter answers
 * there). An admitted request holds its lease until its response is finished or its connection
 * closes, whichever comes first.
 */

const LEASE = Symbol("sync-admission-lease");
type Leased = Response & { [LEASE]?: AdmissionLease };

/**
 * REST (POST /api/pos/sync), before the body is read: nothing is parsed for a refused request.
 * Weight 1 until `weighSyncBody` has the parsed body (a request is at least one record or one
 * error; a body still arriving holds its place, bounded by Node's request timeout).
 */
export function restAdmissionGate(admission: SyncAdmission, rules: TokenRules): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "POST") return next();
    hold(res, admission.admit("rest", subjectOf(rules, req.headers.authorization), 1));
    afterOthersArrived(next);
  };
}

/** After the JSON parser: the admitted REST request weighs what it carries (customers, sales, refunds). */
export const weighSyncBody: RequestHandler = (req: Request, res, next) => {
  (res as Leased)[LEASE]?.weigh(Math.max(1, recordsOf(req.body)));
  next();
};

/**
 * GraphQL, after the JSON parser (the operation is in the body) and before Apollo: an operation
 * that names a sync field (syncOfflineSales, syncOffline) or carries records in its variables is
 * admitted or refused before it is authenticated, validated or run. Other operations (queries,
 * the catalogue) are never shed.
 */
export function graphqlAdmissionGate(admission: SyncAdmission, rules: TokenRules): RequestHandler {
  return (req, res, next) => {
    const body = req.body as { query?: unknown; variables?: unknown } | undefined;
    if (req.method !== "POST" || typeof body !== "object" || body === null) return next();
    const records = recordsOf(body.variables);
    if (records === 0 && !(typeof body.query === "string" && body.query.includes("syncOffline"))) return next();
    const lease = admission.admit("graphql", subjectOf(rules, req.headers.authorization));
    lease.weigh(Math.max(1, records));
    hold(res, lease);
    afterOthersArrived(next);
  };
}

/**
 * Goes on after the requests already read by this process have reached their gate too. On the
 * embedded database a request's queries run on this thread, so without the hop it would run to
 * its answer before the next request is even read, and the queue would never hold more than one:
 * the storm would wait in the kernel's socket buffers, unseen and unbounded. With it, requests
 * read together count each other and the later ones are refused. On PostgreSQL it costs one turn
 * of the event loop.
 */
function afterOthersArrived(next: () => void): void {
  setImmediate(next);
}

function hold(res: Response, lease: AdmissionLease): void {
  (res as Leased)[LEASE] = lease;
  res.once("close", () => lease.release());
}

/**
 * The verified token subject (a till or a user) of a request, for the admission's fairness rule:
 * an HMAC check, no database. A token that does not verify has no subject (and gets no priority).
 */
function subjectOf(rules: TokenRules, authorization: string | undefined): string | null {
  try {
    return subjectOfAuthorization(rules, authorization);
  } catch {
    return null;
  }
}

/** The customers, sales and refunds a REST body or a GraphQL operation's variables carry. */
function recordsOf(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  const lists = ["sales", "customers", "refunds"].map((k) => (value as Record<string, unknown>)[k]);
  return lists.reduce<number>((n, list) => n + (Array.isArray(list) ? list.length : 0), 0);
}

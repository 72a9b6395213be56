/** The reconnect storm's shapes: what a worker is given, what each till reports, what the run returns. */

/** A shop of the storm: its products (what its tills sell) and its paired tills, each with its own token. */
export type StormShop = {
  shopId: string;
  products: { id: string; price: number }[];
  tills: StormTillCredential[];
};

/** A paired till's own credential: an access token whose subject is `till:<id>`, as after pairing. */
export type StormTillCredential = { tillId: string; code: string; token: string };

/** One till as a worker runs it. */
export type StormTillSpec = { shopId: string; products: StormShop["products"]; till: StormTillCredential };

export type StormTillReport = {
  tillId: string;
  shopId: string;
  /** Sales its outbox holds as synced (with a server id) at the end. */
  synced: number;
  /** Sales still pending or failed at the end (must be 0). */
  unsynced: number;
  /** From its first attempt after coming online to its outbox empty, in ms (NaN if it never emptied). */
  drainMs: number;
  /** Milliseconds after the storm's start at which it came online. */
  onlineAtMs: number;
  requests: number;
  /** 429 answers it got, and how many of them it waited out before its next request. */
  shed: number;
  honoured: number;
  /** The longest Retry-After it was told, in seconds. */
  longestRetryAfterS: number;
  status5xx: number;
  /** Other answers that were neither 200 nor 429 nor 5xx, and requests that got no answer. */
  otherFailures: number;
  /** Every clientTempId it recorded, to check each is on the server exactly once. */
  clientTempIds: string[];
};

export type StormWorkerInit = {
  kind: "init";
  url: string;
  tills: StormTillSpec[];
  salesPerTill: number;
  /** Client sales per request (the client package's default is 100). */
  batchSize: number;
  /** How long a till may take to empty its queue before it is reported as not emptied. */
  timeoutMs: number;
};

export type StormWorkerGo = { kind: "go"; startAt: number; windowMs: number };

export type StormWorkerMessage = { kind: "ready"; recorded: number } | { kind: "done"; reports: StormTillReport[]; cpuMs: number } | { kind: "failed"; error: string };

export type StormResult = {
  tills: number;
  shops: number;
  salesPerTill: number;
  /** Sales recorded by the tills (tills x salesPerTill) and synced by the end. */
  sales: number;
  synced: number;
  /** From the storm's start (the first till online) to the last till's queue empty. */
  seconds: number;
  salesPerSecond: number;
  /** From the server's /metrics (possync_sync_shed_total over the run). */
  shedByServer: number;
  /** The deepest the server's sync queue got (possync_sync_queued_sales, sampled every 250 ms). */
  peakQueuedSales: number;
  /** 429s the tills got, and how many of them they waited out (Retry-After honoured). */
  shedSeenByTills: number;
  honoured: number;
  /** The most 429s one till got before its queue was empty (fairness: none is turned away forever). */
  maxShedsPerTill: number;
  longestRetryAfterS: number;
  status5xx: number;
  otherFailures: number;
  requests: number;
  /** Time for a till to empty its queue once online: median, 95th percentile, slowest, in ms. */
  drainMs: { median: number; p95: number; max: number };
  /** The slowest till's drain time over the median's (fairness: no till starves). */
  slowestOverMedian: number;
  /** Tills whose queue was not empty at the end (must be 0). */
  tillsNotEmptied: number;
  workers: number;
  /** CPU each load-generating process spent during the storm, in ms (against `seconds`: is the generator the bottleneck?). */
  generatorCpuMs: number[];
  /** Set when the run was checked against the database (see verifyStorm). */
  database?: StormDatabaseCheck;
};

export type StormDatabaseCheck = {
  /** Sales of the storm's shops in the database, and the tills' recorded clientTempIds found there. */
  salesInDatabase: number;
  recordedFound: number;
  /** clientTempIds present more than once (must be 0). */
  duplicates: number;
  /** Names of broken invariants (must be empty). */
  brokenInvariants: string[];
};

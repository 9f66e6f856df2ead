// What a page learned while rendering that its HTTP status must say, told to
// the web server (scripts/web-server.ts) that sends the status (decision 0062).
// A page cannot set its own status in Next's App Router (only notFound(),
// forbidden() and unauthorized() can), so a page that shows "fix the filter"
// would answer 200, and one that failed because PostgreSQL is down 500 or 200.
// The web server runs each request inside `withRequestOutcome`; a page (or the
// database client) notes what happened; the web server applies it when the
// response's head is written, if it has not been written yet.
//
// The store is kept on globalThis under a registered symbol: the web server's
// copy of this module and the copy in Next's server bundle are two module
// instances, and both must reach the same AsyncLocalStorage.
import { AsyncLocalStorage } from "node:async_hooks";
import { isAppError } from "@/lib/errors";

export interface RequestOutcome {
  /** A status the page asks for (400 for a bad filter), or null. */
  status: number | null;
  /** Set when a query found PostgreSQL not answering: the page is answered 503 with this Retry-After. */
  databaseRetryAfterSeconds: number | null;
}

const key = Symbol.for("wharf.request-outcome");
const holder = globalThis as typeof globalThis & { [key]?: AsyncLocalStorage<RequestOutcome> };
const storage = (holder[key] ??= new AsyncLocalStorage<RequestOutcome>());

/** Runs `run` with a fresh outcome that `noteStatus` and `noteDatabaseUnavailable` write to. */
export function withRequestOutcome<T>(run: (outcome: RequestOutcome) => T): T {
  const outcome: RequestOutcome = { status: null, databaseRetryAfterSeconds: null };
  return storage.run(outcome, () => run(outcome));
}

/** The page answers `status` (a 4xx) though it renders normally. No-op outside a request. */
export function noteStatus(status: number): void {
  const outcome = storage.getStore();
  if (outcome) outcome.status = status;
}

/**
 * What a page shows when its use case refused its address (a filter or cursor it cannot use: an AppError with a 4xx,
 * `invalid_input` mostly), with the status noted so the page answers it rather than 200. Anything else is rethrown, for
 * the error boundary.
 */
export function refusedAddress(error: unknown): string {
  if (!isAppError(error) || error.status >= 500) throw error;
  noteStatus(error.status);
  return error.message;
}

/** PostgreSQL did not answer a query of this request. No-op outside a request (the worker, scripts). */
export function noteDatabaseUnavailable(retryAfterSeconds: number): void {
  const outcome = storage.getStore();
  if (outcome) outcome.databaseRetryAfterSeconds = retryAfterSeconds;
}

/**
 * The status a page's response gets instead of the one Next chose, with its extra headers; null to keep Next's.
 * Only GET and HEAD pages change: an API route sets its own status (errorResponse), and a server action's or an RSC
 * fetch's client reads the body Next wrote, whatever the status says.
 */
export function pageStatus(
  outcome: RequestOutcome,
  request: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> },
  nextStatus: number,
): { status: number; headers: Record<string, string> } | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const path = request.url ?? "/";
  if (path.startsWith("/api/") || path.startsWith("/_next/") || request.headers.rsc !== undefined) return null;
  if (outcome.databaseRetryAfterSeconds !== null && (nextStatus === 200 || nextStatus >= 500)) {
    return { status: 503, headers: { "retry-after": String(outcome.databaseRetryAfterSeconds), "cache-control": "no-store" } };
  }
  if (outcome.status !== null && nextStatus === 200) return { status: outcome.status, headers: { "cache-control": "no-store" } };
  return null;
}

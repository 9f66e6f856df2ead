// PostgreSQL down, restarting or out of connections is an outage, not a bug:
// the client should be told so (503 with Retry-After) and try again, while a
// 500 says Wharf is broken. This recognises those errors however they reach a
// route handler: from Prisma (with its driver adapter's reason), or from pg
// itself (the LISTEN connection, pg-boss).
import { AppError } from "@/lib/errors";

/** Prisma's codes for a database it cannot reach or lost: can't reach, timed out, closed the connection, no connection free in the pool. */
const prismaCodes = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** The driver adapter's reasons for the same. */
const adapterKinds = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** Node's socket errors. */
const socketCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "EHOSTUNREACH"]);
/**
 * SQLSTATEs: class 08 (connection exception), 57P01–57P03 (the server is
 * shutting down, was restarted, or is starting up), 53300 (too many
 * connections).
 */
const sqlState = /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/;
/** pg's own errors carry no code. */
const messages = new RegExp(
  [
    "Connection terminated",
    "Can't reach database server",
    "timeout exceeded when trying to connect",
    "Client has encountered a connection error",
    "the database system is (starting up|shutting down|in recovery mode)",
  ].join("|"),
  "i",
);

/** How long a client should wait before trying again: about the time the launcher takes to start the embedded PostgreSQL again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
}

function isUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 5) return false;
  const candidate = error as ErrorLike;
  if (candidate.name === "PrismaClientInitializationError") return true;
  if (typeof candidate.code === "string" && (prismaCodes.has(candidate.code) || socketCodes.has(candidate.code) || sqlState.test(candidate.code))) return true;
  const adapter = candidate.meta?.driverAdapterError?.cause;
  if (adapter && (adapterKinds.has(String(adapter.kind)) || (typeof adapter.originalCode === "string" && sqlState.test(adapter.originalCode)))) return true;
  // The driver adapter's own error (what it throws under Prisma) carries the same reason as its cause.
  if (adapterKinds.has(String(candidate.kind)) || (typeof candidate.originalCode === "string" && sqlState.test(candidate.originalCode))) return true;
  if (typeof candidate.message === "string" && messages.test(candidate.message)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isUnavailable(inner, depth + 1))) return true;
  return isUnavailable(candidate.cause, depth + 1);
}

/** The error as Wharf's "dependency_unavailable" (503, Retry-After) when it says PostgreSQL cannot be reached; null otherwise. */
export function databaseUnavailable(error: unknown): AppError | null {
  if (!isUnavailable(error)) return null;
  return new AppError("dependency_unavailable", `Wharf's database is not answering; try again in ${DATABASE_RETRY_AFTER_SECONDS} s.`, {
    cause: error,
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
  });
}

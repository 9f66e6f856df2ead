// Rate limits shared by every web replica: counted in PostgreSQL (the
// "RateLimit" table) by rate-limiter-flexible, one atomic upsert per count.
// Three budgets, each a fixed window of one minute:
// - sign-in starts per client address;
// - failed authentications (a bad session cookie, a refused bearer token, a
//   forged or replayed sign-in callback) per client address;
// - mutations (POST, PUT, PATCH, DELETE) per signed-in person or pipeline,
//   counted before the permission check, so a flood of refused requests
//   cannot fill the audit log.
// Past a budget the request is answered 429 with Retry-After. When
// PostgreSQL does not answer, each process counts in memory instead (the
// library's insurance limiter) rather than refusing everyone.
import { Pool } from "pg";
import { databaseConnection } from "@/lib/azure/database-connection";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";
import { getConfig } from "@/lib/config";
import { logger } from "@/lib/logger";

export type RateLimitBudget = "signInStarts" | "authFailures" | "mutations";

const prefixes: Record<RateLimitBudget, string> = { signInStarts: "sign-in", authFailures: "auth-failure", mutations: "mutation" };

const refusals: Record<RateLimitBudget, string> = {
  signInStarts: "Too many sign-ins were started from your network address in the last minute.",
  authFailures: "Too many requests with an invalid session or token came from your network address in the last minute.",
  mutations: "You sent more changes in the last minute than Wharf accepts from one person or pipeline.",
};

const state = globalThis as typeof globalThis & { wharfRateLimiters?: Map<RateLimitBudget, RateLimiterAbstract>; wharfRateLimitPool?: Pool };

function pool(): Pool {
  if (!state.wharfRateLimitPool) {
    // Its own two connections: a count must not wait behind a page's queries in Prisma's pool.
    state.wharfRateLimitPool = new Pool({ ...databaseConnection(process.env.DATABASE_URL ?? ""), max: 2, connectionTimeoutMillis: 2_000 });
    state.wharfRateLimitPool.on("error", (error) => logger.warn({ err: error }, "rate limit connection failed"));
  }
  return state.wharfRateLimitPool;
}

function limiter(budget: RateLimitBudget, points: number): RateLimiterAbstract {
  state.wharfRateLimiters ??= new Map();
  const existing = state.wharfRateLimiters.get(budget);
  if (existing && existing.points === points) return existing;
  const made = new RateLimiterPostgres({
    storeClient: pool(),
    storeType: "pool",
    tableName: "RateLimit",
    tableCreated: true,
    // Every 5 minutes, rows whose window ended over an hour ago are deleted (a timer that does not keep the process up).
    clearExpiredByTimeout: true,
    keyPrefix: prefixes[budget],
    points,
    duration: 60,
    // Once a key is over its budget this process refuses it from memory until the window ends, without a query.
    inMemoryBlockOnConsumed: points,
    inMemoryBlockDuration: 60,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: prefixes[budget], points, duration: 60 }),
  });
  state.wharfRateLimiters.set(budget, made);
  return made;
}

/** The budget per minute for each kind; 0 turns that limit off. */
export function rateLimitPoints(budget: RateLimitBudget): number {
  return getConfig().rateLimits[budget];
}

function refusal(budget: RateLimitBudget, result: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
  return new AppError("rate_limited", `${refusals[budget]} Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
}

/**
 * Counts one against `key`'s budget; throws a `rate_limited` AppError (429,
 * Retry-After) when it is spent. Unexpected store errors are logged and let
 * the request through: a limit is a guard, not a dependency.
 */
export async function consumeRateLimit(budget: RateLimitBudget, key: string): Promise<void> {
  const points = rateLimitPoints(budget);
  if (points === 0) return;
  try {
    await limiter(budget, points).consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw refusal(budget, error);
    logger.warn({ err: error, budget }, "rate limit could not be counted; the request goes through");
  }
}

/** Throws `rate_limited` if `key` has already spent its budget, without counting this request. */
export async function checkRateLimit(budget: RateLimitBudget, key: string): Promise<void> {
  const points = rateLimitPoints(budget);
  if (points === 0) return;
  try {
    const result = await limiter(budget, points).get(key);
    if (result && result.consumedPoints >= points) throw refusal(budget, result);
  } catch (error) {
    if (error instanceof AppError) throw error;
    logger.warn({ err: error, budget }, "rate limit could not be read; the request goes through");
  }
}

/**
 * The client's address from X-Forwarded-For. Each proxy appends the address
 * it saw, so with N proxies in front (`trustedProxyHops`) the client is the
 * N-th entry from the right. With none, Next writes the socket's address, but
 * only when the client sent no header of its own: per address limits are then
 * best effort (per identity limits are not affected).
 */
export function clientAddress(headers: Headers): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const hops = getConfig().trustedProxyHops;
  return forwarded.at(-Math.max(1, hops)) ?? forwarded[0] ?? "unknown";
}

// A query that finds PostgreSQL not answering tells the request it ran for, so
// the page being rendered is answered 503 with Retry-After rather than Next's
// 500 or a streamed 200 (lib/net/request-outcome.ts, decision 0062). This wraps
// the driver adapter, under Prisma, so every query of every page is covered
// whether the page catches the error or not; the error itself is unchanged.
import type { PrismaPg } from "@prisma/adapter-pg";
import { databaseUnavailable, DATABASE_RETRY_AFTER_SECONDS } from "@/lib/db/unavailable";
import { noteDatabaseUnavailable } from "@/lib/net/request-outcome";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

/** The adapter's calls that reach PostgreSQL. */
const queryingMethods = new Set<PropertyKey>(["queryRaw", "executeRaw", "executeScript", "startTransaction"]);

function noticing(adapter: Adapter): Adapter {
  return new Proxy(adapter, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (!queryingMethods.has(property)) return bound;
      return async (...args: unknown[]) => {
        try {
          return await bound(...args);
        } catch (error) {
          if (databaseUnavailable(error)) noteDatabaseUnavailable(DATABASE_RETRY_AFTER_SECONDS);
          throw error;
        }
      };
    },
  });
}

/** The adapter factory Prisma gets: the same, with a query that finds the database down noted on its request. */
export function withOutageNotice(factory: PrismaPg): PrismaPg {
  return new Proxy(factory, {
    get(target, property) {
      if (property === "connect")
        return async () => {
          try {
            return noticing(await target.connect());
          } catch (error) {
            if (databaseUnavailable(error)) noteDatabaseUnavailable(DATABASE_RETRY_AFTER_SECONDS);
            throw error;
          }
        };
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

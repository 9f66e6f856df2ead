// A query that finds PostgreSQL down is noted on the request it ran for
// (decision 0062): a real PrismaClient, through the same adapter wrapping as
// lib/db/client.ts, on a port nothing listens on, and on the test database.
import { describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/db/generated/client";
import { withOutageNotice } from "@/lib/db/outage-notice";
import { DATABASE_RETRY_AFTER_SECONDS } from "@/lib/db/unavailable";
import { withSerializedTransactions } from "@/lib/db/serialized-transactions";
import { freePort } from "@/lib/net/free-port";
import { withRequestOutcome } from "@/lib/net/request-outcome";

const client = (connectionString: string) =>
  new PrismaClient({ adapter: withOutageNotice(withSerializedTransactions(new PrismaPg({ connectionString, connectionTimeoutMillis: 2_000 }))) });

describe("a query's request learns that the database is down", () => {
  it("from a read, a transaction and a raw query on a database that is not running", async () => {
    const prisma = client(`postgresql://postgres:secret@127.0.0.1:${await freePort()}/wharf`);
    for (const attempt of [() => prisma.team.findMany(), () => prisma.$transaction((tx) => tx.team.count()), () => prisma.$queryRaw`select 1`]) {
      const outcome = await withRequestOutcome(async (outcome) => {
        await attempt().catch(() => undefined);
        return outcome;
      });
      expect(outcome.databaseRetryAfterSeconds).toBe(DATABASE_RETRY_AFTER_SECONDS);
    }
    await prisma.$disconnect();
  });

  it("and not from a database that answers, even with an error", async () => {
    const prisma = client(process.env.DATABASE_URL!);
    const outcome = await withRequestOutcome(async (outcome) => {
      await prisma.team.findMany({ take: 1 });
      await prisma.$queryRawUnsafe('select no_such_column from "Team"').catch(() => undefined);
      return outcome;
    });
    expect(outcome.databaseRetryAfterSeconds).toBeNull();
    await prisma.$disconnect();
  });
});

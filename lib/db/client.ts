// The one PrismaClient of the process. Not marked "server-only": the worker
// and scripts load it under plain Node, where that package throws on import.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/db/generated/client";
import { withOutageNotice } from "@/lib/db/outage-notice";
import { withSerializedTransactions } from "@/lib/db/serialized-transactions";
import { databaseConnection } from "@/lib/azure/database-connection";

// Next dev re-evaluates modules on every edit; keeping the client on
// globalThis stops each reload from opening a new connection pool.
const globalForPrisma = globalThis as typeof globalThis & { wharfPrisma?: PrismaClient };

export function getPrisma(): PrismaClient {
  if (globalForPrisma.wharfPrisma) return globalForPrisma.wharfPrisma;
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set. Start Wharf with `npm run dev` (it starts an embedded PostgreSQL) or set DATABASE_URL to a PostgreSQL database.");
  }
  // A burst (200 approvals at once, a worker running 16 jobs) queues for a
  // connection; waiting up to 15 s beats failing after Prisma's default 2 s.
  const prisma = new PrismaClient({
    adapter: withOutageNotice(
      withSerializedTransactions(new PrismaPg({ ...databaseConnection(connectionString), max: Number(process.env.WHARF_DB_POOL_SIZE) || 10 })),
    ),
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
  globalForPrisma.wharfPrisma = prisma;
  return prisma;
}

/** Closes the process's client; the next getPrisma() opens one on DATABASE_URL as it is then (a test file's own database). */
export async function releasePrisma(): Promise<void> {
  const prisma = globalForPrisma.wharfPrisma;
  globalForPrisma.wharfPrisma = undefined;
  await prisma?.$disconnect();
}

// PostgreSQL outages are answered 503 with Retry-After, not 500: the errors
// are real ones, from a database that is not running (a port nothing listens
// on) and from a connection PostgreSQL ended.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db/client";
import { databaseUnavailable, DATABASE_RETRY_AFTER_SECONDS } from "@/lib/db/unavailable";
import { freePort } from "@/lib/net/free-port";
import { callRoute } from "@/lib/api/route-harness";
import { GET as listServices } from "@/app/api/v1/services/route";

const stoppedDatabaseUrl = async () => `postgresql://postgres:secret@127.0.0.1:${await freePort()}/wharf`;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

// getPrisma() keeps its client on globalThis (lib/db/client.ts); the route test swaps it for one on a stopped database.
const global = globalThis as typeof globalThis & { wharfPrisma?: PrismaClient };
const realClient = getPrisma();
afterEach(() => {
  global.wharfPrisma = realClient;
});

describe("a PostgreSQL outage", () => {
  it("is recognised in what Prisma throws when the database is not running", async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: await stoppedDatabaseUrl(), connectionTimeoutMillis: 2_000 }) });
    for (const attempt of [() => prisma.team.findMany(), () => prisma.$transaction((tx) => tx.team.count()), () => prisma.$queryRaw`select 1`]) {
      const unavailable = databaseUnavailable(await failure(attempt()));
      expect(unavailable).toMatchObject({ code: "dependency_unavailable", status: 503, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
    }
    await prisma.$disconnect();
  });

  it("is recognised in what pg throws when PostgreSQL ends the connection", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    client.on("error", () => undefined);
    await client.connect();
    const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
    await getPrisma().$queryRawUnsafe(`select pg_terminate_backend(${rows[0]!.pid})`);
    const ended = await failure(client.query("select 1"));
    expect(databaseUnavailable(ended), String(ended)).not.toBeNull();
    await client.end().catch(() => undefined);
  });

  it("is not a constraint violation, a bad query or a bug", async () => {
    const slug = `dup-${randomBytes(4).toString("hex")}`;
    await getPrisma().team.create({ data: { slug, name: slug, entraGroupIds: [] } });
    expect(databaseUnavailable(await failure(getPrisma().team.create({ data: { slug, name: slug, entraGroupIds: [] } })))).toBeNull();
    expect(databaseUnavailable(await failure(getPrisma().$queryRawUnsafe('select no_such_column from "Team"')))).toBeNull();
    expect(databaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeNull();
  });

  it("is answered 503 with Retry-After by a route handler, not 500", async () => {
    global.wharfPrisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: await stoppedDatabaseUrl(), connectionTimeoutMillis: 2_000 }) });
    const response = await callRoute(listServices, { method: "GET", url: "/api/v1/services", sessionToken: randomBytes(32).toString("base64url") });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    expect(await response.json()).toEqual({
      error: { code: "dependency_unavailable", message: `Wharf's database is not answering; try again in ${DATABASE_RETRY_AFTER_SECONDS} s.` },
    });
    await global.wharfPrisma.$disconnect();
  });
});

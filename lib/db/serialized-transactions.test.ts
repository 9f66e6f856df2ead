// Integration: a transaction that loads relations (Prisma starts one query per
// relation at once) sends its statements one at a time through Wharf's
// client, so pg never queues a query behind another on the transaction's
// connection and never prints its deprecation warning. The same work through
// a bare adapter prints it, so this test would catch the wrapper going away.
// pg warns once per process, so the wrapped client runs first.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db/client";

const pgQueueWarning = /client\.query\(\) when the client is already executing a query/;

async function warningsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const warnings: string[] = [];
  const listener = (warning: Error) => warnings.push(warning.message);
  process.on("warning", listener);
  try {
    await work();
    // process.emitWarning delivers on a later tick.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off("warning", listener);
  }
  return warnings;
}

/** A team with its relations loaded inside a transaction: five relation queries started together. */
async function readTeamWithRelations(prisma: PrismaClient, slug: string) {
  return prisma.$transaction(async (tx) => {
    const team = await tx.team.findUniqueOrThrow({
      where: { slug },
      include: { services: true, namespaces: true, namespaceRequests: true, deployments: true, boards: true },
    });
    await tx.team.update({ where: { id: team.id }, data: { name: `${team.name}!` }, include: { services: true, namespaces: true, deployments: true } });
    return team;
  });
}

describe("transactions on one connection", () => {
  const bare = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL!, max: 2 }) });
  afterAll(() => bare.$disconnect());

  it("run their statements one at a time through Wharf's client, where a bare adapter makes pg warn", async () => {
    const slug = `serial-${randomUUID().slice(0, 8)}`;
    await getPrisma().team.create({ data: { slug, name: "Serial", entraGroupIds: [] } });

    const wrapped = await warningsDuring(async () => {
      const results = await Promise.all([readTeamWithRelations(getPrisma(), slug), readTeamWithRelations(getPrisma(), slug)]);
      expect(results[0].slug).toBe(slug);
    });
    expect(wrapped.filter((message) => pgQueueWarning.test(message))).toEqual([]);

    const unwrapped = await warningsDuring(() => readTeamWithRelations(bare, slug));
    expect(unwrapped.some((message) => pgQueueWarning.test(message))).toBe(true);
  });

  it("keeps a failed statement's error and rolls the transaction back", async () => {
    const slug = `serial-${randomUUID().slice(0, 8)}`;
    await expect(
      getPrisma().$transaction(async (tx) => {
        await tx.team.create({ data: { slug, name: "Rolled back", entraGroupIds: [] } });
        await Promise.all([tx.team.count(), tx.team.create({ data: { slug, name: "Duplicate", entraGroupIds: [] } }), tx.team.count()]);
      }),
    ).rejects.toThrow(/Unique constraint/);
    expect(await getPrisma().team.count({ where: { slug } })).toBe(0);
  });
});

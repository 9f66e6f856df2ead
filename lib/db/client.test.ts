import { randomBytes } from "node:crypto";
import { afterAll, expect, test } from "vitest";
import { getPrisma } from "./client";

afterAll(() => getPrisma().$disconnect());

test("getPrisma returns one client that reads and writes the migrated database", async () => {
  const prisma = getPrisma();
  expect(getPrisma()).toBe(prisma);
  const slug = `team-${randomBytes(4).toString("hex")}`;
  const team = await prisma.team.create({ data: { slug, name: "Payments", entraGroupIds: ["g-1"] } });
  expect(team.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(await prisma.team.findMany({ where: { entraGroupIds: { has: "g-1" }, slug } })).toHaveLength(1);

  const event = await prisma.auditEvent.create({
    data: { actorName: "ada", action: "team.create", resourceType: "Team", resourceId: team.id, outcome: "success", after: { slug } },
  });
  expect(typeof event.id).toBe("bigint");
  await expect(prisma.auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
});

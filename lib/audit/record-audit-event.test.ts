// Integration: identical refusals fold into one audit row with a count, against the test PostgreSQL.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { recordAuditEvent, refusalWindowMs } from "@/lib/audit/record-audit-event";
import { listAuditEvents } from "@/lib/admin/list-audit-events";

const admin = { kind: "user" as const, userId: "00000000-0000-4000-8000-000000000001", name: "Auditor", email: "a@example.com", isAdmin: true, teams: [] };

describe("recordAuditEvent", () => {
  it("writes one row per window of identical refusals and counts the rest beside it", async () => {
    const prisma = getPrisma();
    const actor = { kind: "anonymous" as const, name: `Flood ${randomBytes(4).toString("hex")}` };
    const start = new Date();
    const at = (ms: number) => new Date(start.getTime() + ms);
    const refuse = (resourceId: string, when: Date) =>
      recordAuditEvent(prisma, { actor, action: "team:create", resourceType: "api", resourceId, outcome: "denied" }, when);

    for (let i = 0; i < 5; i++) await refuse("/api/v1/teams", at(i * 1000));
    await refuse("/api/v1/services", at(5000));
    // Success is never folded.
    for (let i = 0; i < 2; i++)
      await recordAuditEvent(prisma, { actor, action: "team:create", resourceType: "api", resourceId: "/api/v1/teams", outcome: "success" });

    const rows = await prisma.auditEvent.findMany({ where: { actorName: actor.name }, orderBy: { id: "asc" } });
    const repeats = new Map(
      (await prisma.auditRefusalRepeat.findMany({ where: { auditEventId: { in: rows.map((row) => row.id) } } })).map((repeat) => [repeat.auditEventId, repeat]),
    );
    expect(rows.map((row) => [row.outcome, row.resourceId, repeats.get(row.id)?.count ?? null])).toEqual([
      ["denied", "/api/v1/teams", 5],
      ["denied", "/api/v1/services", 1],
      ["success", "/api/v1/teams", null],
      ["success", "/api/v1/teams", null],
    ]);
    expect(repeats.get(rows[0]!.id)!.lastAt.getTime()).toBe(at(4000).getTime());

    // Quiet for longer than the window: the next refusal opens a new row.
    await refuse("/api/v1/teams", at(4000 + refusalWindowMs + 1000));
    // A refusal every 9 minutes keeps a window open, but not past an hour from its first.
    const denied = async () => prisma.auditEvent.count({ where: { actorName: actor.name, outcome: "denied", resourceId: "/api/v1/services" } });
    for (let minute = 9; minute <= 54; minute += 9) await refuse("/api/v1/services", at(5000 + minute * 60_000));
    expect(await denied()).toBe(1);
    await refuse("/api/v1/services", at(5000 + 63 * 60_000));
    expect(await denied()).toBe(2);

    const { events } = await listAuditEvents({ actor: admin, filter: { actor: actor.name } });
    const teams = events.filter((event) => event.outcome === "denied" && event.resourceId === "/api/v1/teams");
    // The page says "N times" only past one.
    expect(teams.map((event) => event.repeated?.count ?? null)).toEqual([null, 5]);
    expect(events.find((event) => event.outcome === "success")?.repeated).toBeNull();
  });
});

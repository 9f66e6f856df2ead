// Integration (embedded PostgreSQL, pg-boss): an admin's "sync now" queues one forced cost.sync job, a second
// click queues nothing while it waits, and a member is refused; both audited.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { jobsSchema, stopBoss } from "@/lib/jobs/boss";
import { requestCostSync } from "./request-cost-sync";

const suffix = randomBytes(3).toString("hex");
const base = { kind: "user", name: `Sync ${suffix}`, email: "s@example.com" } as const;
const admin: UserActor = { ...base, userId: `00000000-0000-4000-8000-${randomBytes(6).toString("hex")}`, isAdmin: true, teams: [] };
const member: UserActor = {
  ...base,
  userId: `00000000-0000-4000-8000-${randomBytes(6).toString("hex")}`,
  isAdmin: false,
  teams: [{ id: "t1", slug: "payments", name: "Payments" }],
};

afterAll(async () => {
  await stopBoss();
});

describe("requestCostSync", () => {
  it("queues one forced sync; a second request while it waits queues nothing and says so", async () => {
    const first = await requestCostSync({ actor: admin });
    const second = await requestCostSync({ actor: admin });
    expect(second).toEqual({ jobId: null, message: expect.stringContaining("already queued or running") });
    const schema = await jobsSchema();
    const jobs = await getPrisma().$queryRawUnsafe<{ data: { force?: boolean } }[]>(
      `SELECT data FROM ${schema}.job WHERE name = 'cost.sync' AND state IN ('created', 'retry', 'active')`,
    );
    expect(jobs).toHaveLength(1);
    if (first.jobId) {
      expect(first.message).toContain("queued");
      expect(jobs[0]!.data.force).toBe(true);
    } else {
      // The hourly schedule's own cost.sync (minute 17, unforced) was waiting already: the click queued nothing and
      // said so (a CI run whose tests crossed 14:17 saw it).
      expect(first.message).toContain("already queued or running");
    }
  });

  it("refuses a team member and audits the refusal", async () => {
    await expect(requestCostSync({ actor: member })).rejects.toMatchObject({ code: "forbidden" });
    const events = await getPrisma().auditEvent.findMany({ where: { action: "cost.sync", actorId: member.userId } });
    expect(events.map((event) => event.outcome)).toEqual(["denied"]);
  });
});

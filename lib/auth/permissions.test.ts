import { describe, expect, it } from "vitest";
import { actions, can, roleLabel, roleOf, type UserActor } from "@/lib/auth/permissions";

const base: Omit<UserActor, "isAdmin" | "teams"> = { kind: "user", userId: "u1", name: "Test", email: "t@example.com" };
const admin: UserActor = { ...base, isAdmin: true, teams: [] };
const member: UserActor = { ...base, isAdmin: false, teams: [{ id: "t1", slug: "payments", name: "Payments" }] };
const viewer: UserActor = { ...base, isAdmin: false, teams: [] };

describe("permissions", () => {
  it("lets admins do everything", () => {
    for (const action of actions) expect(can(admin, action)).toBe(true);
  });

  it("lets anyone signed in read teams and people, and nothing else yet", () => {
    for (const actor of [member, viewer]) {
      expect(can(actor, "team:read")).toBe(true);
      expect(can(actor, "user:read")).toBe(true);
      expect(can(actor, "team:create")).toBe(false);
      expect(can(actor, "team:update", { teamId: "t1" })).toBe(false);
      expect(can(actor, "team:archive")).toBe(false);
      expect(can(actor, "audit:read")).toBe(false);
    }
    expect(can(member, "team:update", { teamId: "t1" })).toBe(false);
  });

  it("lets members change only what their team owns", () => {
    expect(can(member, "service:read")).toBe(true);
    expect(can(viewer, "service:read")).toBe(true);
    for (const action of ["service:create", "service:update", "service:retire"] as const) {
      expect(can(member, action, { teamId: "t1" })).toBe(true);
      expect(can(member, action, { teamId: "t2" })).toBe(false);
      expect(can(member, action)).toBe(false);
      expect(can(viewer, action, { teamId: "t1" })).toBe(false);
      expect(can(admin, action, { teamId: "t2" })).toBe(true);
    }
  });

  it("lets anyone signed in read health, and only admins edit its thresholds", () => {
    for (const actor of [member, viewer, admin]) expect(can(actor, "health:read")).toBe(true);
    expect(can(admin, "health:thresholds:edit")).toBe(true);
    expect(can(member, "health:thresholds:edit")).toBe(false);
    expect(can(member, "health:thresholds:edit", { teamId: "t1" })).toBe(false);
    expect(can(viewer, "health:thresholds:edit")).toBe(false);
  });

  it("gives a pipeline's token no health access (it deploys; people read health)", () => {
    const pipeline = { kind: "pipeline", pipelineIdentityId: "p1", clientId: "c1", name: "CI (pipeline)", isAdmin: false, teams: [{ id: "t1", slug: "payments", name: "Payments" }] } as const;
    expect(can({ ...pipeline, teams: [...pipeline.teams] }, "health:read")).toBe(false);
    expect(can({ ...pipeline, teams: [...pipeline.teams] }, "health:thresholds:edit", { teamId: "t1" })).toBe(false);
  });

  it("names roles for the user menu", () => {
    expect(roleOf(admin)).toBe("admin");
    expect(roleOf(member)).toBe("member");
    expect(roleOf(viewer)).toBe("viewer");
    expect(roleLabel(member)).toBe("Member of Payments");
    expect(roleLabel(viewer)).toBe("Viewer");
    expect(roleLabel(admin)).toBe("Platform admin");
  });
});

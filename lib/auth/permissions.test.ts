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

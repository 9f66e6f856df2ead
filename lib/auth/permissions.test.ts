import { describe, expect, it } from "vitest";
import {
  actions,
  actsForAnyTeam,
  actsForTeam,
  can,
  onlyPlatformAdmins,
  refusalMessage,
  roleLabel,
  roleOf,
  teamsActorActsFor,
  type Action,
  type DisplayActor,
  type PipelineActor,
  type SystemActor,
  type UserActor,
} from "@/lib/auth/permissions";

const base: Omit<UserActor, "isAdmin" | "teams"> = { kind: "user", userId: "u1", name: "Test", email: "t@example.com" };
const admin: UserActor = { ...base, isAdmin: true, teams: [] };
const member: UserActor = { ...base, isAdmin: false, teams: [{ id: "t1", slug: "payments", name: "Payments" }] };
const viewer: UserActor = { ...base, isAdmin: false, teams: [] };
const pipeline: PipelineActor = {
  kind: "pipeline",
  pipelineIdentityId: "p1",
  clientId: "c1",
  name: "Payments pipeline (pipeline)",
  isAdmin: false,
  teams: [{ id: "t1", slug: "payments", name: "Payments" }],
};
const system: SystemActor = { kind: "system", name: "Wharf scheduler" };
const display: DisplayActor = {
  kind: "display",
  displayId: "d1",
  boardId: "b1",
  playlistId: null,
  boardSlug: "ops",
  boardIds: ["b1"],
  name: "Screen “Ops room” (display)",
  isAdmin: false,
  teams: [],
};

/**
 * Every action's decision for each kind of actor, on a resource of the member's own team (t1) and of another
 * team (t2). Typed by Action, so a new action cannot be added without its row; a row that disagrees with `can()`
 * fails the action's own test below.
 */
type Decision = { viewer: boolean; memberOwn: boolean; memberOther: boolean; pipelineOwn: boolean; pipelineOther: boolean };
const adminOnly: Decision = { viewer: false, memberOwn: false, memberOther: false, pipelineOwn: false, pipelineOther: false };
const anySignedIn: Decision = { viewer: true, memberOwn: true, memberOther: true, pipelineOwn: false, pipelineOther: false };
const owningTeam: Decision = { viewer: false, memberOwn: true, memberOther: false, pipelineOwn: false, pipelineOther: false };
const expected: Record<Action, Decision> = {
  "team:read": anySignedIn,
  "team:create": adminOnly,
  "team:update": adminOnly,
  "team:archive": adminOnly,
  "user:read": anySignedIn,
  "audit:read": adminOnly,
  "job:read": adminOnly,
  "job:retry": adminOnly,
  "service:read": anySignedIn,
  "service:create": owningTeam,
  "service:update": owningTeam,
  "service:retire": owningTeam,
  "cluster:read": anySignedIn,
  "cluster:manage": adminOnly,
  "namespace:read": anySignedIn,
  "namespace:request": owningTeam,
  "namespace:approve": adminOnly,
  "namespace:manage": adminOnly,
  "deployment:read": { ...anySignedIn, pipelineOwn: true, pipelineOther: true },
  "deployment:create": { ...owningTeam, pipelineOwn: true },
  "deployment:approve": owningTeam,
  "deployment:cancel": owningTeam,
  "deployment:logs": owningTeam,
  "pipeline:read": adminOnly,
  "pipeline:manage": adminOnly,
  "health:read": anySignedIn,
  "health:thresholds:edit": adminOnly,
  "cost:read": owningTeam,
  "cost:sync": adminOnly,
  "cost:allocation:edit": adminOnly,
  "budget:manage": owningTeam,
  "board:read": anySignedIn,
  "board:manage": owningTeam,
  // Only a screen's display token (and admins): people look at boards through /boards.
  "board:view": adminOnly,
};

describe.each(actions.map((action) => [action] as const))("can(actor, %s)", (action) => {
  const decision = expected[action];

  it("decides for viewers, members of the owning team and of another, pipelines, admins and Wharf itself", () => {
    expect(can(viewer, action, { teamId: "t1" }), "viewer").toBe(decision.viewer);
    expect(can(member, action, { teamId: "t1" }), "member of the owning team").toBe(decision.memberOwn);
    expect(can(member, action, { teamId: "t2" }), "member of another team").toBe(decision.memberOther);
    expect(can(pipeline, action, { teamId: "t1" }), "pipeline of the owning team").toBe(decision.pipelineOwn);
    expect(can(pipeline, action, { teamId: "t2" }), "pipeline of another team").toBe(decision.pipelineOther);
    expect(can(admin, action, { teamId: "t2" }), "admin").toBe(true);
    expect(can(system, action, { teamId: "t2" }), "Wharf itself").toBe(true);
    // A team-scoped action on a resource that names no team is refused.
    expect(can(member, action), "member, no team named").toBe(decision.memberOwn && decision.memberOther);
    // A screen views its own board and does nothing else, whatever the team.
    expect(can(display, action, { teamId: "t1", boardId: "b1" }), "screen, its board").toBe(action === "board:view");
    expect(can(display, action, { teamId: "t1", boardId: "b2" }), "screen, another board").toBe(false);
  });

  it("has a refusal that says what to do", () => {
    expect(refusalMessage(action).length).toBeGreaterThan(20);
    // What only an admin may do (a screen's board:view aside, which people never need) says so, whom to ask and where
    // Wharf lists them, and what to ask for; nothing else claims to be admin-only.
    const adminsOnly = decision === adminOnly && action !== "board:view";
    if (adminsOnly)
      expect(refusalMessage(action)).toMatch(
        /^Only a platform admin can [^.]+\. Ask a platform admin \(the Teams page lists them: \/teams#platform-admins\) to [^.]+\./,
      );
    else expect(refusalMessage(action)).not.toMatch(/^Only a platform admin/);
  });
});

describe("onlyPlatformAdmins", () => {
  it("says who can, whom to ask, where they are listed and what to ask for, then anything else", () => {
    expect(onlyPlatformAdmins("start a cost sync", "start one", "The sync also runs on its own every few hours.")).toBe(
      "Only a platform admin can start a cost sync. Ask a platform admin (the Teams page lists them: /teams#platform-admins) to start one. " +
        "The sync also runs on its own every few hours.",
    );
    expect(refusalMessage("namespace:approve")).toBe(
      "Only a platform admin can approve or reject namespace requests. Ask a platform admin (the Teams page lists them: /teams#platform-admins) to decide the request.",
    );
  });
});

describe("teamsActorActsFor", () => {
  it("is no team for a screen", () => {
    expect(teamsActorActsFor(display)).toEqual([]);
    expect(roleOf(display)).toBe("display");
  });

  it("is every team for admins and Wharf itself, else the actor's own", () => {
    expect(teamsActorActsFor(admin)).toBe("all");
    expect(teamsActorActsFor(system)).toBe("all");
    expect(teamsActorActsFor(member)).toEqual(["t1"]);
    expect(teamsActorActsFor(pipeline)).toEqual(["t1"]);
    expect(teamsActorActsFor(viewer)).toEqual([]);
    expect(actsForAnyTeam(viewer)).toBe(false);
    expect(actsForAnyTeam(member)).toBe(true);
    expect(actsForTeam(member, "t2")).toBe(false);
    expect(actsForTeam(admin, "t2")).toBe(true);
  });

  it("agrees with can() on every owning-team action a user takes", () => {
    const owningTeamActions = actions.filter((action) => expected[action] === owningTeam);
    expect(owningTeamActions.length).toBeGreaterThan(0);
    for (const actor of [admin, member, viewer]) {
      for (const teamId of ["t1", "t2"]) {
        for (const action of owningTeamActions) expect(can(actor, action, { teamId }), `${actor.name} ${action} ${teamId}`).toBe(actsForTeam(actor, teamId));
      }
    }
  });
});

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
    const pipeline = {
      kind: "pipeline",
      pipelineIdentityId: "p1",
      clientId: "c1",
      name: "CI (pipeline)",
      isAdmin: false,
      teams: [{ id: "t1", slug: "payments", name: "Payments" }],
    } as const;
    expect(can({ ...pipeline, teams: [...pipeline.teams] }, "health:read")).toBe(false);
    expect(can({ ...pipeline, teams: [...pipeline.teams] }, "health:thresholds:edit", { teamId: "t1" })).toBe(false);
  });

  it("shows a team's cost to its members and admins, never to viewers or pipelines; only admins sync and choose the allocation rule", () => {
    expect(can(member, "cost:read", { teamId: "t1" })).toBe(true);
    expect(can(member, "cost:read", { teamId: "t2" })).toBe(false);
    expect(can(viewer, "cost:read", { teamId: "t1" })).toBe(false);
    expect(can(admin, "cost:read")).toBe(true);
    expect(can(pipeline, "cost:read", { teamId: "t1" })).toBe(false);
    expect(can(member, "cost:sync")).toBe(false);
    expect(can(admin, "cost:sync")).toBe(true);
    expect(can(member, "cost:allocation:edit", { teamId: "t1" })).toBe(false);
    expect(can(admin, "cost:allocation:edit")).toBe(true);
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

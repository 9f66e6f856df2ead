import { describe, expect, it } from "vitest";
import { actions, can, roleLabel, roleOf, type PipelineActor } from "@/lib/auth/permissions";
import { bearerToken } from "@/lib/auth/bearer";

const pipeline: PipelineActor = {
  kind: "pipeline",
  pipelineIdentityId: "p1",
  clientId: "c1",
  name: "Payments pipeline (pipeline)",
  isAdmin: false,
  teams: [{ id: "t1", slug: "payments", name: "Payments" }],
};

describe("a pipeline actor", () => {
  it("deploys for its mapped teams only and reads deployments", () => {
    expect(can(pipeline, "deployment:create", { teamId: "t1" })).toBe(true);
    expect(can(pipeline, "deployment:create", { teamId: "t2" })).toBe(false);
    expect(can(pipeline, "deployment:create")).toBe(false);
    expect(can(pipeline, "deployment:read")).toBe(true);
  });

  it("does nothing else: no approving, cancelling, catalog or admin", () => {
    const allowed = actions.filter((action) => can(pipeline, action, { teamId: "t1" }));
    expect(allowed).toEqual(["deployment:read", "deployment:create"]);
  });

  it("is named as a pipeline", () => {
    expect(roleOf(pipeline)).toBe("pipeline");
    expect(roleLabel(pipeline)).toBe("Pipeline deploying for Payments");
  });
});

describe("bearerToken", () => {
  it("reads the token, ignores other schemes, refuses an empty Bearer", () => {
    expect(bearerToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(bearerToken("bearer  abc")).toBe("abc");
    expect(bearerToken(null)).toBeNull();
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBeNull();
    expect(() => bearerToken("Bearer ")).toThrow(/carries no token/);
  });
});

import { describe, expect, it } from "vitest";
import { createTeamInput, splitGroupIds } from "@/lib/teams/team-input";

const valid = { slug: "payments", name: "Payments", entraGroupIds: ["3C0F5A7E-1B2D-4C3E-8F4A-5B6C7D8E9F01"] };

function firstIssue(input: unknown) {
  const result = createTeamInput.safeParse(input);
  if (result.success) throw new Error("expected a validation error");
  return { path: result.error.issues[0]!.path, message: result.error.issues[0]!.message };
}

describe("team input", () => {
  it("accepts a valid team and normalises group ids", () => {
    const team = createTeamInput.parse(valid);
    expect(team.entraGroupIds).toEqual(["3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f01"]);
  });

  it("explains what to change", () => {
    expect(firstIssue({ ...valid, slug: "Payments" })).toEqual({ path: ["slug"], message: expect.stringContaining("lowercase letters") });
    expect(firstIssue({ ...valid, slug: "pay--ments" }).message).toContain("two hyphens");
    expect(firstIssue({ ...valid, slug: "p".repeat(41) }).message).toContain("at most 40");
    expect(firstIssue({ ...valid, name: " " }).message).toBe("Give the team a name.");
    expect(firstIssue({ ...valid, entraGroupIds: [] }).message).toContain("at least one Entra group");
    expect(firstIssue({ ...valid, entraGroupIds: ["payments-group"] })).toEqual({ path: ["entraGroupIds", 0], message: expect.stringContaining("UUID") });
    expect(firstIssue({ ...valid, entraGroupIds: [valid.entraGroupIds[0], valid.entraGroupIds[0]!.toLowerCase()] }).message).toContain("only once");
    expect(firstIssue({ ...valid, costCenter: "CC 12" }).message).toContain("cost center");
  });

  it("splits group ids typed one per line or with commas", () => {
    expect(splitGroupIds(" a,\nb  c\n\n")).toEqual(["a", "b", "c"]);
  });
});

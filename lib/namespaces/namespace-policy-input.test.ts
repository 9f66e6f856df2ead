import { describe, expect, it } from "vitest";
import { namespacePolicyInput } from "@/lib/namespaces/set-namespace-policy";
import { defaultPolicies } from "@/lib/namespaces/namespace-policy";

const valid = { ...defaultPolicies.dev };

const issueOf = (input: unknown) => {
  const result = namespacePolicyInput.safeParse(input);
  return result.success ? null : { path: result.error.issues[0]!.path, message: result.error.issues[0]!.message };
};

describe("an environment's namespace policy as admins send it", () => {
  it("takes a valid policy", () => {
    expect(issueOf(valid)).toBeNull();
    expect(issueOf({ ...valid, maxNamespacesPerTeam: 0 })).toBeNull();
  });

  it.each([[null], [[]], [""], ["5"], [true], [{}]])("refuses %j as the most namespaces per team instead of storing 0", (value) => {
    expect(issueOf({ ...valid, maxNamespacesPerTeam: value })).toEqual({ path: ["maxNamespacesPerTeam"], message: expect.stringMatching(/must be a number/) });
  });

  it.each(["1e400", "1E309", "1e999"])("refuses the CPU ceiling %s, too large to compare", (value) => {
    expect(issueOf({ ...valid, ceilings: { ...valid.ceilings, limitsCpu: value } })?.path).toEqual(["ceilings", "limitsCpu"]);
  });
});

// An admin sets an environment's quota ceilings, request rules, and whether its deployments need a second person's approval.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { environments } from "@/lib/clusters/cluster-view";
import { quotaInput } from "@/lib/namespaces/namespace-input";
import { loadPolicies } from "@/lib/namespaces/namespace-policies";
import type { EnvironmentPolicy } from "@/lib/namespaces/namespace-policy";

export const namespacePolicyInput = z.object({
  environment: z.enum(environments, { error: `The environment must be one of ${environments.join(", ")}.` }),
  ceilings: quotaInput,
  // A JSON number only: coercing made null and [] a 0, which stops every request.
  maxNamespacesPerTeam: z
    .number({ error: "The most namespaces per team must be a number, such as 5." })
    .int("The most namespaces per team must be a whole number.")
    .min(0, "The most namespaces per team cannot be negative; 0 stops new requests.")
    .max(1000, "The most namespaces per team can be at most 1,000."),
  allowSelfApproval: z.boolean({ error: "Say whether admins may approve their own requests (true or false)." }),
  requireDeploymentApproval: z.boolean({ error: "Say whether deployments to this environment wait for a second person's approval (true or false)." }),
});

export async function listNamespacePolicies({ actor }: { actor: Actor }): Promise<EnvironmentPolicy[]> {
  if (!can(actor, "namespace:read")) throw forbidden("namespace:read");
  return Object.values(await loadPolicies(getPrisma()));
}

export async function setNamespacePolicy({ actor, input }: { actor: Actor; input: unknown }): Promise<EnvironmentPolicy> {
  if (!can(actor, "namespace:manage")) {
    await recordAuditEvent(getPrisma(), { actor, action: "namespace_policy.update", resourceType: "namespace_policy", outcome: "denied" });
    throw forbidden("namespace:manage");
  }
  const policy = parseInput(namespacePolicyInput, input);
  return getPrisma().$transaction(async (tx) => {
    const before = (await loadPolicies(tx))[policy.environment];
    await tx.namespacePolicy.upsert({
      where: { environment: policy.environment },
      create: { ...policy },
      update: {
        ceilings: policy.ceilings,
        maxNamespacesPerTeam: policy.maxNamespacesPerTeam,
        allowSelfApproval: policy.allowSelfApproval,
        requireDeploymentApproval: policy.requireDeploymentApproval,
      },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "namespace_policy.update",
      resourceType: "namespace_policy",
      resourceId: policy.environment,
      outcome: "success",
      before,
      after: policy,
    });
    return policy;
  });
}

// A team member asks for a namespace. The policy is checked here, under a
// per-cluster lock, so two requests cannot both take one name.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor, type UserActor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { namespaceRequestInput } from "@/lib/namespaces/namespace-input";
import { checkNamespacePolicy } from "@/lib/namespaces/namespace-policy";
import { buildPolicyContext, lockClusterNames } from "@/lib/namespaces/policy-context";
import type { NamespaceRequestView } from "@/lib/namespaces/namespace-view";
import { fileNamespaceRequest } from "@/lib/namespaces/file-namespace-request";

export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== "user") throw new AppError("forbidden", "Namespace requests are made by people, so a decision can name who asked.");
  return actor;
}

const uuid = z.uuid();

export async function findTeamAndCluster(tx: Prisma.TransactionClient, teamId: string, clusterId: string) {
  const team = uuid.safeParse(teamId).success ? await tx.team.findUnique({ where: { id: teamId } }) : null;
  if (!team) throw new AppError("invalid_input", "There is no such team; choose one of your teams.", { path: ["teamId"] });
  if (team.archivedAt) throw new AppError("invalid_input", `${team.name} is archived; archived teams cannot request namespaces.`, { path: ["teamId"] });
  const cluster = uuid.safeParse(clusterId).success ? await tx.cluster.findUnique({ where: { id: clusterId } }) : null;
  if (!cluster)
    throw new AppError("invalid_input", "There is no such cluster; choose one from the list (an admin discovers clusters under Admin → Clusters).", {
      path: ["clusterId"],
    });
  if (cluster.missingSince)
    throw new AppError("invalid_input", `${cluster.name} was not found in Azure at the last discovery; choose another cluster.`, { path: ["clusterId"] });
  return { team, cluster };
}

export async function requestNamespace({ actor, input }: { actor: Actor; input: unknown }): Promise<NamespaceRequestView> {
  const parsed = parseInput(namespaceRequestInput, input);
  const prisma = getPrisma();
  if (!can(actor, "namespace:request", { teamId: parsed.teamId })) {
    await recordAuditEvent(prisma, {
      actor,
      action: "namespace.request",
      resourceType: "namespace",
      resourceId: parsed.name,
      outcome: "denied",
      detail: `team ${parsed.teamId}`,
    });
    throw forbidden("namespace:request");
  }
  const user = requireUser(actor);
  const view = await prisma.$transaction(async (tx) => {
    const { team, cluster } = await findTeamAndCluster(tx, parsed.teamId, parsed.clusterId);
    await lockClusterNames(tx, cluster.id);
    const context = await buildPolicyContext(tx, { kind: "create", team, cluster });
    const violations = checkNamespacePolicy(parsed, context);
    if (violations.length) {
      const [first] = violations;
      throw new AppError(
        "invalid_input",
        violations.length > 1 ? `${first!.message} (and ${violations.length - 1} more problem${violations.length > 2 ? "s" : ""})` : first!.message,
        { path: first!.field.split(".") },
      );
    }
    return fileNamespaceRequest(tx, {
      requester: user,
      request: {
        kind: "create",
        teamId: team.id,
        clusterId: cluster.id,
        name: parsed.name,
        quota: parsed.quota,
        containerDefaults: parsed.containerDefaults,
        costCenter: parsed.costCenter || team.costCenter || team.slug,
        justification: parsed.justification,
      },
      auditAction: "namespace.request",
      notice: `${user.name} asks for ${parsed.name} on ${cluster.name} for ${team.name}.`,
    });
  });
  return view;
}

// Roll back to an earlier revision that rolled out successfully: its
// manifest is applied again, as a new revision that is itself audited and
// followed. No approval gate: that manifest was approved (where needed) and
// ran successfully in this namespace before.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { whenBusyChoices } from "./deploy-input";
import { findDeploymentOr404 } from "./approve-deployment";
import { refusal, policyFor } from "./create-deployment";
import { assertNamespaceReady, loadTarget, readNamespaceState } from "./deployment-target";
import { deploymentInclude, toDeploymentView, type DeploymentView } from "./deployment-view";
import { manifestYaml } from "./manifest";
import { restampManifest, type RenderedManifest } from "./render";
import { busyDeployment, enqueueRollout, lockRolloutSlot, nextRevision } from "./rollout-slot";
import { deploymentRequests } from "./deployment-requests";

export const rollbackInput = z.object({
  whenBusy: z.enum(whenBusyChoices, { error: `whenBusy must be one of ${whenBusyChoices.join(", ")}.` }).default("refuse"),
});

type Tx = Prisma.TransactionClient;

export interface RollbackSource {
  id: string;
  serviceId: string;
  namespaceId: string;
  teamId: string;
  revision: number;
  image: string;
  imageTag: string | null;
  imageDigest: string | null;
  tagCheck: string | null;
  replicas: number;
  manifest: Prisma.JsonValue;
}

/** The new revision that re-applies `source`'s manifest, inside the caller's transaction (which holds the slot). */
export async function insertRollback(
  tx: Tx,
  { source, actor, status, message, why }: { source: RollbackSource; actor: Actor; status: "applying" | "queued"; message: string; why: string },
) {
  const revision = await nextRevision(tx, source.serviceId, source.namespaceId);
  const manifest = restampManifest(source.manifest as unknown as RenderedManifest, {
    revision,
    changeCause: `${why} to revision ${source.revision} by ${actor.name} (Wharf)`,
  });
  return tx.deployment.create({
    data: {
      serviceId: source.serviceId,
      namespaceId: source.namespaceId,
      teamId: source.teamId,
      requestedById: actor.kind === "user" ? actor.userId : null,
      requestedByName: actor.name,
      revision,
      kind: "rollback",
      imageTag: source.imageTag,
      imageDigest: source.imageDigest,
      // The same label as the revision it returns to, with what the registry said of it then.
      tagCheck: source.tagCheck,
      image: source.image,
      replicas: source.replicas,
      manifest: manifest as object,
      manifestYaml: manifestYaml(manifest),
      status,
      message,
      desiredReplicas: source.replicas,
      rolledBackFromId: source.id,
      queuedAt: status === "queued" ? new Date() : null,
    },
    include: deploymentInclude,
  });
}

async function rollbackDeploymentNow({ actor, deploymentId, input = {} }: { actor: Actor; deploymentId: string; input?: unknown }): Promise<DeploymentView> {
  const prisma = getPrisma();
  const options = parseInput(rollbackInput, input);
  const source = await findDeploymentOr404(deploymentId);
  const ref = { namespaceId: source.namespaceId };
  const target = await loadTarget({ actor, serviceSlug: source.service.slug, namespace: ref, action: "deployment:create", auditAction: "deployment.rollback" });
  if (source.status !== "succeeded") {
    throw new AppError(
      "conflict",
      `Revision ${source.revision} is ${source.status}; Wharf rolls back only to a ` +
        "revision that rolled out successfully. Pick one marked succeeded in the history.",
    );
  }
  assertNamespaceReady(target.namespace, ref);
  const state = await readNamespaceState(target.namespace, target.service.slug);
  const outcome = await prisma.$transaction(async (tx) => {
    await lockRolloutSlot(tx, source.serviceId, source.namespaceId);
    const busy = await busyDeployment(tx, source.serviceId, source.namespaceId);
    const manifest = source.manifest as unknown as RenderedManifest;
    const violations = policyFor(target, state, manifest, actor, getConfig().azure.allowedRegistries, options.whenBusy === "refuse" ? busy : null);
    if (violations.length) return { refused: violations, row: null } as const;
    const status = busy ? "queued" : "applying";
    const row = await insertRollback(tx, {
      source,
      actor,
      status,
      why: "Roll back",
      message: busy
        ? `Queued behind revision ${busy.revision}; it starts when that rollout ends.`
        : `Rolling back to revision ${source.revision}; waiting for a worker to apply it`,
    });
    await recordAuditEvent(tx, {
      actor,
      action: "deployment.rollback",
      resourceType: "deployment",
      resourceId: row.id,
      outcome: "success",
      after: {
        service: source.service.slug,
        namespace: source.namespace.name,
        revision: row.revision,
        toRevision: source.revision,
        image: source.image,
        status,
      },
    });
    return { refused: null, row } as const;
  });
  if (outcome.refused) {
    await recordAuditEvent(prisma, {
      actor,
      action: "deployment.rollback",
      resourceType: "deployment",
      resourceId: source.id,
      outcome: "denied",
      detail: outcome.refused.map((v) => v.code).join(", "),
    });
    throw refusal(outcome.refused);
  }
  if (outcome.row.status === "applying") await enqueueRollout(outcome.row.id);
  // No change notice: the rollback is a new deployment, which no live view can be watching yet.
  return toDeploymentView(outcome.row);
}

/** rollbackDeployment, taking its turn among the web process's deployment requests (./deployment-requests.ts). */
export function rollbackDeployment(args: { actor: Actor; deploymentId: string; input?: unknown }): Promise<DeploymentView> {
  return deploymentRequests.run(() => rollbackDeploymentNow(args));
}

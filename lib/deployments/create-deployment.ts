// A team member deploys an image version of a service to one of the team's
// namespaces. Checked before anything is written: who may, the namespace is
// ready, the manifest passes the policy against what the namespace has now.
// Then, in one transaction holding the service's rollout slot: a new revision,
// waiting for approval (production), queued behind a running rollout (when
// asked), or applying at once; audited.
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notifyTeamAndAdmins } from "@/lib/notifications/notify";
import { approvalsChanged } from "@/lib/notifications/approvals-changed";
import { parseInput } from "@/lib/validation";
import { deployInput, imageVersionOf, namespaceRefOf, type ImageVersion } from "./deploy-input";
import { approvalRequired } from "./deployment-settings";
import {
  actorTeamIds,
  assertNamespaceReady,
  deploySpecOf,
  loadTarget,
  readNamespaceState,
  type DeploymentTarget,
  type NamespaceState,
} from "./deployment-target";
import { deploymentInclude, toDeploymentView, type DeploymentRow, type DeploymentView } from "./deployment-view";
import { manifestYaml } from "./manifest";
import { checkDeploymentPolicy, violationsMessage, type PolicyViolation } from "./policy";
import { imageReference, renderDeployment, type RenderedManifest } from "./render";
import { busyDeployment, enqueueRollout, lockRolloutSlot, nextRevision } from "./rollout-slot";
import { deploymentRequests } from "./deployment-requests";
import { checkPickedTag } from "./image-tags";
import { shortDigest, type TagCheckOutcome } from "./version-text";
import {
  claimIdempotencyKey,
  findIdempotentReplay,
  idempotencyClaim,
  parseIdempotencyKey,
  rememberIdempotentResponse,
  type IdempotencyClaim,
  type IdempotentReplay,
} from "./idempotency-key";

export function describeVersion(image: ImageVersion): string {
  if (!("digest" in image)) return image.tag;
  return image.tag === undefined ? shortDigest(image.digest) : `${image.tag} (${shortDigest(image.digest)})`;
}

/** A digest with the tag it was picked as: whether the registry still maps the tag there (409 when it moved); null for a tag or a digest alone. */
export async function checkVersion(target: DeploymentTarget, image: ImageVersion): Promise<TagCheckOutcome | null> {
  if (!("digest" in image) || image.tag === undefined) return null;
  return checkPickedTag(deploySpecOf(target.service).imageRepository, image.tag, image.digest);
}

export function renderFor(target: DeploymentTarget, image: ImageVersion, replicas: number | undefined, revision: number, actor: Actor): RenderedManifest {
  return renderDeployment({
    service: {
      slug: target.service.slug,
      appInsightsRoleName: target.service.appInsightsRoleName,
      dependencies: target.service.dependencies.map(({ kind, target }) => ({ kind, target })),
    },
    deploySpec: deploySpecOf(target.service),
    team: { slug: target.namespace.team.slug },
    namespace: { name: target.namespace.name },
    image,
    replicas,
    changeCause: `Deploy ${describeVersion(image)} by ${actor.name} (Wharf)`,
    revision,
  });
}

export function policyFor(
  target: DeploymentTarget,
  state: NamespaceState,
  rendered: RenderedManifest,
  actor: Actor,
  allowedRegistries: readonly string[],
  busy: { revision: number } | null,
): PolicyViolation[] {
  return checkDeploymentPolicy({
    rendered,
    allowedRegistries,
    namespace: state.policy,
    actorTeamIds: actorTeamIds(actor, target.namespace),
    service: { retired: target.service.retiredAt !== null, teamId: target.service.ownerTeamId },
    current: state.current,
    existingRolloutInFlight: busy,
  });
}

/** 409 when the only problem is a rollout in flight; 400 with every violation's message otherwise. */
export function refusal(violations: PolicyViolation[]): AppError {
  if (violations.every((violation) => violation.code === "rollout_in_progress")) return new AppError("conflict", violations[0]!.message);
  const field = violations[0]!.field;
  return new AppError("invalid_input", violationsMessage(violations), field === "namespaceId" ? { path: ["namespaceId"] } : undefined);
}

/** A new deployment, or the first answer to the same caller's earlier request with the same Idempotency-Key. */
export type CreateDeploymentResult = { replayed: false; deployment: DeploymentView } | ({ replayed: true } & IdempotentReplay);

async function createDeploymentNow({ actor, input, claim }: { actor: Actor; input: unknown; claim: IdempotencyClaim | null }): Promise<CreateDeploymentResult> {
  const prisma = getPrisma();
  const request = parseInput(deployInput, input);
  const earlier = claim ? await findIdempotentReplay(claim) : null;
  if (earlier) return { replayed: true, ...earlier };
  const ref = namespaceRefOf(request);
  const target = await loadTarget({ actor, serviceSlug: request.service, namespace: ref, action: "deployment:create", auditAction: "deployment.create" });
  assertNamespaceReady(target.namespace, ref);
  const image = imageVersionOf(request);
  const deploySpec = deploySpecOf(target.service);
  const [tagCheck, state, needsApproval] = await Promise.all([
    checkVersion(target, image),
    readNamespaceState(target.namespace, target.service.slug),
    approvalRequired(prisma, target.namespace.environment),
  ]);
  const allowedRegistries = getConfig().azure.allowedRegistries;

  const outcome = await prisma.$transaction(async (tx) => {
    // The key's lock first, the slot's second: a retry racing its original waits here, then answers from what the original stored.
    const replay = claim ? await claimIdempotencyKey(tx, claim) : null;
    if (replay) return { replay, refused: null, row: null, start: false } as const;
    await lockRolloutSlot(tx, target.service.id, target.namespace.id);
    const busy = await busyDeployment(tx, target.service.id, target.namespace.id);
    const revision = await nextRevision(tx, target.service.id, target.namespace.id);
    const rendered = renderFor(target, image, request.replicas, revision, actor);
    const violations = policyFor(target, state, rendered, actor, allowedRegistries, request.whenBusy === "refuse" ? busy : null);
    if (violations.length) return { replay: null, refused: violations, row: null, start: false } as const;
    const status = needsApproval ? "awaiting-approval" : busy ? "queued" : "applying";
    const message = needsApproval
      ? `Waiting for another member of ${target.namespace.team.name} or a platform admin to ` +
        `approve: ${target.namespace.name} is a ${target.namespace.environment} namespace.`
      : busy
        ? `Queued behind revision ${busy.revision}; it starts when that rollout ends.`
        : "Waiting for a worker to apply it";
    const created = await tx.deployment.create({
      data: {
        serviceId: target.service.id,
        namespaceId: target.namespace.id,
        teamId: target.namespace.teamId,
        requestedById: actor.kind === "user" ? actor.userId : null,
        requestedByName: actor.name,
        revision,
        kind: "deploy",
        imageTag: image.tag ?? null,
        imageDigest: "digest" in image ? image.digest : null,
        tagCheck,
        image: imageReference(deploySpec.imageRepository, image),
        replicas: rendered.deployment.spec.replicas,
        manifest: rendered as object,
        manifestYaml: manifestYaml(rendered),
        status,
        message,
        desiredReplicas: rendered.deployment.spec.replicas,
        needsApproval,
        queuedAt: status === "queued" ? new Date() : null,
      },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "deployment.create",
      resourceType: "deployment",
      resourceId: created.id,
      outcome: "success",
      after: {
        service: target.service.slug,
        namespace: target.namespace.name,
        cluster: target.namespace.cluster.name,
        revision,
        image: created.image,
        ...(tagCheck && { tag: image.tag, tagChecked: tagCheck === "checked", tagCheck }),
        replicas: created.replicas,
        status,
      },
    });
    if (needsApproval) await approvalsChanged(tx);
    if (needsApproval)
      await notifyApprovers(
        tx,
        target,
        actor,
        created.id,
        `${actor.name} asks you to approve ${target.service.slug} ${describeVersion(image)} to ${target.namespace.name}.`,
      );
    const view = toDeploymentView(withTargetRelations(created, target));
    if (claim) await rememberIdempotentResponse(tx, claim, created.id, { status: 201, body: JSON.stringify(view) });
    return { replay: null, refused: null, row: created, view, start: status === "applying" } as const;
  });
  if (outcome.replay) return { replayed: true, ...outcome.replay };
  if (outcome.refused) {
    await recordAuditEvent(prisma, {
      actor,
      action: "deployment.create",
      resourceType: "service",
      resourceId: target.service.slug,
      outcome: "denied",
      detail: outcome.refused.map((v) => v.code).join(", "),
    });
    throw refusal(outcome.refused);
  }
  const { row, view, start } = outcome;
  if (start) await enqueueRollout(row.id);
  // No change notice: live views watch one deployment by id, and nobody can be watching one that did not exist.
  return { replayed: false, deployment: view };
}

type Tx = Prisma.TransactionClient;

/** The new row with the relations the view shows, from the target already loaded (no queries inside the transaction for them). */
function withTargetRelations(row: Omit<DeploymentRow, keyof typeof deploymentInclude>, target: DeploymentTarget): DeploymentRow {
  const { service, namespace } = target;
  return {
    ...row,
    service: { id: service.id, slug: service.slug, displayName: service.displayName },
    namespace: {
      id: namespace.id,
      name: namespace.name,
      environment: namespace.environment,
      cluster: { id: namespace.cluster.id, name: namespace.cluster.name },
    },
    team: { id: namespace.team.id, slug: namespace.team.slug, name: namespace.team.name },
  };
}

/** The team's other members and every platform admin (as of their last sign-in): anyone of them may approve. */
async function notifyApprovers(tx: Tx, target: DeploymentTarget, actor: Actor, deploymentId: string, message: string): Promise<void> {
  await notifyTeamAndAdmins(
    tx,
    { teamGroupIds: target.namespace.team.entraGroupIds, exceptUserId: actor.kind === "user" ? actor.userId : null },
    { message, link: `/deployments/${deploymentId}` },
  );
}

/** createDeployment, taking its turn among the web process's deployment requests (./deployment-requests.ts). */
export async function createDeployment({ actor, input }: { actor: Actor; input: unknown }): Promise<DeploymentView> {
  const result = await deploymentRequests.run(() => createDeploymentNow({ actor, input, claim: null }));
  if (result.replayed) throw new Error("a deployment without an Idempotency-Key was answered from one");
  return result.deployment;
}

/**
 * POST /api/v1/deployments: as createDeployment, and with an Idempotency-Key
 * header (its raw value, null when absent) the same caller's retry with the
 * same body gets the first answer; another body with the key is a 422.
 */
export function createDeploymentOnce({
  actor,
  input,
  idempotencyKey,
}: {
  actor: Actor;
  input: unknown;
  idempotencyKey: string | null;
}): Promise<CreateDeploymentResult> {
  const key = parseIdempotencyKey(idempotencyKey);
  const claim = key === null ? null : idempotencyClaim(actor, key, input);
  return deploymentRequests.run(() => createDeploymentNow({ actor, input, claim }));
}

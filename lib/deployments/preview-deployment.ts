// The confirm screen: what a deployment would apply, the diff against the
// manifest Wharf applied last, what was changed on the cluster outside Wharf
// since (and will be put back), and what the policy says now. Writes nothing.
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { Actor } from "@/lib/auth/permissions";
import { parseInput } from "@/lib/validation";
import { deployInput, imageVersionOf, namespaceRefOf, previewCompareInput } from "./deploy-input";
import { approvalRequired } from "./deployment-settings";
import { assertNamespaceReady, lastAppliedManifest, loadTarget, readNamespaceState } from "./deployment-target";
import { manifestDiff, manifestYaml, type ManifestDiff } from "./manifest";
import { liveChanges, type LiveChange } from "./live-changes";
import type { PolicyViolation } from "./policy";
import { checkVersion, policyFor, renderFor } from "./create-deployment";
import { busyDeployment, nextRevision } from "./rollout-slot";
import { deploymentRequests } from "./deployment-requests";
import { productionDifference, type FieldChange } from "./production-difference";
import { AppError } from "@/lib/errors";
import { tagCheckOf } from "./version-text";

export interface DeploymentPreview {
  service: { slug: string };
  namespace: { id: string; name: string; environment: string; cluster: string };
  /** The revision this deployment would get, if nothing else is deployed first. */
  revision: number;
  yaml: string;
  /** Against the last manifest Wharf applied here; everything is added for a first deployment. */
  diff: ManifestDiff;
  current: { revision: number; image: string } | null;
  /** Fields of the live Deployment that differ from what Wharf applied last (`kubectl` by hand); deploying puts Wharf's values back. */
  liveChanges: LiveChange[];
  violations: PolicyViolation[];
  needsApproval: boolean;
  /** A rollout that holds or waits for the slot: deploying now is refused, or queued behind it. */
  busy: { revision: number; status: string } | null;
  /**
   * With `compareWith` (a promotion): field by field, how this manifest differs from the one
   * Wharf applied last in that namespace of the same team; null without it.
   */
  comparedWith: { namespace: { id: string; name: string; environment: string }; revision: number | null; changes: FieldChange[] } | null;
  /**
   * A digest with the tag it was picked as: "checked" when the registry still maps the tag to it,
   * "unchecked" when the registry could not be asked (the digest is deployed, the tag recorded as picked); null otherwise.
   */
  tagCheck: "checked" | "unchecked" | null;
  /** The same as the deployment will say it: "tag 1.4.2 not checked against the registry: it did not answer"; null without a check (decision 0068). */
  tagCheckText: string | null;
}

async function comparison(serviceId: string, teamId: string, namespaceId: string, next: Parameters<typeof productionDifference>[1]) {
  const prisma = getPrisma();
  const namespace = await prisma.namespace.findUnique({ where: { id: namespaceId }, select: { id: true, name: true, environment: true, teamId: true } });
  if (!namespace || namespace.teamId !== teamId) {
    throw new AppError("not_found", "There is no such namespace of this service's team to compare with; pick one where the service runs.", {
      path: ["compareWith"],
    });
  }
  const last = await lastAppliedManifest(prisma, serviceId, namespace.id);
  return {
    namespace: { id: namespace.id, name: namespace.name, environment: namespace.environment },
    revision: last?.revision ?? null,
    changes: productionDifference(last?.deployment ?? null, next),
  };
}

async function previewDeploymentNow({ actor, input }: { actor: Actor; input: unknown }): Promise<DeploymentPreview> {
  const prisma = getPrisma();
  const request = parseInput(deployInput, input);
  const { compareWith } = parseInput(previewCompareInput, input);
  const ref = namespaceRefOf(request);
  const target = await loadTarget({ actor, serviceSlug: request.service, namespace: ref, action: "deployment:create", auditAction: "deployment.preview" });
  assertNamespaceReady(target.namespace, ref);
  const image = imageVersionOf(request);
  const [state, tagOutcome] = await Promise.all([readNamespaceState(target.namespace, target.service.slug), checkVersion(target, image)]);
  const [busy, revision, last, needsApproval] = await Promise.all([
    busyDeployment(prisma, target.service.id, target.namespace.id),
    nextRevision(prisma, target.service.id, target.namespace.id),
    lastAppliedManifest(prisma, target.service.id, target.namespace.id),
    approvalRequired(prisma, target.namespace.environment),
  ]);
  const rendered = renderFor(target, image, request.replicas, revision, actor);
  const yaml = manifestYaml(rendered);
  // The busy rule is shown as `busy`, so the page can offer to queue instead.
  const violations = policyFor(target, state, rendered, actor, getConfig().azure.allowedRegistries, null);
  const tagCheck = tagCheckOf(image.tag ?? null, tagOutcome);
  const comparedWith = compareWith ? await comparison(target.service.id, target.service.ownerTeamId, compareWith, rendered.deployment) : null;
  return {
    service: { slug: target.service.slug },
    namespace: { id: target.namespace.id, name: target.namespace.name, environment: target.namespace.environment, cluster: target.namespace.cluster.name },
    revision,
    yaml,
    diff: manifestDiff(last?.yaml ?? null, yaml),
    current: last ? { revision: last.revision, image: last.image } : null,
    liveChanges: liveChanges(last?.deployment ?? null, state.current, last?.revision),
    violations,
    needsApproval,
    busy,
    comparedWith,
    tagCheck: tagCheck?.state ?? null,
    tagCheckText: tagCheck?.text ?? null,
  };
}

/** previewDeployment, taking its turn among the web process's deployment requests (./deployment-requests.ts). */
export function previewDeployment(args: { actor: Actor; input: unknown }): Promise<DeploymentPreview> {
  return deploymentRequests.run(() => previewDeploymentNow(args));
}

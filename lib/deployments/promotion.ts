// Promotion: deploy the exact image that runs in one environment to a later
// one (dev → test → prod). What runs is read from the source namespace's pods
// (the digest the kubelet resolved), not from Wharf's record of the tag, so a
// tag moved in the registry since cannot change what is promoted. The deploy
// itself is an ordinary deployment by digest, through the same preview,
// policy and approval gate; the preview compares the manifest it would apply
// with the one Wharf applied last in the source namespace.
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/permissions";
import { environments, laterEnvironments } from "@/lib/clusters/cluster-view";
import { clusterKubeConfig } from "@/lib/kubernetes/cluster-access";
import { listObjects } from "@/lib/kubernetes/apply";
import { KubernetesApiError } from "@/lib/kubernetes/api-error";
import { getPrisma } from "@/lib/db/client";
import { selectorLabels } from "./render";
import { loadTarget } from "./deployment-target";
import { runningImage } from "./running-image";
import type { PodJson } from "./rollout-state";

export interface PromotionSource {
  namespace: { id: string; name: string; environment: string; cluster: string };
  /** The image reference the pods run (as the manifest names it) and the digest it resolved to. */
  image: string;
  /** The tag in the image reference the pods run; the promotion deploys the digest labelled with it. */
  tag: string | null;
  digest: string;
  /** The replicas Wharf's last applied deployment there asked for; the promotion proposes the same. */
  replicas: number | null;
  /** Wharf's revision there, if Wharf deployed what runs. */
  revision: number | null;
  /** The environments after this one, nearest first: where it can be promoted to. */
  laterEnvironments: string[];
}

function tagOf(image: string): string | null {
  const reference = image.split("@")[0] ?? "";
  const lastSegment = reference.slice(reference.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  return colon >= 0 ? lastSegment.slice(colon + 1) : null;
}

/**
 * What runs of a service in one of its team's namespaces, to promote. Refused
 * (409) when nothing ready runs there or the cluster did not say which digest,
 * (400) when the namespace is in the last environment, and as loadTarget
 * refuses a namespace the actor may not deploy from.
 */
export async function getPromotionSource({ actor, slug, namespaceId }: { actor: Actor; slug: string; namespaceId: string }): Promise<PromotionSource> {
  const target = await loadTarget({ actor, serviceSlug: slug, namespace: { namespaceId }, action: "deployment:create", auditAction: "deployment.promote" });
  const { namespace, service } = target;
  if (namespace.teamId !== service.ownerTeamId) {
    throw new AppError("invalid_input", `${namespace.name} is not one of ${service.slug}'s team's namespaces; promote from where the service runs.`, {
      path: ["from"],
    });
  }
  const later = laterEnvironments(namespace.environment);
  if (later.length === 0) {
    throw new AppError(
      "invalid_input",
      `${namespace.name} is a ${namespace.environment} namespace: nothing comes after ${namespace.environment}, so there is nowhere to promote to. ` +
        `Promote from a ${environments.filter((environment) => environment !== namespace.environment).join(" or ")} namespace.`,
      { path: ["from"] },
    );
  }
  let pods: PodJson[];
  try {
    const config = await clusterKubeConfig(namespace.cluster);
    const selector = Object.entries(selectorLabels(service.slug))
      .map(([key, value]) => `${key}=${value}`)
      .join(",");
    pods = await listObjects<PodJson>(config, "v1", "Pod", { namespace: namespace.name, labelSelector: selector });
  } catch (error) {
    if (!(error instanceof KubernetesApiError)) throw error;
    throw new AppError(
      "dependency_unavailable",
      `Wharf could not read what runs in ${namespace.name} on ${namespace.cluster.name}: ${error.message}. Try again in a minute.`,
      { cause: error, retryAfterSeconds: 60 },
    );
  }
  const running = runningImage(pods);
  if (!running) {
    throw new AppError(
      "conflict",
      `No ready pod of ${service.slug} runs in ${namespace.name}, so there is no version to promote from it. ` +
        "Wait until its rollout has succeeded, or deploy a tag or digest by hand.",
      { path: ["from"] },
    );
  }
  if (!running.digest) {
    throw new AppError(
      "conflict",
      `${namespace.cluster.name} does not say which digest ${running.image} resolved to in ${namespace.name}, ` +
        "so Wharf cannot pin the exact image; deploy by digest from the registry instead.",
      { path: ["from"] },
    );
  }
  const last = await getPrisma().deployment.findFirst({
    where: { serviceId: service.id, namespaceId: namespace.id, status: "succeeded" },
    orderBy: { revision: "desc" },
    select: { revision: true, replicas: true, image: true },
  });
  const wharfRuns = last?.image === running.image;
  // The tag goes along with the digest (decision 0064), from the image the pods run: repository:tag, or
  // repository:tag@sha256:… for a digest deployed with the tag it was picked as.
  const tag = tagOf(running.image);
  return {
    namespace: { id: namespace.id, name: namespace.name, environment: namespace.environment, cluster: namespace.cluster.name },
    image: running.image,
    tag,
    digest: running.digest,
    replicas: wharfRuns ? last.replicas : null,
    revision: wharfRuns ? last.revision : null,
    laterEnvironments: later,
  };
}

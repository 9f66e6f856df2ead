// The last lines of a pod's log, for the deployment page's failed rollout
// (decision 0051): only a pod of this deployment's service in its namespace
// (the pod is read first and its labels checked, so no other pod's log can be
// asked for by name), only for the owning team and admins, bounded by lines
// and bytes, shared for a few seconds between everyone looking at that pod.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { clusterKubeConfig, forgetClusterCredentials } from "@/lib/kubernetes/cluster-access";
import { KubernetesApiError } from "@/lib/kubernetes/api-error";
import { readObject } from "@/lib/kubernetes/apply";
import { readPodLog, type PodLogText } from "@/lib/kubernetes/pod-log";
import { parseInput } from "@/lib/validation";
import { findDeploymentOr404 } from "./approve-deployment";
import { labelKeys } from "./render";

export const maxLogLines = 1000;
/** Whatever the lines, no more than this is read from the cluster and sent on. */
export const maxLogBytes = 256 * 1024;
/** How long one read of a pod's log is shared: a page's refresh and its neighbours' within this window cost one cluster call. */
export const logCacheMs = 5_000;
const retryAfterSeconds = 10;

export const deploymentLogQuery = z.object({
  pod: z
    .string()
    .trim()
    .min(1, "pod is the name of one of the deployment's pods, as the page lists them.")
    .max(253, "pod is a pod name, at most 253 characters.")
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "pod is a pod name: lowercase letters, digits, '-' and '.'."),
  previous: z.enum(["true", "false"], { error: "previous is true (the container instance before the current one) or false." }).optional(),
  tailLines: z.coerce
    .number({ error: "tailLines is a number of lines." })
    .int("tailLines is a whole number of lines.")
    .min(1, "tailLines must be at least 1.")
    .max(maxLogLines, `tailLines can be at most ${maxLogLines}.`)
    .default(100),
});

export const deploymentLogView = z.object({
  pod: z.string(),
  container: z.string(),
  previous: z.boolean().describe("The instance before the current one: read for a crash loop, whose current instance has not (yet) said why it dies."),
  restarts: z.number().int(),
  lines: z.array(z.string()).describe("Oldest first; at most tailLines."),
  tailLines: z.number().int(),
  more: z.boolean().describe("More lines may be there: as many as asked came back, or the byte limit cut the text."),
  unavailable: z
    .string()
    .nullable()
    .describe('Why there is no log, in the cluster\'s words ("… is waiting to start: trying and failing to pull image"); null when there is one.'),
  readAt: z.iso.datetime(),
});

export type DeploymentLog = z.infer<typeof deploymentLogView>;

interface PodJson {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: { name?: string }[] };
  status?: { containerStatuses?: { name?: string; restartCount?: number; ready?: boolean }[] };
}

type Shared = { at: number; answer: Promise<{ text: PodLogText; at: Date }> };
const state = globalThis as typeof globalThis & { wharfPodLogs?: Map<string, Shared> };
const shared = (state.wharfPodLogs ??= new Map());

/** One read per pod, instance and length per window, whoever asks; expired entries are dropped as new ones come. */
function sharedRead(key: string, read: () => Promise<PodLogText>): Promise<{ text: PodLogText; at: Date }> {
  const now = Date.now();
  for (const [entry, value] of shared) if (now - value.at > logCacheMs) shared.delete(entry);
  const hit = shared.get(key);
  if (hit) return hit.answer;
  const answer = read().then((text) => ({ text, at: new Date() }));
  shared.set(key, { at: now, answer });
  answer.catch(() => shared.delete(key));
  return answer;
}

function unavailable(cluster: string, error: KubernetesApiError): AppError {
  const what =
    error.status === 403
      ? "refused Wharf's identity (it needs get on pods/log: deploy/kubernetes/wharf-cluster-role.yaml)"
      : `did not answer: ${error.message}`;
  return new AppError("dependency_unavailable", `The cluster ${cluster} ${what}. The log could not be read; try again in ${retryAfterSeconds} s.`, {
    cause: error,
    retryAfterSeconds,
  });
}

export async function readDeploymentLog({ actor, deploymentId, query }: { actor: Actor; deploymentId: string; query: unknown }): Promise<DeploymentLog> {
  const deployment = await findDeploymentOr404(deploymentId);
  if (!can(actor, "deployment:logs", { teamId: deployment.teamId })) {
    await recordAuditEvent(getPrisma(), { actor, action: "deployment.logs", resourceType: "deployment", resourceId: deployment.id, outcome: "denied" });
    throw forbidden("deployment:logs");
  }
  const input = parseInput(deploymentLogQuery, query);
  const namespace = await getPrisma().namespace.findUniqueOrThrow({ where: { id: deployment.namespaceId }, include: { cluster: true } });
  const notHere = new AppError(
    "not_found",
    `${deployment.service.slug} has no pod named ${input.pod} in ${namespace.name} on ${namespace.cluster.name}; pick one the deployment page lists.`,
  );
  try {
    const config = await clusterKubeConfig(namespace.cluster);
    const pod = await readObject<PodJson>(config, { apiVersion: "v1", kind: "Pod", metadata: { namespace: namespace.name, name: input.pod } });
    const labels = pod?.metadata?.labels ?? {};
    if (!pod || labels[labelKeys.service] !== deployment.service.slug || labels[labelKeys.managedBy] !== "wharf") throw notHere;
    const container = pod.spec?.containers?.[0]?.name ?? deployment.service.slug;
    const status = pod.status?.containerStatuses?.find((item) => item.name === container);
    const restarts = status?.restartCount ?? 0;
    const previous = input.previous ? input.previous === "true" : restarts > 0 && status?.ready !== true;
    const key = `${namespace.cluster.id}/${namespace.name}/${input.pod}/${container}/${previous}/${input.tailLines}`;
    const { text, at } = await sharedRead(key, () =>
      readPodLog(config, { namespace: namespace.name, pod: input.pod, container, previous, tailLines: input.tailLines, limitBytes: maxLogBytes }),
    );
    const body = text.kind === "log" ? text.text : "";
    const lines = body === "" ? [] : body.replace(/\n$/, "").split("\n");
    return {
      pod: input.pod,
      container,
      previous,
      restarts,
      lines,
      tailLines: input.tailLines,
      more: lines.length >= input.tailLines || Buffer.byteLength(body) >= maxLogBytes,
      unavailable: text.kind === "none" ? text.why : null,
      readAt: at.toISOString(),
    };
  } catch (error) {
    if (!(error instanceof KubernetesApiError)) throw error;
    if (error.status === 404) throw notHere;
    if (error.status === 401) forgetClusterCredentials(namespace.cluster);
    throw unavailable(namespace.cluster.name, error);
  }
}

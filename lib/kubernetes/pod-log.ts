// A container's log through client-node's CoreV1Api.readNamespacedPodLog
// (the log is text, so the typed serializer that renames object fields does
// not apply), bounded by lines and bytes, with a timeout, in Wharf's own
// types: the text, or the API server's reason there is none (a container
// that never started, no previous instance), or a KubernetesApiError.
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { toKubernetesApiError } from "@/lib/kubernetes/api-error";
import { observedRequest } from "@/lib/kubernetes/request";

export interface PodLogRequest {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  tailLines: number;
  limitBytes: number;
  timeoutMs?: number;
}

export type PodLogText = { kind: "log"; text: string } | { kind: "none"; why: string };

export async function readPodLog(config: KubeConfig, request: PodLogRequest): Promise<PodLogText> {
  const { namespace, pod, container, previous, tailLines, limitBytes, timeoutMs = 10_000 } = request;
  const path =
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log` +
    `?container=${encodeURIComponent(container)}&previous=${previous}&tailLines=${tailLines}&limitBytes=${limitBytes}`;
  try {
    const text = await observedRequest(config, "GET", path, () =>
      Promise.race([
        config.makeApiClient(CoreV1Api).readNamespacedPodLog({ namespace, name: pod, container, previous, tailLines, limitBytes }),
        new Promise<never>((_, reject) => setTimeout(() => reject(Object.assign(new Error("no answer in time"), { code: "ETIMEDOUT" })), timeoutMs).unref()),
      ]),
    );
    return { kind: "log", text };
  } catch (error) {
    const failure = toKubernetesApiError(error, `reading the log of ${namespace}/${pod}`);
    // The kubelet's 400s say why there is no log (waiting to start, no previous instance): an answer, not a failure.
    if (failure.status === 400) return { kind: "none", why: statusMessage(error) ?? failure.message };
    throw failure;
  }
}

function statusMessage(error: unknown): string | undefined {
  const body = (error as { body?: unknown }).body;
  try {
    const parsed = (typeof body === "string" ? JSON.parse(body) : body) as { message?: unknown } | undefined;
    return typeof parsed?.message === "string" ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}

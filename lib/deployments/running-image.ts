// Which image a service's pods run, with the digest the kubelet resolved it
// to: what health shows as "version running" and what promotion deploys. Pure.
import type { PodJson } from "./rollout-state";

/** The image most of the ready pods run (first container), with the digest the kubelet resolved. */
export function runningImage(pods: readonly PodJson[]): { image: string; digest: string | null } | null {
  const counts = new Map<string, { pods: number; digest: string | null }>();
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const ready = pod.status?.conditions?.find((condition) => condition.type === "Ready")?.status === "True";
    const image = pod.spec?.containers?.[0]?.image;
    const status = pod.status?.containerStatuses?.find((candidate) => candidate.name === pod.spec?.containers?.[0]?.name) ?? pod.status?.containerStatuses?.[0];
    if (!image || !(ready || status?.ready)) continue;
    const resolved = status?.imageID?.includes("@") ? status.imageID.slice(status.imageID.indexOf("@") + 1) : null;
    const entry = counts.get(image) ?? { pods: 0, digest: null };
    entry.pods += 1;
    entry.digest ??= resolved;
    counts.set(image, entry);
  }
  let best: { image: string; digest: string | null; pods: number } | null = null;
  for (const [image, entry] of counts) if (!best || entry.pods > best.pods) best = { image, ...entry };
  return best && { image: best.image, digest: best.digest };
}

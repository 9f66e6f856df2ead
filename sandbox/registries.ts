// What the sandbox's Azure Container Registry holds, decided from names alone
// as the kubelet decides pulls (kubernetes/controller/images.ts, both on image-names.ts): every
// repository on the registry exists except one whose last path segment starts
// with `missing` (to show "repository unknown"), and each holds the same tags,
// versions and the special ones the sandbox acts on (`bad`, `crash`, `errors`,
// `slow`). A tag's digest is the kubelet's (`digestOf`), so the registry and the
// clusters name the same digest for the same image.
import { createHash } from "node:crypto";
import { sandboxResourceGroup, sandboxSubscriptionId } from "./clusters";
import { digestOf, parseImage } from "./image-names";

export interface SandboxRegistry {
  /** The ARM resource name. */
  name: string;
  loginServer: string;
  location: string;
}

export const sandboxRegistries: readonly SandboxRegistry[] = [{ name: "contoso", loginServer: "contoso.azurecr.io", location: "westeurope" }];

export function registryResourceId(registry: Pick<SandboxRegistry, "name">): string {
  return `/subscriptions/${sandboxSubscriptionId}/resourceGroups/${sandboxResourceGroup}/providers/Microsoft.ContainerRegistry/registries/${registry.name}`;
}

export interface SandboxTag {
  name: string;
  digest: string;
  createdTime: string;
  lastUpdateTime: string;
  imageSize: number;
}

/** Each tag and how many hours before the registry's day it was pushed; oldest first. */
const tagAges: readonly (readonly [string, number])[] = [
  ["1.0.0", 24 * 120],
  ["1.1.0", 24 * 95],
  ["1.2.0", 24 * 70],
  ["1.3.0", 24 * 52],
  ["1.4.0", 24 * 40],
  ["1.4.1", 24 * 33],
  ["1.4.2", 24 * 26],
  ["bad", 24 * 21],
  ["1.4.3", 24 * 19],
  ["crash", 24 * 14],
  ["2.0.0", 24 * 12],
  ["errors", 24 * 9],
  ["slow", 24 * 6],
  ["2.3.0", 24 * 3],
  ["latest", 24 * 3 - 1],
];

export function repositoryKnown(repository: string): boolean {
  return repository !== "" && !/(^|\/)missing[^/]*$/.test(repository);
}

function hashOf(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

/** The repository's tags, newest first; `now` fixes the day the ages count back from (stable within a UTC day). */
export function repositoryTags(loginServer: string, repository: string, now = new Date()): SandboxTag[] {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  // A different minute of the day per repository, so two services' tags do not all share one time.
  const offsetMs = (hashOf(`${loginServer}/${repository}`) % 600) * 60_000;
  return tagAges
    .map(([name, hoursAgo]) => {
      const normalized = parseImage(`${loginServer}/${repository}:${name}`).normalized;
      const time = new Date(day - hoursAgo * 3_600_000 + offsetMs).toISOString();
      return { name, digest: digestOf(normalized), createdTime: time, lastUpdateTime: time, imageSize: 20_000_000 + (hashOf(normalized) % 180_000_000) };
    })
    .reverse();
}

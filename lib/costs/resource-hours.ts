// Requested CPU and memory as resource-hours, for one sample. Pure. A
// namespace's requests are its ResourceQuota's `status.used` (what the
// namespace reconcile stores every two minutes: the sum of its pods'
// requests, counted by the API server); a service's are its deployment's
// replicas × container requests, from the manifest Wharf applied. Quantities
// are read exactly (`quantityMilli`) and become floats only as hours.
import { quantityMilli } from "@/lib/kubernetes/quantity";
import type { ResourceHours } from "./allocate";

const bytesPerGiB = 2 ** 30;

function hours(cpuMilli: bigint, memoryMilli: bigint, seconds: number): ResourceHours {
  const share = seconds / 3600;
  return { cpuCoreHours: (Number(cpuMilli) / 1000) * share, memoryGiBHours: (Number(memoryMilli) / 1000 / bytesPerGiB) * share };
}

/** Millicores and bytes held for `seconds`, as core-hours and GiB-hours. */
export function requestHours(cpuMillicores: number, memoryBytes: number, seconds: number): ResourceHours {
  const share = seconds / 3600;
  return { cpuCoreHours: (cpuMillicores / 1000) * share, memoryGiBHours: (memoryBytes / bytesPerGiB) * share };
}

/** From a quota's `used`: `requests.cpu` (or `cpu`) and `requests.memory` (or `memory`); null when it has neither. */
export function namespaceRequestHours(used: Readonly<Record<string, unknown>> | null | undefined, seconds: number): ResourceHours | null {
  if (!used) return null;
  const read = (...keys: string[]) => {
    for (const key of keys) {
      const value = used[key];
      if (typeof value === "string" || typeof value === "number") return quantityMilli(value);
    }
    return null;
  };
  const cpu = read("requests.cpu", "cpu");
  const memory = read("requests.memory", "memory");
  if (cpu === null && memory === null) return null;
  return hours(cpu ?? 0n, memory ?? 0n, seconds);
}

interface ManifestShape {
  deployment?: {
    spec?: {
      replicas?: number;
      template?: { spec?: { containers?: { resources?: { requests?: { cpu?: string; memory?: string } } }[] } };
    };
  };
}

/** Replicas × the containers' requests of a rendered manifest (lib/deployments/render.ts), over `seconds`. */
export function deploymentRequestHours(manifest: unknown, replicas: number, seconds: number): ResourceHours {
  const containers = (manifest as ManifestShape | null)?.deployment?.spec?.template?.spec?.containers ?? [];
  let cpu = 0n;
  let memory = 0n;
  for (const container of containers) {
    cpu += quantityMilli(container.resources?.requests?.cpu ?? "0") ?? 0n;
    memory += quantityMilli(container.resources?.requests?.memory ?? "0") ?? 0n;
  }
  const count = BigInt(Math.max(0, Math.trunc(replicas)));
  return hours(cpu * count, memory * count, seconds);
}

/** The UTC day of an instant, as YYYY-MM-DD. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

// What approving a deployment changes against what runs in its namespace now,
// field by field as an approver reads it (image tag and digest, replicas,
// requests and limits, ports, probes, environment), beside the manifest's
// line diff (manifest.ts). "Now" is the manifest Wharf applied last there,
// as the confirm screen compares (preview-deployment.ts). Pure.
import type { RenderedContainer, RenderedDeployment } from "./render";

export interface FieldChange {
  /** A stable key: image, replicas, requests.cpu, limits.memory, env.NAME, probe.readiness, ports. */
  field: string;
  label: string;
  /** null: not set in what runs now (or nothing runs yet). */
  now: string | null;
  /** null: removed by this deployment. */
  next: string | null;
}

function container(deployment: RenderedDeployment | null): RenderedContainer | null {
  return deployment?.spec.template.spec.containers[0] ?? null;
}

function probe(value: RenderedContainer["readinessProbe"]): string | null {
  return value ? `GET ${value.httpGet.path} every ${value.periodSeconds} s, ${value.failureThreshold} failures` : null;
}

function fields(deployment: RenderedDeployment | null): Map<string, { label: string; value: string }> {
  const out = new Map<string, { label: string; value: string }>();
  const main = container(deployment);
  if (!deployment || !main) return out;
  out.set("image", { label: "Image", value: main.image });
  out.set("replicas", { label: "Replicas", value: String(deployment.spec.replicas) });
  out.set("requests.cpu", { label: "CPU request", value: main.resources.requests.cpu });
  out.set("requests.memory", { label: "Memory request", value: main.resources.requests.memory });
  out.set("limits.cpu", { label: "CPU limit", value: main.resources.limits.cpu });
  out.set("limits.memory", { label: "Memory limit", value: main.resources.limits.memory });
  out.set("ports", { label: "Ports", value: main.ports.map((port) => `${port.name} ${port.containerPort}/${port.protocol}`).join(", ") });
  for (const [key, label] of [
    ["startupProbe", "Startup probe"],
    ["readinessProbe", "Readiness probe"],
    ["livenessProbe", "Liveness probe"],
  ] as const) {
    const text = probe(main[key]);
    if (text) out.set(`probe.${key.replace("Probe", "")}`, { label, value: text });
  }
  for (const variable of main.env ?? []) out.set(`env.${variable.name}`, { label: `Environment ${variable.name}`, value: variable.value });
  return out;
}

/** Every field that differs, in the order an approver reads them; all of them for a first deployment (`now` null). */
export function productionDifference(now: RenderedDeployment | null, next: RenderedDeployment): FieldChange[] {
  const before = fields(now);
  const after = fields(next);
  const keys = [...after.keys(), ...[...before.keys()].filter((key) => !after.has(key))];
  return keys
    .filter((key) => before.get(key)?.value !== after.get(key)?.value)
    .map((key) => ({
      field: key,
      label: (after.get(key) ?? before.get(key))!.label,
      now: before.get(key)?.value ?? null,
      next: after.get(key)?.value ?? null,
    }));
}

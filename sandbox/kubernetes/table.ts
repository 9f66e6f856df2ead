// Server-side printing: kubectl asks for `as=Table` and prints the columns
// the server sends, so these columns are what a user sees in `kubectl get`.
// They follow the real printers (pkg/printers/internalversion) for the
// served kinds.
import { isPlainObject, type KubeObject } from "./objects";
import type { ResourceType } from "./resources";

interface Column {
  name: string;
  type: "string" | "integer" | "date";
  format?: string;
  description: string;
  priority: number;
  cell: (object: KubeObject, now: number) => string | number;
}

/** kubectl's duration.HumanDuration: "45s", "5m10s", "3h", "2d5h", "90d". */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

function field(object: KubeObject, path: string): unknown {
  let current: unknown = object;
  for (const part of path.split(".")) current = isPlainObject(current) ? current[part] : undefined;
  return current;
}

const number = (object: KubeObject, path: string): number => Number(field(object, path) ?? 0);
const text = (object: KubeObject, path: string, fallback = "<none>"): string => {
  const value = field(object, path);
  return value === undefined || value === "" ? fallback : String(value);
};

const nameColumn: Column = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace.",
  priority: 0,
  cell: (object) => object.metadata.name ?? "",
};
const ageColumn: Column = {
  name: "Age",
  type: "string",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
  priority: 0,
  cell: (object, now) => (object.metadata.creationTimestamp ? humanDuration(now - Date.parse(object.metadata.creationTimestamp)) : "<unknown>"),
};

function column(name: string, cell: Column["cell"], priority = 0, type: Column["type"] = "string"): Column {
  return { name, type, description: name, priority, cell };
}

function containers(object: KubeObject): KubeObject[] {
  const list = field(object, "spec.template.spec.containers");
  return Array.isArray(list) ? (list as KubeObject[]) : [];
}

function servicePorts(object: KubeObject): string {
  const ports = field(object, "spec.ports");
  if (!Array.isArray(ports) || ports.length === 0) return "<none>";
  return ports
    .map((port: Record<string, unknown>) => `${String(port.port)}${port.nodePort ? `:${String(port.nodePort)}` : ""}/${String(port.protocol ?? "TCP")}`)
    .join(",");
}

function selectorText(selector: unknown): string {
  if (!isPlainObject(selector)) return "<none>";
  const labels = isPlainObject(selector.matchLabels) ? selector.matchLabels : selector;
  const parts = Object.entries(labels)
    .filter(([, value]) => typeof value === "string")
    .map(([key, value]) => `${key}=${String(value)}`);
  return parts.length > 0 ? parts.join(",") : "<none>";
}

function podReady(object: KubeObject): string {
  const statuses = field(object, "status.containerStatuses");
  const total = Array.isArray(field(object, "spec.containers")) ? (field(object, "spec.containers") as unknown[]).length : 0;
  const ready = Array.isArray(statuses) ? statuses.filter((status: Record<string, unknown>) => status.ready === true).length : 0;
  return `${ready}/${total}`;
}

/** What kubectl's STATUS column shows: a container's waiting or terminated reason wins over the phase. */
function podStatus(object: KubeObject): string {
  if (field(object, "metadata.deletionTimestamp")) return "Terminating";
  let status = text(object, "status.reason", text(object, "status.phase", "Unknown"));
  const statuses = field(object, "status.containerStatuses");
  for (const container of Array.isArray(statuses) ? (statuses as Record<string, unknown>[]) : []) {
    const state = isPlainObject(container.state) ? container.state : {};
    const waiting = isPlainObject(state.waiting) && typeof state.waiting.reason === "string" ? state.waiting.reason : undefined;
    const terminated = isPlainObject(state.terminated) && typeof state.terminated.reason === "string" ? state.terminated.reason : undefined;
    if (waiting) status = waiting;
    else if (terminated) status = terminated;
  }
  return status;
}

function restarts(object: KubeObject): number {
  const statuses = field(object, "status.containerStatuses");
  return Array.isArray(statuses) ? statuses.reduce((sum: number, status: Record<string, unknown>) => sum + Number(status.restartCount ?? 0), 0) : 0;
}

const columnsByKind: Record<string, Column[]> = {
  Namespace: [nameColumn, column("Status", (object) => text(object, "status.phase", "")), ageColumn],
  Deployment: [
    nameColumn,
    column("Ready", (object) => `${number(object, "status.readyReplicas")}/${number(object, "spec.replicas")}`),
    column("Up-to-date", (object) => number(object, "status.updatedReplicas"), 0, "integer"),
    column("Available", (object) => number(object, "status.availableReplicas"), 0, "integer"),
    ageColumn,
    column(
      "Containers",
      (object) =>
        containers(object)
          .map((container) => String(container.name))
          .join(","),
      1,
    ),
    column(
      "Images",
      (object) =>
        containers(object)
          .map((container) => String(container.image))
          .join(","),
      1,
    ),
    column("Selector", (object) => selectorText(field(object, "spec.selector")), 1),
  ],
  ReplicaSet: [
    nameColumn,
    column("Desired", (object) => number(object, "spec.replicas"), 0, "integer"),
    column("Current", (object) => number(object, "status.replicas"), 0, "integer"),
    column("Ready", (object) => number(object, "status.readyReplicas"), 0, "integer"),
    ageColumn,
  ],
  Pod: [
    nameColumn,
    column("Ready", podReady),
    column("Status", podStatus),
    column("Restarts", restarts, 0, "integer"),
    ageColumn,
    column("IP", (object) => text(object, "status.podIP"), 1),
    column("Node", (object) => text(object, "spec.nodeName"), 1),
  ],
  Service: [
    nameColumn,
    column("Type", (object) => text(object, "spec.type")),
    column("Cluster-IP", (object) => text(object, "spec.clusterIP")),
    column("External-IP", (object) => {
      const ingress = field(object, "status.loadBalancer.ingress");
      return Array.isArray(ingress) && ingress.length > 0
        ? ingress.map((entry: Record<string, unknown>) => String(entry.ip ?? entry.hostname)).join(",")
        : "<none>";
    }),
    column("Port(s)", servicePorts),
    ageColumn,
    column("Selector", (object) => selectorText(field(object, "spec.selector")), 1),
  ],
  ServiceAccount: [nameColumn, column("Secrets", (object) => (Array.isArray(object.secrets) ? object.secrets.length : 0), 0, "integer"), ageColumn],
  ResourceQuota: [
    nameColumn,
    ageColumn,
    column("Request", (object) => {
      const hard = field(object, "spec.hard");
      const used = field(object, "status.used");
      if (!isPlainObject(hard)) return "";
      return Object.keys(hard)
        .filter((key) => !key.startsWith("limits."))
        .sort()
        .map((key) => `${key}: ${String((isPlainObject(used) ? used[key] : undefined) ?? 0)}/${String(hard[key])}`)
        .join(", ");
    }),
  ],
  RoleBinding: [nameColumn, column("Role", (object) => `${text(object, "roleRef.kind", "")}/${text(object, "roleRef.name", "")}`), ageColumn],
  NetworkPolicy: [nameColumn, column("Pod-Selector", (object) => selectorText(field(object, "spec.podSelector"))), ageColumn],
  Event: [
    column("Last Seen", (object, now) => {
      const last = text(object, "lastTimestamp", text(object, "eventTime", object.metadata.creationTimestamp ?? ""));
      return last && last !== "<none>" ? humanDuration(now - Date.parse(last)) : "<unknown>";
    }),
    column("Type", (object) => text(object, "type", "")),
    column("Reason", (object) => text(object, "reason", "")),
    column("Object", (object) => `${text(object, "involvedObject.kind", "").toLowerCase()}/${text(object, "involvedObject.name", "")}`),
    column("Message", (object) => text(object, "message", "")),
  ],
};

/** A meta.k8s.io/v1 Table of `objects`, rows carrying PartialObjectMetadata as kubectl expects. */
export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  listMetadata: Record<string, unknown>,
  includeObject: string | undefined,
): Record<string, unknown> {
  const columns = columnsByKind[type.kind] ?? [nameColumn, ageColumn];
  const now = Date.now();
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMetadata,
    columnDefinitions: columns.map(({ cell: _cell, ...definition }) => ({ format: "", ...definition })),
    rows: objects.map((object) => ({
      cells: columns.map((definition) => definition.cell(object, now)),
      object:
        includeObject === "None"
          ? undefined
          : includeObject === "Object"
            ? object
            : { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata },
    })),
  };
}

/** Whether an Accept header asks for server-side table output. */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? "").split(",").some((part) => /;\s*as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}

// GET /api/v1/namespaces/{ns}/pods/{name}/log as the API server and the
// kubelet answer it: the container chosen as registry/core/pod's
// LogLocation chooses it, the kubelet's refusals for a container that never
// started or has no previous instance (400, their exact words), then the
// lines filtered by sinceSeconds, tailLines and limitBytes, with timestamps
// when asked, as text/plain.
import type { ServerResponse } from "node:http";
import { isPlainObject, type KubeObject } from "./objects";
import { findResource, type ResourceType } from "./resources";
import { badRequest, invalid, notFound } from "./status";
import type { ClusterStore } from "./store";
import { containerLogSource } from "./controller";
import type { LogLine } from "./controller/container-logs";

const pods = findResource("", "v1", "pods") as ResourceType;
const podLogOptions = { group: "", plural: "podlogoptions", kind: "PodLogOptions" };

/** An integer query parameter, as the API server's conversion reads it; absent → undefined. */
function integer(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (!/^-?\d+$/.test(value)) throw badRequest(`${name}: invalid value "${value}": must be an integer`);
  return Number(value);
}

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === "" || value === "false" || value === "0") return false;
  if (value === "true" || value === "1") return true;
  throw badRequest(`${name}: invalid value "${value}": must be true or false`);
}

function options(query: URLSearchParams) {
  const tailLines = integer(query, "tailLines");
  const limitBytes = integer(query, "limitBytes");
  const sinceSeconds = integer(query, "sinceSeconds");
  const causes = [
    tailLines !== undefined && tailLines < 0 && { field: "tailLines", value: tailLines, must: "must be greater than or equal to 0" },
    limitBytes !== undefined && limitBytes < 1 && { field: "limitBytes", value: limitBytes, must: "must be greater than 0" },
    sinceSeconds !== undefined && sinceSeconds < 1 && { field: "sinceSeconds", value: sinceSeconds, must: "must be greater than 0" },
  ].filter((cause) => cause !== false);
  if (causes.length > 0)
    throw invalid(
      podLogOptions,
      "",
      causes.map((cause) => ({ reason: "FieldValueInvalid", field: cause.field, message: `Invalid value: ${cause.value}: ${cause.must}` })),
    );
  if (query.has("sinceTime") && sinceSeconds !== undefined) throw badRequest("at most one of sinceTime or sinceSeconds may be specified");
  if (flag(query, "follow")) throw badRequest("the sandbox does not stream logs (follow=true); read them without follow");
  return {
    container: query.get("container") ?? "",
    previous: flag(query, "previous"),
    timestamps: flag(query, "timestamps"),
    tailLines,
    limitBytes,
    sinceSeconds,
  };
}

function containerNames(pod: KubeObject): string[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  return (Array.isArray(spec.containers) ? spec.containers.filter(isPlainObject) : []).map((container) => String(container.name ?? ""));
}

/** Picks the lines as the kubelet does: since a time, then the last tailLines, then at most limitBytes of the text. */
function render(lines: readonly LogLine[], choice: ReturnType<typeof options>, now: number): Buffer {
  const since = choice.sinceSeconds !== undefined ? now - choice.sinceSeconds * 1000 : undefined;
  let picked = since === undefined ? lines : lines.filter((line) => Date.parse(line.time) >= since);
  if (choice.tailLines !== undefined) picked = choice.tailLines === 0 ? [] : picked.slice(-choice.tailLines);
  const text = picked.map((line) => `${choice.timestamps ? `${line.time} ` : ""}${line.text}\n`).join("");
  const bytes = Buffer.from(text, "utf8");
  return choice.limitBytes !== undefined && bytes.length > choice.limitBytes ? bytes.subarray(0, choice.limitBytes) : bytes;
}

export function servePodLog(res: ServerResponse, store: ClusterStore, namespace: string, name: string, query: URLSearchParams, now = Date.now()): void {
  const choice = options(query);
  const pod = store.get(pods, namespace, name);
  if (!pod) throw notFound(pods, name);
  const names = containerNames(pod);
  let container = choice.container;
  if (!container) {
    if (names.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    if (names.length > 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(" ")}]`);
    container = names[0]!;
  } else if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);

  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const kept = spec.nodeName ? containerLogSource(store)?.containerLogs(pod.metadata.uid ?? "", container) : undefined;
  const reply = (body: Buffer) => {
    res.writeHead(200, { "content-type": "text/plain", "content-length": String(body.length), "cache-control": "no-cache, private" });
    res.end(body);
  };
  // Not bound to a node yet: the API server has no kubelet to ask and answers with nothing.
  if (!spec.nodeName) return reply(Buffer.alloc(0));
  if (choice.previous) {
    if (!kept?.logs.previous) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    return reply(render(kept.logs.previous.all(), choice, now));
  }
  if (!kept?.logs.current) {
    const reason = kept?.waitingReason ?? "ContainerCreating";
    const why = { ErrImagePull: "image can't be pulled", ImagePullBackOff: "trying and failing to pull image" }[reason] ?? reason;
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${why}`);
  }
  return reply(render(kept.logs.current.all(), choice, now));
}

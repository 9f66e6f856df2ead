// Plain JSON requests to a Kubernetes API server with a kubeconfig's
// credentials. Wharf sends and reads objects exactly as the API server
// speaks them: client-node's typed serializer renames fields such as
// NetworkPolicy's `from` and turns timestamps into Dates, which would corrupt
// what Wharf applies and compares.
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Agent, request as httpsRequest, type RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";

export interface KubeResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Thrown for an HTTP error, shaped like client-node's ApiException so toKubernetesApiError reads both. */
export class KubeHttpError extends Error {
  constructor(
    readonly code: number,
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {
    super(`HTTP ${code}`);
  }
}

export interface KubeRequestEvent {
  phase: "start" | "end";
  server: string;
  method: string;
  path: string;
  status?: number;
}

const observers = new Set<(event: KubeRequestEvent) => void>();

/** Sees every request Wharf sends to a cluster (benchmarks count writes and concurrency with it). Returns the unsubscribe. */
export function observeKubeRequests(observer: (event: KubeRequestEvent) => void): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

function currentServer(config: KubeConfig): string {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error("The kubeconfig has no current cluster.");
  return cluster.server;
}

/** A request client-node sends itself (a typed call, as the pod log's), told to the observers as `kubeRequest`'s are. */
export async function observedRequest<T>(config: KubeConfig, method: string, path: string, send: () => Promise<T>): Promise<T> {
  const server = currentServer(config);
  const notify = (phase: "start" | "end", status?: number) => {
    for (const observer of observers) observer({ phase, server, method, path, status });
  };
  notify("start");
  try {
    const result = await send();
    notify("end", 200);
    return result;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    notify("end", typeof code === "number" ? code : undefined);
    throw error;
  }
}

// client-node builds a new https.Agent (and TLS context) for every call, so
// every request paid a TLS handshake. One keep-alive agent per API server and
// TLS identity reuses connections; the bearer token travels in a header, so a
// renewed token keeps the agent.
const agents = new Map<string, Agent>();

function keepAliveAgent(server: string, options: RequestOptions): Agent {
  const key = createHash("sha256")
    .update(
      [
        server,
        String(options.ca ?? ""),
        String(options.cert ?? ""),
        String(options.key ?? ""),
        String(options.rejectUnauthorized),
        String(options.servername ?? ""),
      ].join("\0"),
    )
    .digest("hex");
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({
      keepAlive: true,
      maxSockets: 64,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      rejectUnauthorized: options.rejectUnauthorized,
      servername: options.servername,
    });
    agents.set(key, agent);
  }
  return agent;
}

/**
 * The one place a request to a cluster is set up, for plain requests and
 * streams alike: the current cluster's URL, the kubeconfig's TLS and auth
 * options, a pooled connection, and the observers told when it starts and ends
 * (once).
 */
async function prepareRequest(config: KubeConfig, method: string, path: string, headers: Record<string, string | number>) {
  const server = currentServer(config);
  const url = new URL(server.replace(/\/$/, "") + path);
  const options: RequestOptions = {
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port || undefined,
    path: url.pathname + url.search,
    headers,
  };
  await config.applyToHTTPSOptions(options);
  options.agent = keepAliveAgent(server, options);
  let ended = false;
  const notify = (phase: "start" | "end", status?: number): void => {
    if (ended) return;
    if (phase === "end") ended = true;
    for (const observer of observers) observer({ phase, server, method, path, status });
  };
  return { options, notify };
}

function headersOf(incoming: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(incoming.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(", ") : String(value ?? "")]));
}

/** A response body as JSON, or its text when it is not JSON (a proxy's HTML error page), kept for the message. */
function bodyOf(chunks: Buffer[]): unknown {
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

export async function kubeRequest(
  config: KubeConfig,
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; timeoutMs?: number } = {},
): Promise<KubeResponse> {
  const payload = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const { options: requestOptions, notify } = await prepareRequest(config, method, path, {
    accept: "application/json",
    ...(payload !== undefined && { "content-type": options.contentType ?? "application/json", "content-length": Buffer.byteLength(payload) }),
  });
  notify("start");
  return new Promise<KubeResponse>((resolve, reject) => {
    const outgoing = httpsRequest(requestOptions, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () => {
        const body = bodyOf(chunks);
        const headers = headersOf(incoming);
        const status = incoming.statusCode ?? 0;
        notify("end", status);
        if (status >= 400) reject(new KubeHttpError(status, body, headers));
        else resolve({ status, headers, body });
      });
    });
    outgoing.setTimeout(options.timeoutMs ?? 10_000, () => outgoing.destroy(Object.assign(new Error("no answer in time"), { code: "ETIMEDOUT" })));
    outgoing.on("error", (error) => {
      notify("end");
      reject(error);
    });
    if (payload !== undefined) outgoing.write(payload);
    outgoing.end();
  });
}

/** REST paths for the kinds Wharf writes and reads. */
const resources: Record<string, { plural: string; namespaced: boolean }> = {
  Namespace: { plural: "namespaces", namespaced: false },
  Node: { plural: "nodes", namespaced: false },
  ResourceQuota: { plural: "resourcequotas", namespaced: true },
  LimitRange: { plural: "limitranges", namespaced: true },
  ServiceAccount: { plural: "serviceaccounts", namespaced: true },
  RoleBinding: { plural: "rolebindings", namespaced: true },
  NetworkPolicy: { plural: "networkpolicies", namespaced: true },
  Deployment: { plural: "deployments", namespaced: true },
  ReplicaSet: { plural: "replicasets", namespaced: true },
  Pod: { plural: "pods", namespaced: true },
  Service: { plural: "services", namespaced: true },
  Event: { plural: "events", namespaced: true },
};

export function resourcePath(apiVersion: string, kind: string, namespace?: string, name?: string): string {
  const resource = resources[kind];
  if (!resource) throw new Error(`Wharf does not know the REST path of ${kind}; add it to lib/kubernetes/request.ts.`);
  const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const scope = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${scope}/${resource.plural}${name ? `/${encodeURIComponent(name)}` : ""}`;
}

export interface KubeStreamOptions {
  /** Called with each newline-delimited JSON value of the stream, in order; "stop" ends the stream quietly. */
  onLine(value: unknown): void | "stop";
  signal?: AbortSignal;
  /** No byte for this long means the connection is dead; watches ask the server to end sooner (timeoutSeconds). */
  idleTimeoutMs?: number;
}

/**
 * A long GET whose body is newline-delimited JSON (a watch). Resolves when
 * the server ends the stream, rejects with a KubeHttpError for an error
 * status, or with the socket's error; an abort resolves quietly.
 */
export async function kubeStream(config: KubeConfig, path: string, options: KubeStreamOptions): Promise<void> {
  const { options: requestOptions, notify } = await prepareRequest(config, "GET", path, { accept: "application/json" });
  if (options.signal?.aborted) return;
  notify("start");
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown, status?: number) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", abort);
      notify("end", status);
      if (error) reject(error);
      else resolve();
    };
    const outgoing = httpsRequest(requestOptions, (incoming) => {
      const status = incoming.statusCode ?? 0;
      if (status >= 400) {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () => finish(new KubeHttpError(status, bodyOf(chunks), headersOf(incoming)), status));
        incoming.on("error", (error) => finish(error, status));
        return;
      }
      let pending = "";
      incoming.setEncoding("utf8");
      incoming.on("data", (chunk: string) => {
        pending += chunk;
        let newline = pending.indexOf("\n");
        while (newline >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line) {
            let verdict: void | "stop";
            try {
              verdict = options.onLine(JSON.parse(line));
            } catch (error) {
              finish(error, status);
              outgoing.destroy();
              return;
            }
            if (verdict === "stop") {
              finish(undefined, status);
              outgoing.destroy();
              return;
            }
          }
          newline = pending.indexOf("\n");
        }
      });
      incoming.on("end", () => finish(undefined, status));
      incoming.on("aborted", () => finish(Object.assign(new Error("the watch stream was cut"), { code: "ECONNRESET" }), status));
      incoming.on("error", (error) => finish(settled ? undefined : error, status));
    });
    const abort = () => {
      outgoing.destroy();
      finish();
    };
    options.signal?.addEventListener("abort", abort, { once: true });
    outgoing.setTimeout(options.idleTimeoutMs ?? 5 * 60_000, () =>
      outgoing.destroy(Object.assign(new Error("the watch stream went quiet"), { code: "ETIMEDOUT" })),
    );
    outgoing.on("error", (error) => finish(error));
    outgoing.end();
  });
}

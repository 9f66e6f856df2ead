// The Log Analytics query API stand-in under /v1, as @azure/monitor-query-logs
// 1.0.0 calls it: POST /v1/workspaces/{id}/query, POST /v1/$batch, and the
// resource-centric POST /v1/{componentId}/query (the SDK sends that one with
// a double slash). A token for https://api.loganalytics.io is required, each
// caller has Log Analytics' quotas, and /_sandbox/faults reaches each workspace.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Provider } from "oidc-provider";
import { z } from "zod";
import { authenticateBearer, type Audience } from "../arm/authenticate";
import { pathSegments } from "../arm/routes";
import type { Faults, FaultOutcome } from "../faults";
import { sandboxTenantId } from "../personas";
import type { RunKql } from "./kql/types";
import { parsePrefer, runQuery, workspaceNotFound, type QueryAnswer, type QueryContext, type QueryTarget } from "./query";
import { QueryQuotas, type QuotaLimits } from "./quotas";
import { logsErrorBody, sendLogsError, sendLogsJson } from "./responses";
import type { StoreOf } from "./telemetry/cluster-state";
import { componentResourceId, findWorkspace, sandboxComponents, sandboxWorkspaces } from "../workspaces";

/** What `LogsQueryClient` asks its credential for. */
export const logsScope = "https://api.loganalytics.io/.default";
const logsAudience: Audience = { scope: logsScope, allowed: "'https://api.loganalytics.io','https://api.loganalytics.azure.com'" };

export interface LogsApiOptions {
  provider: Provider;
  faults: Faults;
  /** The sandbox clusters' stores, read for telemetry on every query. */
  storeOf: StoreOf;
  runKql: RunKql;
  /** The sandbox's HTTPS origin, for the authentication challenge. */
  origin: string;
  /** Same seed, same cluster state: same telemetry. */
  seed?: string;
  limits?: QuotaLimits;
  clock?: () => Date;
}

export type LogsApiHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const maxBodyBytes = 1_000_000;

const batchBody = z.object({
  requests: z
    .array(
      z
        .object({
          id: z.string().min(1),
          headers: z.record(z.string(), z.string()).optional(),
          body: z.unknown(),
          path: z.string(),
          method: z.string(),
          workspace: z.string().min(1),
        })
        .loose(),
    )
    .min(1, "requests must hold at least one query")
    .max(10, "a batch holds at most 10 queries"),
});

class BodyError extends Error {}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BodyError(`The request body is larger than ${maxBodyBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text ? (JSON.parse(text) as unknown) : {};
  } catch {
    throw new BodyError("The request body is not valid JSON.");
  }
}

const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Which workspace (and, for a component, which rows) a path addresses, or undefined for a path the API does not have. */
function resolvePath(segments: readonly string[]): { kind: "query"; target: QueryTarget | undefined; reference: string } | { kind: "batch" } | undefined {
  const lower = segments.map((s) => s.toLowerCase());
  if (lower.length === 2 && lower[1] === "$batch") return { kind: "batch" };
  if (lower.length === 4 && lower[1] === "workspaces" && lower[3] === "query") {
    const workspace = findWorkspace(segments[2]!);
    return { kind: "query", target: workspace && { workspace }, reference: segments[2]! };
  }
  // /v1/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Insights/components/{name}/query
  if (lower.length === 10 && lower[1] === "subscriptions" && lower[6] === "microsoft.insights" && lower[7] === "components" && lower[9] === "query") {
    const id = `/${segments.slice(1, 9).join("/")}`;
    const component = sandboxComponents.find((c) => componentResourceId(c).toLowerCase() === id.toLowerCase());
    const workspace = component && sandboxWorkspaces.find((w) => w.name === component.workspace);
    return { kind: "query", target: component && workspace && { workspace, resourceId: componentResourceId(component).toLowerCase() }, reference: id };
  }
  return undefined;
}

export function createLogsApi(options: LogsApiOptions): LogsApiHandler {
  const quotas = new QueryQuotas(options.limits, options.clock ? () => options.clock!().getTime() : Date.now);
  const context: QueryContext = {
    runKql: options.runKql,
    storeOf: options.storeOf,
    faults: options.faults,
    seed: options.seed ?? "wharf-sandbox",
    clock: options.clock ?? (() => new Date()),
  };
  const challenge = `Bearer authorization_uri="${options.origin}/${sandboxTenantId}", error="invalid_token"`;

  /** One query under the caller's quota (held through any injected latency) and the workspace's faults; undefined when the connection is to be dropped. */
  async function answer(
    req: IncomingMessage,
    caller: string,
    target: QueryTarget,
    body: unknown,
    prefer: string | undefined,
  ): Promise<QueryAnswer | undefined> {
    const admission = quotas.admit(caller);
    if (!admission.ok) {
      return { status: 429, body: logsErrorBody("ThrottledError", admission.message), headers: { "retry-after": String(admission.retryAfterSeconds) } };
    }
    try {
      const fault: FaultOutcome = options.faults.outcome({ api: "logs", workspace: { id: target.workspace.customerId, name: target.workspace.name } });
      if (fault.unreachable) return undefined;
      if (fault.latencyMs > 0) await wait(fault.latencyMs);
      if (fault.drop || req.socket.destroyed) return undefined;
      if (fault.error) {
        const headers: Record<string, string> = fault.error.status === 500 ? {} : { "retry-after": String(fault.error.retryAfterSeconds) };
        return { status: fault.error.status, body: fault.error.body, headers };
      }
      // Awaited here, so the quota slot is held until the query is answered.
      return await runQuery(context, target, body, parsePrefer(prefer));
    } finally {
      admission.release();
    }
  }

  return async function handleLogs(req, res) {
    const segments = pathSegments(req.url ?? "/");
    const route = resolvePath(segments);
    // Read the body first: answering before it is consumed makes Node drop the connection under the client.
    let body: unknown;
    let bodyError: string | undefined;
    try {
      body = await readJson(req);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      bodyError = error.message;
    }
    const caller = await authenticateBearer(options.provider, req, logsAudience);
    if (!caller.ok) {
      const status = caller.reason === "missing" || caller.reason === "malformed" ? 401 : 403;
      sendLogsError(res, status, caller.code, caller.message, undefined, { "www-authenticate": challenge });
      return;
    }
    if (!route) {
      sendLogsError(
        res,
        404,
        "PathNotFoundError",
        `The requested path does not exist: ${req.method} ${req.url}. ` +
          "The sandbox serves POST /v1/workspaces/{workspaceId}/query, POST /v1/$batch and POST /v1/{componentResourceId}/query.",
      );
      return;
    }
    if (req.method !== "POST") {
      sendLogsError(res, 405, "SandboxNotImplemented", `The sandbox Log Analytics API answers POST only (the SDK's way), not ${req.method}.`);
      return;
    }
    if (bodyError) {
      sendLogsError(res, 400, "BadArgumentError", "The request had some invalid properties", { code: "InvalidBodyError", message: bodyError });
      return;
    }

    if (route.kind === "query") {
      if (!route.target) {
        const missing = workspaceNotFound(route.reference);
        sendLogsJson(res, missing.status, missing.body);
        return;
      }
      const result = await answer(req, caller.clientId, route.target, body, [req.headers.prefer ?? []].flat().join(","));
      if (!result) {
        req.socket.destroy();
        return;
      }
      sendLogsJson(res, result.status, result.body, result.headers);
      return;
    }

    const parsed = batchBody.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      sendLogsError(res, 400, "BadArgumentError", "The request had some invalid properties", {
        code: "InvalidBatchError",
        message: `${issue.path.join(".") || "body"}: ${issue.message}`,
      });
      return;
    }
    // In request order: @azure/monitor-query-logs 1.0.0 maps answers to queries by position.
    const responses: unknown[] = [];
    for (const item of parsed.data.requests) {
      // Each item can take seconds of CPU: let the Kubernetes and ARM stand-ins answer between them.
      if (responses.length > 0) await new Promise((resume) => setImmediate(resume));
      const reply = (result: QueryAnswer) => ({
        id: item.id,
        status: result.status,
        ...(Object.keys(result.headers).length ? { headers: result.headers } : {}),
        body: result.body,
      });
      if (item.method.toUpperCase() !== "POST" || item.path.replace(/^\/+/, "").toLowerCase() !== "query") {
        responses.push(
          reply({ status: 400, body: logsErrorBody("BadArgumentError", `A batch item must be POST /query, not ${item.method} ${item.path}.`), headers: {} }),
        );
        continue;
      }
      const workspace = findWorkspace(item.workspace);
      if (!workspace) {
        responses.push(reply(workspaceNotFound(item.workspace)));
        continue;
      }
      const prefer = Object.entries(item.headers ?? {}).find(([key]) => key.toLowerCase() === "prefer")?.[1];
      const result = await answer(req, caller.clientId, { workspace }, item.body, prefer);
      if (!result) {
        req.socket.destroy();
        return;
      }
      responses.push(reply(result));
    }
    sendLogsJson(res, 200, { responses });
  };
}

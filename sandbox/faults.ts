// Fault injection for reliability tests: /_sandbox/faults sets, per API, per
// cluster and per Log Analytics workspace, added latency, an error rate with a
// status (429 with Retry-After, 500, 503), dropped connections, an unreachable
// cluster, watch streams that end early, and queries answered with a PartialError.
// Cost Management ("cost") answers its own way: a 429 that carries only the QPU
// retry header, and 204 for "no data"; and other clients of the tenant can
// spend its QPU quota (`qpuSpentByOthers`), so that the quota itself refuses.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";

export const faultApis = ["identity", "graph", "arm", "kubernetes", "logs", "cost", "registry"] as const;
export type FaultApi = (typeof faultApis)[number];

const rule = z
  .object({
    api: z.enum([...faultApis, "*"], { error: `api must be one of ${faultApis.join(", ")} or *` }),
    cluster: z.string().min(1).optional().describe("Only for api kubernetes: one cluster's API server."),
    workspace: z.string().min(1).optional().describe("Only for api logs: one workspace, by its id (customerId) or name."),
    operation: z.enum(["query", "forecast"]).optional().describe("Only for api cost: the Query or the Forecast endpoint alone."),
    latencyMs: z.number().int().min(0).max(120_000).default(0),
    errorRate: z.number().min(0).max(1).default(0),
    errorStatus: z.union([z.literal(204), z.literal(429), z.literal(500), z.literal(503)]).default(503),
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    /** Failures drop the connection instead of answering. */
    drop: z.boolean().default(false),
    /** Every connection is reset at once, as a cluster whose API server is down. */
    unreachable: z.boolean().default(false),
    /** Watch streams end cleanly after this long, as API servers do under load. */
    watchEndAfterMs: z.number().int().min(0).max(3_600_000).optional(),
    /** Log Analytics only: queries succeed with HTTP 200 but carry a PartialError, as when a shard does not answer. */
    partialError: z.boolean().default(false),
    /**
     * Cost Management only: other clients of the tenant spend this many QPU just before the next matching request is
     * charged, once per rule; the quota then answers as it would (a window spent, or a 429 with its own wait).
     */
    qpuSpentByOthers: z.number().int().min(1).max(600).optional(),
  })
  .strict()
  .refine((r) => r.workspace === undefined || r.api === "logs" || r.api === "*", { message: "workspace applies only to api logs", path: ["workspace"] })
  .refine((r) => r.cluster === undefined || r.api === "kubernetes" || r.api === "*", { message: "cluster applies only to api kubernetes", path: ["cluster"] })
  .refine((r) => r.operation === undefined || r.api === "cost" || r.api === "*", { message: "operation applies only to api cost", path: ["operation"] })
  .refine((r) => r.errorStatus !== 204 || r.api === "cost", { message: "errorStatus 204 (no data) is only for api cost", path: ["errorStatus"] })
  .refine((r) => r.qpuSpentByOthers === undefined || r.api === "cost", { message: "qpuSpentByOthers applies only to api cost", path: ["qpuSpentByOthers"] });

export const faultConfig = z.object({ rules: z.array(rule).max(50) }).strict();
export type FaultRule = z.output<typeof rule>;

export interface RequestTarget {
  api: FaultApi;
  cluster?: string;
  /** A Log Analytics workspace; a rule names it by either. */
  workspace?: { id: string; name: string };
  /** A Cost Management request: its Query or Forecast endpoint. */
  operation?: "query" | "forecast";
}

/** What the rules say one request gets, for stand-ins that answer several queries in one request ($batch). */
export interface FaultOutcome {
  latencyMs: number;
  /** Reset the connection at once, as a target that is down. */
  unreachable: boolean;
  /** Drop the connection after the latency, instead of answering. */
  drop: boolean;
  error?: { status: 204 | 429 | 500 | 503; retryAfterSeconds: number; body: unknown };
  partialError: boolean;
}

function errorBody(target: RequestTarget, status: number): unknown {
  const reason = status === 429 ? "TooManyRequests" : status === 500 ? "InternalError" : "ServiceUnavailable";
  const message = `injected by the sandbox (/_sandbox/faults): ${reason}`;
  if (target.api === "kubernetes") return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code: status };
  if (target.api === "arm") return { error: { code: reason, message } };
  // Azure Container Registry's data plane answers in the Docker registry's error shape.
  if (target.api === "registry") return { errors: [{ code: status === 429 ? "TOOMANYREQUESTS" : "UNAVAILABLE", message, detail: null }] };
  if (target.api === "logs") {
    const code = status === 429 ? "ThrottledError" : status === 500 ? "InternalServerError" : "ServiceUnavailableError";
    return { error: { code, message } };
  }
  if (target.api === "cost") return { error: { code: String(status), message: status === 429 ? "Too many requests. Please retry." : message } };
  return { error: status === 429 ? "temporarily_unavailable" : "server_error", error_description: message };
}

export class Faults {
  private rules: FaultRule[] = [];
  /** Rules whose qpuSpentByOthers was spent. */
  private readonly spentRules = new WeakSet<FaultRule>();
  /** Deterministic by default so tests see the same failures on every run. */
  constructor(private readonly random: () => number = Math.random) {}

  set(input: unknown): FaultRule[] {
    this.rules = faultConfig.parse(input).rules;
    return this.rules;
  }

  add(input: unknown): FaultRule[] {
    this.rules = [...this.rules, rule.parse(input)];
    return this.rules;
  }

  reset(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules;
  }

  private matching(target: RequestTarget): FaultRule[] {
    const workspace = (name: string) =>
      target.workspace !== undefined && [target.workspace.id, target.workspace.name].some((n) => n.toLowerCase() === name.toLowerCase());
    return this.rules.filter(
      (r) =>
        (r.api === "*" || r.api === target.api) &&
        (r.cluster === undefined || r.cluster === target.cluster) &&
        (r.operation === undefined || r.operation === target.operation) &&
        (r.workspace === undefined || workspace(r.workspace)),
    );
  }

  /** The faults for one request or one query in a batch, decided without answering. */
  outcome(target: RequestTarget): FaultOutcome {
    const rules = this.matching(target);
    const outcome: FaultOutcome = {
      latencyMs: Math.max(0, ...rules.map((r) => r.latencyMs)),
      unreachable: rules.some((r) => r.unreachable),
      drop: false,
      partialError: rules.some((r) => r.partialError),
    };
    if (outcome.unreachable) return outcome;
    for (const r of rules) {
      if (r.errorRate > 0 && this.random() < r.errorRate) {
        if (r.drop) return { ...outcome, drop: true };
        return { ...outcome, error: { status: r.errorStatus, retryAfterSeconds: r.retryAfterSeconds, body: errorBody(target, r.errorStatus) } };
      }
    }
    return outcome;
  }

  /** QPU other clients spend before this Cost Management request is charged: each rule's, the first time it matches. */
  takeQpuSpentByOthers(target: RequestTarget): number {
    let qpu = 0;
    for (const r of this.matching(target)) {
      if (r.qpuSpentByOthers === undefined || this.spentRules.has(r)) continue;
      this.spentRules.add(r);
      qpu += r.qpuSpentByOthers;
    }
    return qpu;
  }

  /** Whether queries to this target answer with a PartialError (Log Analytics). */
  partialError(target: RequestTarget): boolean {
    return this.matching(target).some((r) => r.partialError);
  }

  /** How long a watch on this target may stream, or undefined for as long as the client asks. */
  watchEndAfterMs(target: RequestTarget): number | undefined {
    const limits = this.matching(target).flatMap((r) => (r.watchEndAfterMs === undefined ? [] : [r.watchEndAfterMs]));
    return limits.length ? Math.min(...limits) : undefined;
  }

  /**
   * Applies the faults for one request. Returns true when the request was
   * answered (or dropped) here and must not reach the stand-in.
   */
  async intercept(req: IncomingMessage, res: ServerResponse, target: RequestTarget): Promise<boolean> {
    const outcome = this.outcome(target);
    if (outcome.unreachable) {
      req.socket.destroy();
      return true;
    }
    if (outcome.latencyMs > 0) await new Promise((done) => setTimeout(done, outcome.latencyMs));
    if (outcome.drop) {
      req.socket.destroy();
      return true;
    }
    if (outcome.error?.status === 204) {
      res.writeHead(204).end();
      return true;
    }
    if (outcome.error) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      // Cost Management names its wait only in its own header, which Azure SDK pipelines do not read.
      if (outcome.error.status === 429 && target.api === "cost")
        headers["x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after"] = String(outcome.error.retryAfterSeconds);
      else if (outcome.error.status === 429 || outcome.error.status === 503) headers["retry-after"] = String(outcome.error.retryAfterSeconds);
      res.writeHead(outcome.error.status, headers);
      res.end(JSON.stringify(outcome.error.body));
      return true;
    }
    return false;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : {};
}

/** GET lists, PUT replaces ({rules: [...]}), POST adds one rule, DELETE resets. */
export async function handleFaultsRequest(faults: Faults, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  try {
    // Read every body, even where it is ignored: answering before the body is
    // consumed makes Node drop the connection under the client.
    const body = await readJson(req).catch((error: unknown) => (req.method === "PUT" || req.method === "POST" ? Promise.reject(error) : {}));
    if (req.method === "GET") return send(200, { rules: faults.list() });
    if (req.method === "PUT") return send(200, { rules: faults.set(body) });
    if (req.method === "POST") return send(200, { rules: faults.add(body) });
    if (req.method === "DELETE") {
      faults.reset();
      return send(200, { rules: [] });
    }
    return send(405, { error: "method_not_allowed", message: "Use GET, PUT, POST or DELETE on /_sandbox/faults." });
  } catch (error) {
    if (error instanceof z.ZodError) {
      const issue = error.issues[0]!;
      return send(400, { error: "invalid_fault", message: `${issue.path.join(".") || "body"}: ${issue.message}` });
    }
    if (error instanceof SyntaxError) return send(400, { error: "invalid_json", message: "The body must be JSON." });
    throw error;
  }
}

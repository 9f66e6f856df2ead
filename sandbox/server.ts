// One HTTPS server for every sandbox stand-in. Clients find it through
// <dataDir>/sandbox/endpoints.json, which later stand-ins (ARM, Kubernetes,
// Log Analytics, Cost) extend with their own keys.
import { rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ensureSandboxTls } from "./ca";
import { createGraph } from "./graph";
import { createArm } from "./arm/arm";
import { armScope } from "./arm/authenticate";
import { createCostManagement } from "./cost/cost-management";
import { Faults, handleFaultsRequest } from "./faults";
import { createKubernetesApi } from "./kubernetes/api-server";
import { clusterReaderTokens, sandboxClusters, sandboxReaderUser, sandboxResourceGroup, sandboxSubscriptionId } from "./clusters";
import { createFileAdapterStore } from "./oidc-file-adapter";
import { createIdentity, loadOrCreateClientSecret, loadOrCreateCookieKeys, loadOrCreateSigningKeys, sandboxClientId } from "./identity";
import { sandboxTenantId } from "./personas";
import { loadOrCreatePipelineSecrets, sandboxPipelines, wharfApi } from "./pipelines";
import { runKql } from "./monitor/kql/evaluate";
import { createLogsApi, logsScope } from "./monitor/logs-api";
import { createRegistryApi, registryEndpoint, registryPathPrefix, registryScope } from "./registry/registry-api";
import { sandboxRegistries } from "./registries";
import { ensureDir, sandboxStateDir } from "./state";

export interface SandboxEndpoints {
  authority: string;
  issuer: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caFile: string;
  caBundleFile: string;
  graphEndpoint: string;
  port: number;
  /** Plain-http origin of the pages a browser visits during sign-in. */
  browserOrigin: string;
  [more: string]: unknown;
}

export interface StartSandboxOptions {
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Port of the plain-http listener for browser pages; 0 picks a free port. */
  browserPort?: number;
  /** Extra redirect URIs for the Wharf client; http://localhost callbacks match on any port. */
  redirectUris?: string[];
  /** Divides the Kubernetes controller's delays (rollouts, back-offs); default 1. */
  controllerSpeed?: number;
  /** Billing currency of the sandbox Cost Management; SANDBOX_COST_CURRENCY, else EUR. */
  costCurrency?: string;
  /** Divides Cost Management's QPU quota windows (10 s, 1 min, 1 h; the limits stay); SANDBOX_COST_QUOTA_SPEED wins; default 1. */
  costQuotaSpeed?: number;
  /** Delete all sandbox state (CA, keys, client secret) before starting. */
  reset?: boolean;
}

export interface RunningSandbox {
  port: number;
  /** The fault switchboard, also reachable over HTTP at /_sandbox/faults. */
  faults: Faults;
  endpoints: SandboxEndpoints;
  endpointsFile: string;
  close(): Promise<void>;
}

/** How long an idle HTTPS connection is kept open for another request. */
export const sandboxKeepAliveMs = 2000;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const stateDir = sandboxStateDir(options.dataDir ?? ".data");
  if (options.reset) rmSync(stateDir, { recursive: true, force: true });
  ensureDir(stateDir);
  const tls = ensureSandboxTls(stateDir);

  // Listen first: the issuer must contain the real port before the provider exists.
  let route: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => sendJson(res, 503, { error: "starting" });
  const server = createServer({ cert: tls.serverCertPem, key: tls.serverKeyPem }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      console.error("[sandbox] request failed", req.method, req.url, error);
      if (!res.headersSent) sendJson(res, 500, { error: "sandbox_error", message: String(error) });
      else res.destroy();
    });
  });
  // Idle keep-alive connections close after 2 s (+ Node's 1 s grace) instead of 5 s. Each idle
  // TLS connection holds ~64 KB of native memory, and client-node opens a connection per request
  // and never reuses it: at 150 requests a second that was ~900 idle connections, ~55 MB. Not
  // less: Node's agents reuse a connection only until 1 s before the advertised
  // `Keep-Alive: timeout=N`, so at 1 s Wharf's keep-alive agents would never reuse one.
  server.keepAliveTimeout = sandboxKeepAliveMs;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  // Browsers are sent to a plain-http listener for the sign-in pages only:
  // they do not trust the sandbox CA, and nothing secret passes through there
  // (the code is exchanged over HTTPS, bound to PKCE and the client secret).
  let browserRoute: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => sendJson(res, 503, { error: "starting" });
  const browserServer: HttpServer = createHttpServer((req, res) => {
    browserRoute(req, res).catch((error: unknown) => {
      console.error("[sandbox] browser request failed", req.method, req.url, error);
      if (!res.headersSent) sendJson(res, 500, { error: "sandbox_error", message: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    browserServer.once("error", reject);
    browserServer.listen(options.browserPort ?? 0, "127.0.0.1", () => resolve());
  });
  const browserOrigin = `http://localhost:${(browserServer.address() as AddressInfo).port}`;

  const origin = `https://localhost:${port}`;
  const issuer = `${origin}/${sandboxTenantId}/v2.0`;
  const graphEndpoint = `${origin}/graph`;
  const clientSecret = loadOrCreateClientSecret(stateDir);
  const pipelineSecrets = loadOrCreatePipelineSecrets(stateDir);
  const identityStore = createFileAdapterStore(stateDir);
  const identity = createIdentity({
    issuer,
    tenantId: sandboxTenantId,
    graphEndpoint,
    clientSecret,
    redirectUris: options.redirectUris ?? [],
    signingKeys: loadOrCreateSigningKeys(stateDir),
    cookieKeys: loadOrCreateCookieKeys(stateDir),
    browserOrigin,
    pipelineSecrets,
    store: identityStore,
  });
  const graph = createGraph(identity.provider, graphEndpoint);
  const arm = createArm({ provider: identity.provider, origin, stateDir, caPem: tls.caCertPem });
  const faults = new Faults();
  const costTarget = (req: IncomingMessage) =>
    ({
      api: "cost",
      operation: /\/providers\/microsoft\.costmanagement\/forecast(\?|$)/i.test(req.url ?? "") ? "forecast" : "query",
    }) as const;
  // SANDBOX_COST_QUOTA_SPEED runs the QPU windows faster: tests wait a second where Azure makes a client wait a minute.
  const costQuotaSpeed = Number(process.env.SANDBOX_COST_QUOTA_SPEED ?? options.costQuotaSpeed ?? 1);
  if (!Number.isFinite(costQuotaSpeed) || costQuotaSpeed <= 0)
    throw new Error(
      `SANDBOX_COST_QUOTA_SPEED must be a positive number (1: Azure's quota windows), not "${process.env.SANDBOX_COST_QUOTA_SPEED ?? options.costQuotaSpeed}"`,
    );
  const cost = createCostManagement({
    provider: identity.provider,
    origin,
    currency: options.costCurrency ?? process.env.SANDBOX_COST_CURRENCY ?? "EUR",
    quotaSpeed: costQuotaSpeed,
    intercept: (req, res) => faults.intercept(req, res, costTarget(req)),
    spentByOthers: (req) => faults.takeQpuSpentByOthers(costTarget(req)),
  });
  const kubernetes = createKubernetesApi({
    stateDir,
    clusters: sandboxClusters,
    // SANDBOX_CONTROLLER_SPEED divides rollout delays: tests run them faster than AKS would.
    controller: { speed: Number(process.env.SANDBOX_CONTROLLER_SPEED ?? options.controllerSpeed ?? 1) },
  });
  // Log Analytics reads the clusters' stores for its synthetic telemetry; faults are applied per workspace inside.
  const logs = createLogsApi({ provider: identity.provider, faults, storeOf: (name) => kubernetes.store(name), runKql, origin });
  const registry = createRegistryApi({ provider: identity.provider, origin });

  route = async (req, res) => {
    const url = req.url ?? "/";
    if (url === "/_sandbox/health") return sendJson(res, 200, { status: "ok", issuer });
    if (url.split("?")[0] === "/_sandbox/faults") return handleFaultsRequest(faults, req, res);
    if (url.startsWith("/graph/")) {
      if (await faults.intercept(req, res, { api: "graph" })) return;
      return graph(req, res);
    }
    const k8s = /^\/k8s\/([^/?]+)(.*)$/.exec(url);
    if (k8s) {
      const cluster = k8s[1]!;
      if (await faults.intercept(req, res, { api: "kubernetes", cluster })) return;
      const endAfter = /[?&]watch=(1|true)\b/.test(k8s[2] ?? "") ? faults.watchEndAfterMs({ api: "kubernetes", cluster }) : undefined;
      if (endAfter !== undefined) {
        // An API server ends watches when it likes; clients must resume from the last resourceVersion.
        const timer = setTimeout(() => res.end(), endAfter);
        res.once("close", () => clearTimeout(timer));
      }
      return kubernetes.handle(req, res, cluster, k8s[2] || "/");
    }
    // Azure Container Registry's data plane, one path prefix per login server (its endpoint in endpoints.json).
    if (url.startsWith(registryPathPrefix)) {
      if (await faults.intercept(req, res, { api: "registry" })) return;
      return registry(req, res);
    }
    // Log Analytics applies its faults itself, per query: a $batch holds queries to several workspaces.
    if (url.startsWith("/v1/")) return logs(req, res);
    // Cost Management lives on ARM's host under any scope; it has its own faults (api "cost") and quotas.
    if (/\/providers\/microsoft\.costmanagement\//i.test(url.split("?")[0] ?? "")) return cost(req, res);
    // Resource ids with a leading slash reach us as //subscriptions/... (see DESIGN).
    if (/^\/+subscriptions\//.test(url)) {
      if (await faults.intercept(req, res, { api: "arm" })) return;
      return arm(req, res);
    }
    if (url === identity.mountPath || (/^[/?]/.test(url.slice(identity.mountPath.length)) && url.startsWith(identity.mountPath))) {
      if (await faults.intercept(req, res, { api: "identity" })) return;
      return identity.handle(req, res);
    }
    sendJson(res, 404, {
      error: "not_found",
      message:
        `The sandbox serves ${identity.mountPath}/..., /graph/v1.0/..., /subscriptions/... (ARM), ` +
        `/k8s/<cluster>/... (Kubernetes), /v1/... (Log Analytics), ${registryPathPrefix}<login server>/... (Container Registry), ` +
        `/_sandbox/faults and /_sandbox/health, not ${url}.`,
    });
  };

  browserRoute = async (req, res) => {
    if (identity.isBrowserPath(req.url ?? "/")) return identity.handle(req, res);
    sendJson(res, 404, { error: "not_found", message: `This port serves only the sign-in pages; APIs are at ${origin}.` });
  };

  const endpoints: SandboxEndpoints = {
    authority: issuer,
    issuer,
    tenantId: sandboxTenantId,
    clientId: sandboxClientId,
    clientSecret,
    caFile: tls.caFile,
    caBundleFile: tls.caBundleFile,
    graphEndpoint,
    port,
    browserOrigin,
    armEndpoint: origin,
    armScope: "https://management.azure.com/.default",
    subscriptionIds: [sandboxSubscriptionId],
    resourceGroup: sandboxResourceGroup,
    clusters: sandboxClusters.map((cluster) => cluster.name),
    faultsEndpoint: `${origin}/_sandbox/faults`,
    // Log Analytics: LogsQueryClient's endpoint (verbatim base URL, so it ends in /v1) and the scope its credential asks for.
    logsEndpoint: `${origin}/v1`,
    logsScope,
    // @azure/arm-costmanagement: `endpoint` plus `credentialScopes: [costScope]` (it would ask for `${endpoint}/.default`).
    costEndpoint: origin,
    costScope: armScope,
    costCurrency: cost.currency,
    // What divides the QPU windows (1 but in tests): Wharf paces its queries on windows that much shorter.
    costQuotaSpeed: cost.ledger.speed,
    // Azure Container Registry: ContainerRegistryClient's endpoint for each login server ARM lists (https://<loginServer> on Azure).
    registryEndpoints: Object.fromEntries(sandboxRegistries.map((r) => [r.loginServer, registryEndpoint(origin, r)])),
    registryScope,
    costPageSize: cost.pageSize,
    // A read-only user per cluster (get, list, watch; writes get RBAC's 403), for testing clients' handling of Forbidden.
    clusterReader: { user: sandboxReaderUser, tokens: clusterReaderTokens(stateDir) },
    // CI pipelines' identities: client credentials at the authority for wharfApiScope (README "Deploying from a pipeline").
    wharfApiScope: wharfApi(sandboxClientId).scope,
    pipelines: sandboxPipelines.map((pipeline) => ({
      key: pipeline.key,
      displayName: pipeline.displayName,
      clientId: pipeline.clientId,
      clientSecret: pipelineSecrets[pipeline.key],
      objectId: pipeline.objectId,
      roles: [...pipeline.roles],
    })),
  };
  const endpointsFile = join(stateDir, "endpoints.json");
  writeFileSync(endpointsFile, JSON.stringify(endpoints, null, 2) + "\n", { mode: 0o600 });

  return {
    port,
    faults,
    endpoints,
    endpointsFile,
    close: async () => {
      // Before the sockets: open watches end and unsaved cluster state is written.
      await kubernetes.close();
      identityStore.flush();
      await Promise.all(
        [server, browserServer].map(
          (listener) =>
            new Promise<void>((resolve, reject) => {
              listener.close((error) => (error ? reject(error) : resolve()));
              listener.closeAllConnections();
            }),
        ),
      );
    },
  };
}

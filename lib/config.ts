// The environment, checked once with zod. A wrong value stops start-up with
// one line naming the variable and what it expects.
import { readFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { z } from "zod";

export type WharfMode = "sandbox" | "azure";

export interface IdentityConfig {
  /** https://login.microsoftonline.com/<tenant> for Entra, the sandbox issuer otherwise. */
  authority: string;
  /** Set for the sandbox: MSAL trusts only these hosts and skips Microsoft's instance discovery. */
  knownAuthorities: string[];
  protocolMode: "AAD" | "OIDC";
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** Workload identity: a federated token file used as the client assertion. */
  federatedTokenFile?: string;
  /** Extra CA to trust for the identity provider and Graph (the sandbox's own CA). */
  caFile?: string;
  graphEndpoint: string;
  adminAppRole: string;
  adminGroupId?: string;
  /**
   * Wharf's own API as a resource for pipelines' bearer tokens: the accepted
   * `aud` values (the client id in v2 tokens, the Application ID URI in v1
   * tokens) and the app role a pipeline's identity needs.
   */
  api: { appIdUri: string; audiences: string[]; deployerAppRole: string };
}

export interface WharfConfig {
  mode: WharfMode;
  port: number;
  /** How long the web server keeps an idle connection open; longer than any proxy in front of it keeps one. */
  keepAliveSeconds: number;
  /**
   * Admission control in the web process (lib/net/admission.ts, decision 0047): requests handled at once, how many
   * more may wait for a slot and for how long; the rest are answered 503 with Retry-After.
   */
  admission: { maxInFlight: number; maxQueued: number; maxQueueWaitMs: number };
  /**
   * Web processes `npm start` runs behind its one port (WHARF_WEB_PROCESSES, decision 0060); unset: the launcher picks
   * one per core, at most 4 and one per GiB of memory (scripts/web-processes.ts). The container image runs one.
   */
  webProcesses?: number;
  /** How many proxies in front of Wharf append to X-Forwarded-For (ingress-nginx: 1); where the client's address is read. */
  trustedProxyHops: number;
  /** Requests per minute: sign-in starts and failed authentications per client address, changes per person or pipeline; 0 is off. */
  rateLimits: { signInStarts: number; authFailures: number; mutations: number };
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  sessionSecret: string;
  session: { idleMinutes: number; absoluteHours: number };
  identity: IdentityConfig;
  azure: {
    subscriptionIds: string[];
    allowedRegistries: string[];
    /** https://management.azure.com, or the sandbox's ARM stand-in. */
    armEndpoint: string;
    /** Where client-credentials tokens come from: https://login.microsoftonline.com, or the sandbox. */
    authorityHost: string;
    /** The Log Analytics query API's base URL, ending in /v1 (the SDK uses it verbatim). */
    logsEndpoint: string;
    /** The token scope for it: https://api.loganalytics.io/.default, or the sandbox's. */
    logsScope: string;
    /** Cost Management's ARM endpoint: https://management.azure.com, or the sandbox's stand-in. */
    costEndpoint: string;
    /** The token scope for it (`credentialScopes`; the SDK would otherwise ask for `${costEndpoint}/.default`). */
    costScope: string;
    /**
     * Divides the QPU quota windows (10 s, 1 min, 1 h) Wharf paces its Cost Management queries on. Only the sandbox's
     * endpoints.json sets it (tests run its quotas faster); against Azure it is absent: 1.
     */
    costQuotaSpeed?: number;
    /**
     * Azure Container Registry data-plane endpoints by login server, where they are not `https://<loginServer>`: the sandbox's
     * stand-in only. Which login servers are registries Wharf reads comes from ARM.
     */
    registryEndpoints: Record<string, string>;
  };
  costs: {
    /** Hours between cost syncs (Cost Management refreshes its data about every 4 hours). */
    syncHours: number;
    /** Minutes between samples of each namespace's requested CPU and memory (the resource-hours cost is split by). */
    sampleMinutes: number;
  };
  health: {
    /** Seconds between health poll cycles (one Log Analytics query per workspace each). */
    pollSeconds: number;
  };
  namespaces: {
    /** The namespace of the clusters' ingress controller, allowed in by every Wharf namespace's network policy. */
    ingressNamespace: string;
    /** Namespaces provisioned at once per cluster, across all workers. */
    writeConcurrencyPerCluster: number;
  };
  jobs: {
    /** Run the pg-boss worker inside the web process (WHARF_WORKER=off leaves it to `npm run worker`). */
    workerInWeb: boolean;
    /** PostgreSQL schema pg-boss keeps its tables in. */
    schema: string;
  };
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const uuid = (what: string) => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, `a UUID (${what})`);

const csv = (item: z.ZodString) =>
  z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const hostname = z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d+)?$/, "registry host names such as contoso.azurecr.io");

const common = z.object({
  PORT: z.coerce
    .number({ error: "a port number" })
    .int("a whole port number")
    .min(1, "a port between 1 and 65535")
    .max(65535, "a port between 1 and 65535")
    .default(3000),
  WHARF_TRUSTED_PROXY_HOPS: z.coerce.number({ error: "a number of proxies" }).int("a whole number").min(0, "0 or more").max(5, "at most 5").default(0),
  WHARF_RATE_LIMIT_SIGN_IN: z.coerce.number({ error: "a number per minute" }).int("a whole number").min(0, "0 (off) or more").default(60),
  WHARF_RATE_LIMIT_AUTH_FAILURES: z.coerce.number({ error: "a number per minute" }).int("a whole number").min(0, "0 (off) or more").default(60),
  WHARF_RATE_LIMIT_MUTATIONS: z.coerce.number({ error: "a number per minute" }).int("a whole number").min(0, "0 (off) or more").default(600),
  WHARF_MAX_IN_FLIGHT: z.coerce.number({ error: "a number of requests" }).int("a whole number").min(1, "at least 1").max(1000, "at most 1000").default(16),
  WHARF_ADMISSION_WAIT_MS: z.coerce
    .number({ error: "a number of milliseconds" })
    .int("a whole number of milliseconds")
    .min(0, "0 (no waiting) or more")
    .max(10_000, "at most 10000 (a client should hear back within seconds)")
    .default(2000),
  WHARF_WEB_PROCESSES: z.coerce
    .number({ error: "a number of web processes" })
    .int("a whole number of web processes")
    .min(1, "at least 1")
    .max(16, "at most 16 (one per core is the most that helps)")
    .optional(),
  WHARF_KEEPALIVE_SECONDS: z.coerce
    .number({ error: "a number of seconds" })
    .int("a whole number of seconds")
    .min(5, "at least 5 seconds")
    .max(3600, "at most 3600 seconds")
    .default(65),
  WHARF_PUBLIC_URL: z.url({ error: "an absolute URL such as https://wharf.contoso.com" }).optional(),
  WHARF_DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "a PostgreSQL URL such as postgresql://user:password@host:5432/wharf")
    .optional(),
  WHARF_SESSION_IDLE_MINUTES: z.coerce
    .number({ error: "a number of minutes" })
    .int()
    .min(5, "at least 5 minutes")
    .max(24 * 60, "at most 1440 minutes")
    .default(480),
  WHARF_SESSION_ABSOLUTE_HOURS: z.coerce
    .number({ error: "a number of hours" })
    .int()
    .min(1, "at least 1 hour")
    .max(24 * 30, "at most 720 hours")
    .default(168),
  WHARF_ADMIN_APP_ROLE: z.string().min(1).default("Wharf.Admin"),
  WHARF_DEPLOYER_APP_ROLE: z.string().min(1).default("Wharf.Deployer"),
  WHARF_API_APP_ID_URI: z
    .string()
    .regex(/^(api:\/\/|https:\/\/)\S+$/, "the Application ID URI of Wharf's app registration, such as api://<client id> or https://wharf.contoso.com")
    .optional(),
  WHARF_INGRESS_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a namespace name such as app-routing-system (AKS application routing) or ingress-nginx")
    .max(63, "a namespace name of at most 63 characters")
    .default("app-routing-system"),
  WHARF_CLUSTER_WRITE_CONCURRENCY: z.coerce.number({ error: "a number" }).int("a whole number").min(1, "at least 1").max(64, "at most 64").default(4),
  WHARF_DATABASE_AUTH: z
    .enum(["password", "entra"], {
      error: "password or entra (entra: Wharf signs in to Azure Database for PostgreSQL with a Microsoft Entra token, no password in DATABASE_URL)",
    })
    .default("password"),
  WHARF_DEMO_ESTATE: z
    .enum(["on", "off"], { error: "on or off (off: a new sandbox install starts with its catalog only, nothing requested or deployed)" })
    .default("on"),
  WHARF_WORKER: z.enum(["on", "off"], { error: "on or off (off: background jobs run only in `npm run worker` processes)" }).default("on"),
  WHARF_JOBS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "a lowercase PostgreSQL schema name such as pgboss")
    .default("pgboss"),
  WHARF_HEALTH_POLL_SECONDS: z.coerce
    .number({ error: "a number of seconds" })
    .int("a whole number of seconds")
    .min(5, "at least 5 seconds")
    .max(3600, "at most 3600 seconds")
    .default(60),
  WHARF_COST_SYNC_HOURS: z.coerce
    .number({ error: "a number of hours" })
    .int("a whole number of hours")
    .min(1, "at least 1 hour")
    .max(24, "at most 24 hours")
    .default(6),
  WHARF_COST_SAMPLE_MINUTES: z.coerce
    .number({ error: "a number of minutes" })
    .int("a whole number of minutes")
    .min(1, "at least 1 minute")
    .max(60, "at most 60 minutes")
    .default(5),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "one of fatal, error, warn, info, debug, trace, silent" })
    .default("info"),
});

const azure = z.object({
  AZURE_TENANT_ID: uuid("the Directory (tenant) ID from Entra ID"),
  AZURE_CLIENT_ID: uuid("the Application (client) ID of Wharf's app registration"),
  AZURE_CLIENT_SECRET: z.string().min(1).optional(),
  AZURE_FEDERATED_TOKEN_FILE: z.string().min(1).optional(),
  AZURE_SUBSCRIPTION_IDS: csv(uuid("comma-separated subscription IDs")).pipe(z.array(z.string()).min(1, "at least one subscription ID")),
  WHARF_ALLOWED_REGISTRIES: csv(hostname).pipe(z.array(z.string()).min(1, "at least one registry such as contoso.azurecr.io")),
  WHARF_ADMIN_GROUP_ID: uuid("the object ID of the Entra group whose members are Wharf admins").optional(),
  WHARF_SESSION_SECRET: z.string().min(32, "at least 32 random characters (for example: openssl rand -base64 48)"),
  WHARF_PUBLIC_URL: z.url({ error: "the absolute URL users open, such as https://wharf.contoso.com" }),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "a PostgreSQL URL such as postgresql://user:password@host:5432/wharf")
    .optional(),
  AZURE_AUTHORITY_HOST: z.url().default("https://login.microsoftonline.com"),
  GRAPH_ENDPOINT: z.url().default("https://graph.microsoft.com"),
  WHARF_LOGS_ENDPOINT: z
    .url({ error: "the Log Analytics query API's URL ending in /v1, such as https://api.loganalytics.io/v1" })
    .regex(/^https:\/\/.+\/v1\/?$/, "an https URL ending in /v1, such as https://api.loganalytics.io/v1")
    .default("https://api.loganalytics.io/v1"),
  WHARF_LOGS_SCOPE: z.url({ error: "a token scope such as https://api.loganalytics.io/.default" }).default("https://api.loganalytics.io/.default"),
  WHARF_COST_ENDPOINT: z.url({ error: "Cost Management's ARM endpoint, such as https://management.azure.com" }).default("https://management.azure.com"),
});

const sandboxEndpoints = z.object({
  authority: z.url(),
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  caFile: z.string().min(1),
  graphEndpoint: z.url(),
  armEndpoint: z.url().optional(),
  logsEndpoint: z.url().optional(),
  logsScope: z.string().min(1).optional(),
  subscriptionIds: z.array(z.string()).optional(),
  costEndpoint: z.url().optional(),
  costScope: z.string().min(1).optional(),
  costQuotaSpeed: z.number().positive().optional(),
  registryEndpoints: z.record(z.string(), z.url()).optional(),
});

type Env = Record<string, string | undefined>;

/** What a required variable holds, for the message when it is missing altogether. */
const expectations: Record<string, string> = {
  AZURE_TENANT_ID: "a UUID (the Directory (tenant) ID from Entra ID)",
  AZURE_CLIENT_ID: "a UUID (the Application (client) ID of Wharf's app registration)",
  AZURE_SUBSCRIPTION_IDS: "comma-separated subscription IDs (UUIDs)",
  WHARF_ALLOWED_REGISTRIES: "registry host names such as contoso.azurecr.io",
  WHARF_SESSION_SECRET: "at least 32 random characters (for example: openssl rand -base64 48)",
  WHARF_PUBLIC_URL: "the absolute URL users open, such as https://wharf.contoso.com",
};

function describeIssue(issue: z.core.$ZodIssue, env: Env): string {
  const variable = String(issue.path[0] ?? "environment");
  const value = env[variable];
  const got = value === undefined || value === "" ? "it is not set" : `got "${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
  const generic = issue.message.startsWith("Invalid");
  const expected = generic ? (expectations[variable] ?? "a valid value") : issue.message;
  return `Configuration error: ${variable} must be ${expected}; ${got}.`;
}

/** An empty variable means "not set", as in most shells' and CI systems' practice. */
function withoutEmpty(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
}

function parse<T extends z.ZodType>(schema: T, env: Env): z.output<T> {
  const result = schema.safeParse(withoutEmpty(env));
  if (!result.success) throw new ConfigError(describeIssue(result.error.issues[0]!, env));
  return result.data;
}

/** Azure mode is chosen by WHARF_MODE=azure or by setting AZURE_TENANT_ID. */
export function resolveMode(env: Env): WharfMode {
  if (env.WHARF_MODE !== undefined && env.WHARF_MODE !== "") {
    if (env.WHARF_MODE !== "sandbox" && env.WHARF_MODE !== "azure") {
      throw new ConfigError(`Configuration error: WHARF_MODE must be "sandbox" or "azure"; got "${env.WHARF_MODE}".`);
    }
    return env.WHARF_MODE;
  }
  return env.AZURE_TENANT_ID ? "azure" : "sandbox";
}

function sandboxSessionSecret(dataDir: string): string {
  const file = join(/* turbopackIgnore: true */ dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function readSandboxEndpoints(file: string) {
  if (!existsSync(file)) {
    throw new ConfigError(
      "Configuration error: SANDBOX_ENDPOINTS_FILE must point at the sandbox's endpoints.json; " +
        `${file} does not exist (start the sandbox with npm run sandbox, or use npm start).`,
    );
  }
  const result = sandboxEndpoints.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!result.success) {
    throw new ConfigError(
      `Configuration error: ${file} is not a sandbox endpoints file (${result.error.issues[0]?.path.join(".")}: ` +
        `${result.error.issues[0]?.message}); restart the sandbox to rewrite it.`,
    );
  }
  return result.data;
}

function apiConfig(clientId: string, base: z.output<typeof common>): IdentityConfig["api"] {
  const appIdUri = (base.WHARF_API_APP_ID_URI ?? `api://${clientId}`).replace(/\/$/, "");
  return { appIdUri, audiences: [...new Set([clientId, appIdUri])], deployerAppRole: base.WHARF_DEPLOYER_APP_ROLE };
}

/** With Entra authentication the token is the password: a URL that carries one of its own is a mistake, said at start. */
function checkEntraDatabaseUrl(url: string | undefined): void {
  if (!url) {
    throw new ConfigError(
      "Configuration error: DATABASE_URL must be set with WHARF_DATABASE_AUTH=entra, as " +
        "postgresql://<Wharf's Entra principal>@<server>:5432/wharf?sslmode=require.",
    );
  }
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed?.password) {
    throw new ConfigError(
      "Configuration error: DATABASE_URL has a password, but WHARF_DATABASE_AUTH=entra signs in with a Microsoft Entra token instead; " +
        "remove the password (postgresql://<Wharf's Entra principal>@<server>:5432/wharf?sslmode=require).",
    );
  }
  if (parsed && !parsed.username) {
    throw new ConfigError(
      "Configuration error: DATABASE_URL names no user; with WHARF_DATABASE_AUTH=entra it is the name of Wharf's Entra principal as " +
        "created in PostgreSQL (pgaadauth_create_principal), such as postgresql://wharf-prod@<server>:5432/wharf?sslmode=require.",
    );
  }
}

export function loadConfig(env: Env = process.env): WharfConfig {
  const mode = resolveMode(env);
  const base = parse(common, env);
  const dataDir = resolve(/* turbopackIgnore: true */ base.WHARF_DATA_DIR);
  const publicUrl = (base.WHARF_PUBLIC_URL ?? `http://localhost:${base.PORT}`).replace(/\/$/, "");
  const session = { idleMinutes: base.WHARF_SESSION_IDLE_MINUTES, absoluteHours: base.WHARF_SESSION_ABSOLUTE_HOURS };
  const jobs = { workerInWeb: base.WHARF_WORKER === "on", schema: base.WHARF_JOBS_SCHEMA };
  const namespaces = { ingressNamespace: base.WHARF_INGRESS_NAMESPACE, writeConcurrencyPerCluster: base.WHARF_CLUSTER_WRITE_CONCURRENCY };
  const health = { pollSeconds: base.WHARF_HEALTH_POLL_SECONDS };
  // Twice the bound may wait: a burst that clears within the wait is served rather than refused.
  const admission = { maxInFlight: base.WHARF_MAX_IN_FLIGHT, maxQueued: 2 * base.WHARF_MAX_IN_FLIGHT, maxQueueWaitMs: base.WHARF_ADMISSION_WAIT_MS };
  const costs = { syncHours: base.WHARF_COST_SYNC_HOURS, sampleMinutes: base.WHARF_COST_SAMPLE_MINUTES };
  if (base.WHARF_DATABASE_AUTH === "entra") checkEntraDatabaseUrl(env.DATABASE_URL);

  if (mode === "azure") {
    const az = parse(azure, env);
    if (!az.AZURE_CLIENT_SECRET && !az.AZURE_FEDERATED_TOKEN_FILE) {
      throw new ConfigError(
        "Configuration error: AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE must be set (a client secret, or workload identity on AKS); neither is set.",
      );
    }
    if (!az.DATABASE_URL) {
      throw new ConfigError(
        "Configuration error: DATABASE_URL must be a PostgreSQL URL in azure mode (for example Azure Database for PostgreSQL); it is not set.",
      );
    }
    return {
      mode,
      port: base.PORT,
      keepAliveSeconds: base.WHARF_KEEPALIVE_SECONDS,
      webProcesses: base.WHARF_WEB_PROCESSES,
      admission,
      trustedProxyHops: base.WHARF_TRUSTED_PROXY_HOPS,
      rateLimits: {
        signInStarts: base.WHARF_RATE_LIMIT_SIGN_IN,
        authFailures: base.WHARF_RATE_LIMIT_AUTH_FAILURES,
        mutations: base.WHARF_RATE_LIMIT_MUTATIONS,
      },
      publicUrl: az.WHARF_PUBLIC_URL.replace(/\/$/, ""),
      dataDir,
      databaseUrl: az.DATABASE_URL,
      sessionSecret: az.WHARF_SESSION_SECRET,
      session,
      identity: {
        authority: `${az.AZURE_AUTHORITY_HOST.replace(/\/$/, "")}/${az.AZURE_TENANT_ID}`,
        knownAuthorities: [],
        protocolMode: "AAD",
        tenantId: az.AZURE_TENANT_ID,
        clientId: az.AZURE_CLIENT_ID,
        clientSecret: az.AZURE_CLIENT_SECRET,
        federatedTokenFile: az.AZURE_FEDERATED_TOKEN_FILE,
        graphEndpoint: az.GRAPH_ENDPOINT.replace(/\/$/, ""),
        adminAppRole: base.WHARF_ADMIN_APP_ROLE,
        adminGroupId: az.WHARF_ADMIN_GROUP_ID,
        api: apiConfig(az.AZURE_CLIENT_ID, base),
      },
      azure: {
        subscriptionIds: az.AZURE_SUBSCRIPTION_IDS,
        allowedRegistries: az.WHARF_ALLOWED_REGISTRIES,
        armEndpoint: "https://management.azure.com",
        authorityHost: az.AZURE_AUTHORITY_HOST.replace(/\/$/, ""),
        logsEndpoint: az.WHARF_LOGS_ENDPOINT.replace(/\/$/, ""),
        logsScope: az.WHARF_LOGS_SCOPE,
        costEndpoint: az.WHARF_COST_ENDPOINT.replace(/\/$/, ""),
        costScope: `${az.WHARF_COST_ENDPOINT.replace(/\/$/, "")}/.default`,
        registryEndpoints: {},
      },
      health,
      costs,
      namespaces,
      jobs,
      logLevel: base.LOG_LEVEL,
    };
  }

  const endpointsFile = resolve(/* turbopackIgnore: true */ env.SANDBOX_ENDPOINTS_FILE || join(dataDir, "sandbox", "endpoints.json"));
  const sandbox = readSandboxEndpoints(endpointsFile);
  return {
    mode,
    port: base.PORT,
    keepAliveSeconds: base.WHARF_KEEPALIVE_SECONDS,
    webProcesses: base.WHARF_WEB_PROCESSES,
    admission,
    trustedProxyHops: base.WHARF_TRUSTED_PROXY_HOPS,
    rateLimits: { signInStarts: base.WHARF_RATE_LIMIT_SIGN_IN, authFailures: base.WHARF_RATE_LIMIT_AUTH_FAILURES, mutations: base.WHARF_RATE_LIMIT_MUTATIONS },
    publicUrl,
    dataDir,
    databaseUrl: base.DATABASE_URL,
    sessionSecret: env.WHARF_SESSION_SECRET || sandboxSessionSecret(dataDir),
    session,
    identity: {
      authority: sandbox.authority,
      knownAuthorities: [new URL(sandbox.authority).host],
      protocolMode: "OIDC",
      tenantId: sandbox.tenantId,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      caFile: sandbox.caFile,
      graphEndpoint: sandbox.graphEndpoint.replace(/\/$/, ""),
      adminAppRole: base.WHARF_ADMIN_APP_ROLE,
      adminGroupId: undefined,
      api: apiConfig(sandbox.clientId, base),
    },
    azure: {
      subscriptionIds: sandbox.subscriptionIds ?? [],
      allowedRegistries: ["contoso.azurecr.io", "mcr.microsoft.com"],
      armEndpoint: sandbox.armEndpoint ?? new URL(sandbox.authority).origin,
      authorityHost: new URL(sandbox.authority).origin,
      // The sandbox serves Log Analytics on its one HTTPS origin; endpoints.json names it.
      logsEndpoint: (sandbox.logsEndpoint ?? `${new URL(sandbox.authority).origin}/v1`).replace(/\/$/, ""),
      logsScope: sandbox.logsScope ?? "https://api.loganalytics.io/.default",
      // Cost Management shares the sandbox's ARM origin and asks for ARM's scope, as against Azure.
      costEndpoint: (sandbox.costEndpoint ?? sandbox.armEndpoint ?? new URL(sandbox.authority).origin).replace(/\/$/, ""),
      costScope: sandbox.costScope ?? "https://management.azure.com/.default",
      // The sandbox's QPU windows, when it runs them faster than Azure's.
      ...(sandbox.costQuotaSpeed !== undefined && sandbox.costQuotaSpeed !== 1 && { costQuotaSpeed: sandbox.costQuotaSpeed }),
      registryEndpoints: sandbox.registryEndpoints ?? {},
    },
    health,
    costs,
    namespaces,
    jobs,
    logLevel: base.LOG_LEVEL,
  };
}

/**
 * Checks everything that does not need the sandbox running, so the launcher
 * can refuse a bad environment before it starts anything.
 */
export function checkEnvironment(env: Env = process.env): WharfMode {
  const mode = resolveMode(env);
  parse(common, env);
  if (mode === "azure") loadConfig(env);
  return mode;
}

let cached: WharfConfig | undefined;

/** The process's configuration, read once. */
export function getConfig(): WharfConfig {
  cached ??= loadConfig();
  return cached;
}

// Health at fleet scale: 2,000 services, each deployed in a namespace on one
// of the sandbox's 3 clusters (so its telemetry lands in the workspace of the
// cluster's environment), with a real Deployment on the cluster so the
// sandbox's synthetic telemetry has 2,000 roles to answer for. The web app
// runs under `scripts/start.ts` with WHARF_WORKER=off; the health poll runs
// in this process, cycle by cycle, so an observer on Wharf's own Log
// Analytics requests counts them (the web process never queries Log
// Analytics: /health and /api/v1/health read the snapshots). Prints, each
// with its target and whether it is met: Log Analytics requests per cycle
// with 0 and with 100 viewers of /health, a cycle's wall time, /health server
// time at 2,000 services, and the sandbox answering the health query over
// 2,000 roles and one hour. Asserts nothing.
//
//   npx tsx bench/health.ts [--services 2000] [--viewers 100] [--cycles 3] [--requests 100] [--keep-build]
//
// At 2,000 roles the sandbox's default 256 MB heap is too small (its clusters' objects alone hold ~180 MB): the
// health query is refused (InsufficientMemoryError, printed per workspace) and every service is unknown.
// SANDBOX_MAX_HEAP_MB (e.g. 1024) raises it, and the bench prints which cap it ran with.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { startBenchWharf } from "./bench-wharf";
import { BenchBrowser } from "./http-session";
import { percentile } from "./process-stats";
import { runBench } from "./run-bench";

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || fallback;
const serviceCount = arg("--services", 2000);
const viewerCount = arg("--viewers", 100);
const cycleCount = arg("--cycles", 3);
const requestCount = arg("--requests", 100);
const keepBuild = process.argv.includes("--keep-build");
const port = Number(process.env.BENCH_PORT ?? 3203);
const base = `http://localhost:${port}`;
const pollSeconds = 5;
const clusters = ["aks-dev-weu", "aks-prod-weu", "aks-lab-neu"] as const;
const namespacesPerCluster = 4;

const met = (ok: boolean) => (ok ? "met" : "NOT met");
const ms = (value: number) => `${value.toFixed(0)} ms`;
const sleep = (millis: number) => new Promise((done) => setTimeout(done, millis));

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/** Server time of one GET as the client sees it: from sending to the last byte. */
async function timed(browser: BenchBrowser, path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, { headers: { cookie: browser.header() }, redirect: "manual" });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
  return performance.now() - started;
}

async function main() {
  const wharf = await startBenchWharf({
    name: "bench-health",
    port,
    keepBuild,
    env: { WHARF_WORKER: "off", WHARF_HEALTH_POLL_SECONDS: String(pollSeconds) },
  });
  const viewers = new AbortController();
  try {
    console.log(`Wharf (${keepBuild ? "existing build" : "rebuilt"}) ready on port ${port} after ${wharf.startSeconds.toFixed(0)} s`);

    const endpointsFile = join(wharf.dataDir, "sandbox", "endpoints.json");
    Object.assign(process.env, {
      DATABASE_URL: wharf.databaseUrl,
      SANDBOX_ENDPOINTS_FILE: endpointsFile,
      WHARF_MODE: "sandbox",
      WHARF_DATA_DIR: wharf.dataDir,
      WHARF_HEALTH_POLL_SECONDS: String(pollSeconds),
      LOG_LEVEL: "warn",
    });
    const { getPrisma } = await import("../lib/db/client");
    const { getConfig } = await import("../lib/config");
    const { observeLogsRequests, queryWorkspace } = await import("../lib/azure/logs");
    const { pollHealth } = await import("../lib/telemetry/poll-health");
    const { healthQuery, mapHealthResult } = await import("../lib/health/queries");
    const { renderDeployment } = await import("../lib/deployments/render");
    const prisma = getPrisma();
    const config = getConfig();

    // 2,000 services of one team, spread over 3 clusters × 4 namespaces; each with a role name and a succeeded deployment.
    const setup = performance.now();
    const team = await prisma.team.create({ data: { slug: "bench-health", name: "Bench Health", entraGroupIds: [] } });
    const clusterRows = await prisma.cluster.findMany({ where: { name: { in: [...clusters] } } });
    const namespaces: { id: string; name: string; cluster: { name: string } }[] = [];
    for (const cluster of clusterRows) {
      for (let n = 0; n < namespacesPerCluster; n++) {
        namespaces.push(
          await prisma.namespace.create({
            data: {
              clusterId: cluster.id,
              teamId: team.id,
              name: `bench-health-${cluster.environment}-${n}`,
              environment: cluster.environment!,
              costCenter: "CC-BENCH",
              quota: {},
              containerDefaults: {},
              status: "ready",
              readyAt: new Date(),
            },
            include: { cluster: true },
          }),
        );
      }
    }
    const deploySpec = {
      imageRepository: "contoso.azurecr.io/bench/svc",
      port: 8080,
      replicas: 1,
      cpuRequest: "10m",
      cpuLimit: "100m",
      memoryRequest: "16Mi",
      memoryLimit: "64Mi",
      readinessPath: "/healthz",
      livenessPath: "/healthz",
    };
    const tiers = ["critical", "standard", "experimental"];
    const services = Array.from({ length: serviceCount }, (_, i) => ({
      id: crypto.randomUUID(),
      slug: `bench-svc-${i}`,
      displayName: `Bench service ${i}`,
      ownerTeamId: team.id,
      tier: tiers[i % 3]!,
      lifecycle: "production",
      appInsightsRoleName: `Bench.Svc${i}`,
      deploySpec,
      searchText: `bench service ${i}`,
    }));
    await prisma.service.createMany({ data: services });
    const placed = services.map((service, i) => ({ service, namespace: namespaces[i % namespaces.length]! }));
    const at = new Date();
    await prisma.deployment.createMany({
      data: placed.map(({ service, namespace }) => {
        const manifest = renderDeployment({
          service: { slug: service.slug, appInsightsRoleName: service.appInsightsRoleName },
          deploySpec,
          team: { slug: team.slug },
          namespace: { name: namespace.name },
          image: { tag: "1.0.0" },
          changeCause: "bench",
          revision: 1,
        });
        return {
          serviceId: service.id,
          namespaceId: namespace.id,
          teamId: team.id,
          requestedByName: "bench",
          revision: 1,
          kind: "deploy",
          imageTag: "1.0.0",
          image: `${deploySpec.imageRepository}:1.0.0`,
          replicas: 1,
          manifest: manifest as object,
          manifestYaml: "",
          status: "succeeded",
          desiredReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          updatedReplicas: 1,
          startedAt: at,
          finishedAt: at,
        };
      }),
    });

    // The same Deployments on the clusters, created through the Kubernetes API as Wharf's rollout would apply them.
    const endpoints = JSON.parse(readFileSync(endpointsFile, "utf8")) as { port: number; caFile: string };
    const tokens = JSON.parse(readFileSync(join(wharf.dataDir, "sandbox", "cluster-tokens.json"), "utf8")) as Record<string, string>;
    const client = (cluster: string) => {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions({
        clusters: [{ name: cluster, server: `https://localhost:${endpoints.port}/k8s/${cluster}`, caData: readFileSync(endpoints.caFile).toString("base64") }],
        users: [{ name: "bench", token: tokens[cluster]! }],
        contexts: [{ name: "bench", cluster, user: "bench" }],
        currentContext: "bench",
      });
      return { core: kubeConfig.makeApiClient(CoreV1Api), apps: kubeConfig.makeApiClient(AppsV1Api) };
    };
    const clients = new Map(clusters.map((cluster) => [cluster, client(cluster)]));
    for (const namespace of namespaces)
      await clients.get(namespace.cluster.name as (typeof clusters)[number])!.core.createNamespace({ body: { metadata: { name: namespace.name } } });
    await inBatches(placed, 25, async ({ service, namespace }) => {
      const { deployment } = renderDeployment({
        service: { slug: service.slug, appInsightsRoleName: service.appInsightsRoleName },
        deploySpec,
        team: { slug: team.slug },
        namespace: { name: namespace.name },
        image: { tag: "1.0.0" },
        changeCause: "bench",
        revision: 1,
      });
      await clients
        .get(namespace.cluster.name as (typeof clusters)[number])!
        .apps.createNamespacedDeployment({ namespace: namespace.name, body: deployment as never });
    });
    console.log(
      `${serviceCount} services, ${namespaces.length} namespaces on ${clusters.length} clusters and their Deployments set up in ${((performance.now() - setup) / 1000).toFixed(1)} s`,
    );

    // Log Analytics requests, counted where Wharf sends them (the poller is this process's only Log Analytics client).
    let logsRequests = 0;
    observeLogsRequests(() => void (logsRequests += 1));
    const workspaceCount = await (async () => {
      // The first cycle discovers the workspaces and components through ARM; later cycles reuse them.
      await pollHealth({ config, syncTimeoutMs: 120_000 });
      return prisma.telemetryWorkspace.count({ where: { missingSince: null } });
    })();

    async function cycles(label: string): Promise<{ requests: number[]; wall: number[]; waited: number[]; summary: Awaited<ReturnType<typeof pollHealth>> }> {
      const requests: number[] = [];
      const wall: number[] = [];
      const waited: number[] = [];
      let summary!: Awaited<ReturnType<typeof pollHealth>>;
      for (let i = 0; i < cycleCount; i++) {
        await sleep(pollSeconds * 1000); // a workspace is due once per cycle
        const before = logsRequests;
        const t0 = performance.now();
        summary = await pollHealth({ config });
        wall.push(performance.now() - t0);
        waited.push(summary.phases["log analytics"] ?? 0);
        requests.push(logsRequests - before);
      }
      console.log(
        `  ${label}: ${summary.services} services judged; states ${JSON.stringify(summary.states)}; workspace errors ${summary.workspaceErrors.length}`,
      );
      for (const { workspace, error } of summary.workspaceErrors) console.log(`    ${workspace}: ${error}`);
      console.log(
        `    last cycle's phases (ms): ${Object.entries(summary.phases)
          .map(([name, millis]) => `${name} ${millis}`)
          .join(", ")}`,
      );
      return { requests, wall, waited, summary };
    }

    const quiet = await cycles("0 viewers");

    // 100 viewers with /health open: each loads the page, then refetches the API on every health:fleet notice, as the board does.
    const personas = ["payments", "orders", "both", "admin", "viewer"] as const;
    const sessions: BenchBrowser[] = [];
    for (const persona of personas) {
      const browser = new BenchBrowser();
      await browser.signIn(base, persona);
      sessions.push(browser);
    }
    let viewerRequests = 0;
    let viewerErrors = 0;
    for (let v = 0; v < viewerCount; v++) {
      const browser = sessions[v % sessions.length]!;
      void (async () => {
        while (!viewers.signal.aborted) {
          try {
            await timed(browser, v % 2 === 0 ? "/health" : "/api/v1/health");
            viewerRequests += 1;
          } catch {
            if (!viewers.signal.aborted) viewerErrors += 1;
          }
          await sleep(pollSeconds * 1000 * Math.random());
        }
      })();
    }
    const busy = await cycles(`${viewerCount} viewers`);
    viewers.abort();
    await sleep(1000);

    // /health server time at 2,000 services, one request at a time after a warm-up.
    const reader = sessions[3]!;
    for (let i = 0; i < 10; i++) await timed(reader, "/health");
    const page: number[] = [];
    for (let i = 0; i < requestCount; i++) page.push(await timed(reader, "/health"));
    const apiTimes: number[] = [];
    for (let i = 0; i < Math.min(requestCount, 30); i++) apiTimes.push(await timed(reader, "/api/v1/health"));
    // A deep page with filters and another order: the database pages, so it costs what the first page does.
    const deepPath = "/health?environment=dev&sort=service&page=10";
    const deep: number[] = [];
    for (let i = 0; i < Math.min(requestCount, 30); i++) deep.push(await timed(reader, deepPath));

    // The sandbox answering the health query over 2,000 roles and one hour, per workspace (HTTPS and the SDK included).
    const roles = services.map((service) => service.appInsightsRoleName);
    const workspaces = await prisma.telemetryWorkspace.findMany({ where: { missingSince: null } });
    const evaluation: { name: string; times: number[]; rows: number; failure?: string }[] = [];
    for (const workspace of workspaces) {
      const query = healthQuery({ roles, windowMinutes: 60 });
      const times: number[] = [];
      let rows = 0;
      let failure: string | undefined;
      for (let i = 0; i < 3 && !failure; i++) {
        const t0 = performance.now();
        const outcome = await queryWorkspace(config, { workspaceId: workspace.customerId, query: query.text, timespan: query.timespan });
        times.push(performance.now() - t0);
        // A refusal (the sandbox's heap, say) is a figure too: printed with the others rather than ending the run.
        if (outcome.status !== "success") failure = outcome.status === "failed" ? outcome.error.message : JSON.stringify(outcome);
        else rows = mapHealthResult(outcome.tables).window.length;
      }
      evaluation.push({ name: workspace.name, times, rows, ...(failure && { failure }) });
    }

    page.sort((a, b) => a - b);
    apiTimes.sort((a, b) => a - b);
    deep.sort((a, b) => a - b);
    const allRequests = [...quiet.requests, ...busy.requests];
    const allWall = [...quiet.wall, ...busy.wall];
    const worstEval = Math.max(...evaluation.flatMap((e) => e.times));
    console.log(
      `\nHealth at ${serviceCount} services, ${workspaceCount} workspaces, ${clusters.length} clusters (sandbox heap cap ${Number(process.env.SANDBOX_MAX_HEAP_MB) || 256} MB; load average ${loadavg()[0]!.toFixed(1)}):`,
    );
    console.log(
      `- Log Analytics requests per cycle, 0 viewers: ${quiet.requests.join(", ")}; ${viewerCount} viewers: ${busy.requests.join(", ")} (${viewerRequests} viewer requests, ${viewerErrors} failed) — target exactly ${workspaceCount} (one per workspace): ${met(allRequests.every((n) => n === workspaceCount))}`,
    );
    console.log(
      `- poll cycle wall time, 0 viewers: ${quiet.wall.map(ms).join(", ")}; ${viewerCount} viewers: ${busy.wall.map(ms).join(", ")} — target < 10 s: ${met(Math.max(...allWall) < 10_000)}`,
    );
    const own = (run: { wall: number[]; waited: number[] }) => run.wall.map((wall, i) => ms(wall - run.waited[i]!)).join(", ");
    console.log(
      `  of which waiting for Log Analytics (the sandbox's KQL evaluator), 0 viewers: ${quiet.waited.map(ms).join(", ")}; ${viewerCount} viewers: ${busy.waited.map(ms).join(", ")}`,
    );
    console.log(`  Wharf's own part (the cycle less that wait), 0 viewers: ${own(quiet)}; ${viewerCount} viewers: ${own(busy)}`);
    console.log(
      `- /health server time p50 / p95 / max (${requestCount} requests): ${ms(percentile(page, 50))} / ${ms(percentile(page, 95))} / ${ms(Math.max(...page))} — target p95 < 150 ms: ${met(percentile(page, 95) < 150)}`,
    );
    console.log(`- /api/v1/health p50 / p95 (${apiTimes.length} requests): ${ms(percentile(apiTimes, 50))} / ${ms(percentile(apiTimes, 95))}`);
    console.log(`- ${deepPath} p50 / p95 (${deep.length} requests): ${ms(percentile(deep, 50))} / ${ms(percentile(deep, 95))}`);
    for (const e of evaluation)
      console.log(
        `- sandbox health query, ${roles.length} roles asked, 1 h, ${e.name}: ${e.times.map(ms).join(", ")} ` +
          (e.failure ? `(FAILED: ${e.failure})` : `(${e.rows} roles answered)`),
      );
    console.log(`  — target < 2 s: ${met(worstEval < 2000 && evaluation.every((e) => !e.failure))}`);
    // Tells whether anyone else's process (the web) asked: the poller's own count must match the cycles it ran.
    console.log(`- snapshots written: ${await prisma.serviceHealth.count()}`);
  } finally {
    viewers.abort();
    await wharf.stop();
    await (
      await import("../lib/db/client")
    )
      .getPrisma()
      .$disconnect()
      .catch(() => undefined);
  }
}

runBench(main);

// Namespace provisioning: from an admin's approval to "ready" on a sandbox
// cluster, one at a time and 200 at once. Prints latency percentiles, the
// Kubernetes write calls per namespace and the most writes in flight on one
// cluster (against WHARF_CLUSTER_WRITE_CONCURRENCY). Asserts nothing.
//
//   npx tsx bench/namespaces.ts [--sequential 20] [--burst 200]
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { freePort } from "../lib/net/free-port";
import { startSandbox } from "../sandbox/server";
import { percentile } from "./process-stats";
import { runBench } from "./run-bench";

const root = resolve(import.meta.dirname, "..");
const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || fallback;
const sequential = arg("--sequential", 20);
const burst = arg("--burst", 200);
const dataDir = join(root, ".data", "bench-namespaces");

async function main() {
  rmSync(dataDir, { recursive: true, force: true });
  const database = await startEmbeddedPostgres({ dataDir: join(dataDir, "pg"), port: await freePort() });
  await applyMigrations(database.url);
  const sandbox = await startSandbox({ dataDir, port: 0 });
  Object.assign(process.env, { DATABASE_URL: database.url, SANDBOX_ENDPOINTS_FILE: sandbox.endpointsFile, WHARF_MODE: "sandbox", LOG_LEVEL: "warn" });

  // Imported after the environment is set: they read it when first used.
  const { getPrisma } = await import("../lib/db/client");
  const { getConfig } = await import("../lib/config");
  const { refreshClusters } = await import("../lib/clusters/refresh-clusters");
  const { requestNamespace } = await import("../lib/namespaces/request-namespace");
  const { decideNamespaceRequest } = await import("../lib/namespaces/decide-namespace-request");
  const { suggestedDefaults, suggestedQuota } = await import("../lib/namespaces/namespace-input");
  const { startWorker } = await import("../lib/jobs/worker");
  const { jobDefinitions } = await import("../lib/worker/job-registry");
  const { observeKubeRequests } = await import("../lib/kubernetes/request");

  const prisma = getPrisma();
  const team = await prisma.team.create({ data: { slug: "bench", name: "Bench", entraGroupIds: ["0c9d7e8f-2222-4c6a-9f00-000000000001"] } });
  const user = async (name: string, admin: boolean) =>
    prisma.user.create({
      data: {
        entraObjectId: randomBytes(8).toString("hex"),
        tenantId: "t",
        name,
        email: `${name}@example.com`,
        groupIds: [],
        appRoles: admin ? [getConfig().identity.adminAppRole] : [],
        lastSignInAt: new Date(),
      },
    });
  const memberRow = await user("member", false);
  const adminRow = await user("admin", true);
  const member = {
    kind: "user" as const,
    userId: memberRow.id,
    name: "member",
    email: memberRow.email,
    isAdmin: false,
    teams: [{ id: team.id, slug: team.slug, name: team.name }],
  };
  const admin = { kind: "user" as const, userId: adminRow.id, name: "admin", email: adminRow.email, isAdmin: true, teams: [] };
  await refreshClusters({ actor: { kind: "system", name: "bench" } });
  const cluster = await prisma.cluster.findFirstOrThrow({ where: { name: "aks-dev-weu" } });
  // An admin raises the per-team limit for the burst.
  await prisma.namespacePolicy.create({ data: { environment: "dev", ceilings: {}, maxNamespacesPerTeam: sequential + burst + 10 } });

  const writesPerNamespace = new Map<string, number>();
  const inFlight = new Map<string, number>();
  let maxInFlight = 0;
  observeKubeRequests((event) => {
    if (event.method === "GET") return;
    if (event.phase === "start") {
      const namespace = /\/namespaces\/([^/?]+)/.exec(event.path)?.[1];
      if (namespace) writesPerNamespace.set(namespace, (writesPerNamespace.get(namespace) ?? 0) + 1);
      const now = (inFlight.get(event.server) ?? 0) + 1;
      inFlight.set(event.server, now);
      maxInFlight = Math.max(maxInFlight, now);
    } else {
      inFlight.set(event.server, (inFlight.get(event.server) ?? 1) - 1);
    }
  });

  const worker = await startWorker({ definitions: jobDefinitions, queues: ["namespace.provision"] });
  const waitReady = async (ids: string[]) => {
    const readyAt = new Map<string, number>();
    while (readyAt.size < ids.length) {
      const rows = await prisma.namespace.findMany({
        where: { id: { in: ids.filter((id) => !readyAt.has(id)) }, status: { in: ["ready", "failed"] } },
        select: { id: true, status: true, statusMessage: true },
      });
      for (const row of rows) {
        if (row.status === "failed") throw new Error(`provisioning failed: ${row.statusMessage}`);
        readyAt.set(row.id, performance.now());
      }
      await new Promise((done) => setTimeout(done, 20));
    }
    return readyAt;
  };
  const request = (name: string) =>
    requestNamespace({
      actor: member,
      input: {
        teamId: team.id,
        clusterId: cluster.id,
        name,
        quota: suggestedQuota,
        containerDefaults: suggestedDefaults,
        justification: "benchmark namespace",
      },
    });

  try {
    const latencies: number[] = [];
    for (let i = 0; i < sequential; i++) {
      const created = await request(`bench-seq-${i}`);
      const approvedAt = performance.now();
      const { namespaceId } = await decideNamespaceRequest({ actor: admin, requestId: created.id, input: { decision: "approve" } });
      const readyAt = await waitReady([namespaceId!]);
      latencies.push(readyAt.get(namespaceId!)! - approvedAt);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `approval to ready, one at a time (${sequential}): p50 ${(percentile(latencies, 50) / 1000).toFixed(2)} s   p95 ${(percentile(latencies, 95) / 1000).toFixed(2)} s   (target p95 < 3 s)`,
    );

    const requests = [];
    for (let i = 0; i < burst; i++) requests.push(await request(`bench-burst-${i}`));
    maxInFlight = 0;
    const started = performance.now();
    const decisions = await Promise.all(requests.map((r) => decideNamespaceRequest({ actor: admin, requestId: r.id, input: { decision: "approve" } })));
    const ids = decisions.map((d) => d.namespaceId!);
    const readyAt = await waitReady(ids);
    const all = [...readyAt.values()].map((at) => at - started).sort((a, b) => a - b);
    const burstWrites = [...writesPerNamespace.entries()].filter(([name]) => name.startsWith("bench-burst-")).map(([, count]) => count);
    const limit = getConfig().namespaces.writeConcurrencyPerCluster;
    console.log(`${burst} approved at once: all ready after ${(all.at(-1)! / 1000).toFixed(1)} s (p50 ${(percentile(all, 50) / 1000).toFixed(1)} s)`);
    console.log(`Kubernetes write calls per namespace: max ${Math.max(...burstWrites)}, min ${Math.min(...burstWrites)}   (target at most 6)`);
    console.log(`most writes in flight on one cluster: ${maxInFlight}   (configured concurrency per cluster ${limit})`);
  } finally {
    await worker.stop();
    await sandbox.close();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);

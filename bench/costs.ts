// Cost at scale: 500 namespaces on 3 clusters (50 teams, one service each)
// with 90 days of resource-hour samples, each cluster billed per day (its
// resource and six node resource group resources) and 100 tagged Azure
// resources a day outside the clusters, in an embedded PostgreSQL; each
// cluster's node capacity per day (a quarter more than its namespaces request,
// so a fifth of it idle) and kube-system's requests as a system namespace, as
// the sample stores them since decisions 0056 and 0058 (the default rule: idle
// and system apart). Stores the
// allocation as a sync does (decision 0035) and prints how long that took;
// then times the read behind /costs and GET /api/v1/costs (getCosts, in this
// process, without HTTP) for 90 days per grouping, as an admin and as a team
// member, both ways: before (allocating rows and samples per read) and after
// (reading the stored allocation), with p50/p95 against the target
// (p95 < 150 ms). Asserts nothing (the tests hold the two ways equal).
//
//   npx tsx bench/costs.ts [--namespaces 500] [--days 90] [--runs 20]
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { freePort } from "../lib/net/free-port";
import { percentile } from "./process-stats";
import { runBench } from "./run-bench";

const root = resolve(import.meta.dirname, "..");
const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || fallback;
const namespaceCount = arg("--namespaces", 500);
const dayCount = arg("--days", 90);
const runs = arg("--runs", 20);
const dataDir = join(root, ".data", "bench-costs");
const subscriptionId = "00000000-0000-0000-0000-00000000be0c";

async function main() {
  rmSync(dataDir, { recursive: true, force: true });
  const database = await startEmbeddedPostgres({ dataDir: join(dataDir, "pg"), port: await freePort() });
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  const { getPrisma } = await import("../lib/db/client");
  const { getCosts } = await import("../lib/costs/get-costs");
  const { costGroupings } = await import("../lib/costs/cost-report");
  const { refreshCostAllocationNow } = await import("../lib/costs/cost-allocation");
  const prisma = getPrisma();
  try {
    const seedStarted = performance.now();
    const teams = await Promise.all(
      Array.from({ length: 50 }, (_, i) => prisma.team.create({ data: { slug: `team-${i}`, name: `Team ${i}`, entraGroupIds: [] } })),
    );
    const clusters = await Promise.all(
      [0, 1, 2].map((i) =>
        prisma.cluster.create({
          data: {
            armId: `/subscriptions/${subscriptionId}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-${i}`,
            name: `aks-${i}`,
            subscriptionId,
            resourceGroup: "rg-aks",
            location: "westeurope",
          },
        }),
      ),
    );
    for (let i = 0; i < namespaceCount; i += 100) {
      await prisma.service.createMany({
        data: Array.from({ length: Math.min(100, namespaceCount - i) }, (_, k) => ({
          slug: `svc-${i + k}`,
          displayName: `Service ${i + k}`,
          ownerTeamId: teams[(i + k) % 50]!.id,
          tier: "standard",
          lifecycle: "production",
          tags: [],
          searchText: "",
        })),
      });
    }
    const end = Date.parse("2026-11-30T00:00:00Z");
    const days = Array.from({ length: dayCount }, (_, d) => new Date(end - (dayCount - 1 - d) * 86_400_000));
    const asOf = new Date();
    for (const day of days) {
      const nsRows = Array.from({ length: namespaceCount }, (_, n) => ({
        clusterId: clusters[n % 3]!.id,
        namespace: `ns-${n}`,
        day,
        teamId: teams[n % 50]!.id,
        cpuCoreHours: 2 + ((n * 7 + day.getUTCDate()) % 11),
        memoryGiBHours: 4 + ((n * 13 + day.getUTCDate()) % 17),
        sampledSeconds: 86_400,
        updatedAt: asOf,
      }));
      // kube-system's add-ons on each cluster (no team), and each cluster's allocatable hours: its requests and a quarter more.
      const systemRows = clusters.map((cluster) => ({
        clusterId: cluster.id,
        namespace: "kube-system",
        day,
        teamId: null,
        cpuCoreHours: 24 * 1.5,
        memoryGiBHours: 24 * 3,
        sampledSeconds: 86_400,
        updatedAt: asOf,
      }));
      await prisma.namespaceResourceHours.createMany({ data: [...nsRows, ...systemRows] });
      await prisma.clusterCapacityHours.createMany({
        data: clusters.map((cluster) => {
          const requested = [...nsRows, ...systemRows].filter((row) => row.clusterId === cluster.id);
          const sum = (key: "cpuCoreHours" | "memoryGiBHours") => requested.reduce((total, row) => total + row[key], 0);
          return {
            clusterId: cluster.id,
            day,
            cpuCoreHours: sum("cpuCoreHours") * 1.25,
            memoryGiBHours: sum("memoryGiBHours") * 1.25,
            sampledSeconds: 86_400,
            updatedAt: asOf,
          };
        }),
      });
      await prisma.serviceResourceHours.createMany({
        data: nsRows.map((row, n) => ({
          clusterId: row.clusterId,
          namespace: row.namespace,
          service: `svc-${n}`,
          day,
          cpuCoreHours: row.cpuCoreHours * 0.8,
          memoryGiBHours: row.memoryGiBHours * 0.8,
        })),
      });
      const costRows = clusters.flatMap((cluster, c) => [
        { resourceId: cluster.armId.toLowerCase(), resourceGroup: "rg-aks", costMinor: 216n },
        ...Array.from({ length: 6 }, (_, r) => ({
          resourceId: `/subscriptions/${subscriptionId}/resourcegroups/mc_rg-aks_aks-${c}_westeurope/providers/microsoft.compute/virtualmachinescalesets/pool${r}`,
          resourceGroup: `mc_rg-aks_aks-${c}_westeurope`,
          costMinor: BigInt(10_000 + ((r * 31 + day.getUTCDate() * 7) % 997)),
        })),
      ]);
      const tagged = Array.from({ length: 100 }, (_, r) => ({
        resourceId: `/subscriptions/${subscriptionId}/resourcegroups/rg-team-${r % 50}/providers/microsoft.cache/redis/r${r}`,
        resourceGroup: `rg-team-${r % 50}`,
        costMinor: BigInt(300 + r),
        team: `team-${r % 50}`,
        service: `svc-${r}`,
      }));
      await prisma.costRow.createMany({
        data: [...costRows, ...tagged].map((row) => ({ scope: `subscriptions/${subscriptionId}`, date: day, currency: "EUR", asOf, ...row })),
      });
    }
    console.log(
      `seeded ${namespaceCount} namespaces × ${dayCount} days (${namespaceCount * dayCount} resource-hour rows per table, ` +
        `${dayCount * 3} capacity and ${dayCount * 3} kube-system rows, ${dayCount * (21 + 100)} cost rows) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );

    const refreshStarted = performance.now();
    const range = { from: days[0]!.toISOString().slice(0, 10), to: days.at(-1)!.toISOString().slice(0, 10) };
    const { cells } = await refreshCostAllocationNow(range);
    const oneDay = performance.now();
    await refreshCostAllocationNow({ from: range.to, to: range.to });
    console.log(
      `stored allocation: ${cells} cells for ${dayCount} days in ${((oneDay - refreshStarted) / 1000).toFixed(1)} s (a sync's months); ` +
        `one day (a sample) in ${(performance.now() - oneDay).toFixed(0)} ms`,
    );

    const config = { azure: { subscriptionIds: [subscriptionId] }, costs: { syncHours: 6, sampleMinutes: 5 } } as unknown as Parameters<
      typeof getCosts
    >[0]["config"];
    const admin = { kind: "user" as const, userId: "u", name: "Admin", email: "a@example.com", isAdmin: true, teams: [] };
    const member = {
      kind: "user" as const,
      userId: "m",
      name: "Member",
      email: "m@example.com",
      isAdmin: false,
      teams: [{ id: teams[3]!.id, slug: "team-3", name: "Team 3" }],
    };
    const query = range;
    const now = new Date(end + 86_400_000);
    console.log(`getCosts over ${dayCount} days (${query.from} to ${query.to}), ${runs} runs each after 3 warm-ups; target p95 < 150 ms`);
    for (const [who, actor] of [
      ["admin", admin],
      ["member", member],
    ] as const) {
      for (const groupBy of costGroupings) {
        for (const source of ["computed", "stored"] as const) {
          for (let i = 0; i < 3; i++) await getCosts({ actor, query: { ...query, groupBy }, now, config, source });
          const times: number[] = [];
          let lines = 0;
          for (let i = 0; i < runs; i++) {
            const started = performance.now();
            const view = await getCosts({ actor, query: { ...query, groupBy }, now, config, source });
            times.push(performance.now() - started);
            lines = view.lines.length;
          }
          times.sort((a, b) => a - b);
          const p95 = percentile(times, 95);
          console.log(
            `${who.padEnd(7)} groupBy=${groupBy.padEnd(10)} ${(source === "computed" ? "before (allocated per read)" : "after (stored allocation)").padEnd(28)} ` +
              `${String(lines).padStart(4)} lines   p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms   ${p95 < 150 ? "met" : "NOT met"}`,
          );
        }
      }
    }
  } finally {
    await prisma.$disconnect();
    await database.stop();
  }
}

runBench(main);

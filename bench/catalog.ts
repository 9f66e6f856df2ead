// Catalog at scale: 50,000 services. Prints p50/p95 of each line of issue 20's
// table (by slug, a deep page by cursor and by page number, first page, owner
// filter with ~100 hits, search, sorted), the catalog page's first byte, and the
// web process's memory after the runs. Asserts nothing. One client, keep-alive,
// sequential: times are the round trip from this process.
//
//   npx tsx bench/catalog.ts [--services 50000] [--requests 200] [--no-rebuild] [--no-import] [--no-worker]
import { rmSync } from "node:fs";
import pg from "pg";
import { startBenchWharf } from "./bench-wharf";
import { BenchBrowser } from "./http-session";
import { loadavg } from "node:os";
import { percentile, postgresCpuSeconds, webCpuSeconds, webMemoryMb } from "./process-stats";
import { runBench } from "./run-bench";

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || fallback;
const total = arg("--services", 50_000);
const requests = arg("--requests", 200);
const port = Number(process.env.BENCH_PORT ?? 3201);
const base = `http://localhost:${port}`;

const words = [
  "payment",
  "order",
  "ledger",
  "drone",
  "delivery",
  "inventory",
  "stock",
  "fleet",
  "route",
  "invoice",
  "cart",
  "checkout",
  "refund",
  "fraud",
  "shipment",
  "warehouse",
  "pricing",
  "catalog",
  "search",
  "notify",
  "identity",
  "audit",
  "report",
  "billing",
  "scheduler",
  "telemetry",
  "gateway",
  "events",
  "cache",
  "sync",
];
const languages = ["Go", "C#", "TypeScript", "Java", "Python", "Kotlin", "Rust"];
const tiers = ["critical", "standard", "experimental"];
const lifecycles = ["production", "experimental", "deprecated"];

async function seed(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const teams = (await client.query<{ id: string }>('SELECT id FROM "Team" ORDER BY slug')).rows.map((row) => row.id);
  const owner = await client.query<{ slug: string }>(
    `INSERT INTO "Team" (id, slug, name, "entraGroupIds", "updatedAt") VALUES (gen_random_uuid(), 'bench-owners', 'Bench Owners', '{}', now()) RETURNING slug`,
  );
  const started = performance.now();
  // One statement: the bench's setup, not Wharf's write path.
  await client.query(
    `INSERT INTO "Service" (id, slug, "displayName", description, "ownerTeamId", language, tier, lifecycle, tags, links, "searchText", "updatedAt")
     SELECT gen_random_uuid(), s.slug, s.name, s.description, ($1::uuid[])[1 + i % array_length($1::uuid[], 1)], ($2::text[])[1 + i % 7], ($3::text[])[1 + i % 3], ($4::text[])[1 + (i / 7) % 3],
            ARRAY[s.w1, s.w2], '{}'::jsonb, lower(s.slug || ' ' || s.name || ' ' || s.description || ' ' || s.w1 || ' ' || s.w2), now() - (i || ' minutes')::interval
     FROM generate_series(1, $5::int) AS i,
     LATERAL (SELECT ($6::text[])[1 + i % 30] AS w1, ($6::text[])[1 + (i / 30) % 30] AS w2, ($6::text[])[1 + (i / 900) % 30] AS w3) AS w,
     LATERAL (SELECT w.w1 || '-' || w.w2 || '-' || w.w3 || '-' || i AS slug,
                     initcap(w.w1) || ' ' || initcap(w.w2) || ' ' || i AS name,
                     'Handles ' || w.w2 || ' ' || w.w3 || ' for the ' || w.w1 || ' domain.' AS description, w.w1, w.w2) AS s`,
    [teams, languages, tiers, lifecycles, total, words],
  );
  // The owner filter's line: one team with 100 services.
  await client.query(
    `UPDATE "Service" SET "ownerTeamId" = (SELECT id FROM "Team" WHERE slug = 'bench-owners')
     WHERE slug IN (SELECT slug FROM "Service" WHERE "retiredAt" IS NULL ORDER BY md5(slug) LIMIT 100)`,
  );
  await client.query('ANALYZE "Service"');
  const slugs = (await client.query<{ slug: string }>('SELECT slug FROM "Service" ORDER BY md5(slug) LIMIT 200')).rows.map((row) => row.slug);
  await client.end();
  return { seconds: (performance.now() - started) / 1000, ownerTeam: owner.rows[0]!.slug, slugs };
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(" ");

function memory(pid: number): string {
  const { rss, anon, file } = webMemoryMb(pid);
  return `${rss.toFixed(0)} MB (${anon.toFixed(0)} MB anonymous: heaps and native allocations; ${file.toFixed(0)} MB mapped files: code)`;
}

async function timed(browser: BenchBrowser, path: string, firstByte = false): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, { headers: { cookie: browser.header() } });
  if (firstByte) {
    const reader = response.body!.getReader();
    await reader.read();
    const elapsed = performance.now() - started;
    await reader.cancel();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    return elapsed;
  }
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  return performance.now() - started;
}

/** Walks the list by cursor, 100 a page, to just past `item`; the cursor of the page that starts at item + 1, or null without cursors. */
async function cursorTo(browser: BenchBrowser, item: number): Promise<{ cursor: string | null; pageTimes: number[] }> {
  let path = "/api/v1/services?pageSize=100";
  const pageTimes: number[] = [];
  for (let seen = 0; seen < item; seen += 100) {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { headers: { cookie: browser.header() } });
    const body = (await response.json()) as { next?: string | null };
    pageTimes.push(performance.now() - started);
    if (!body.next) return { cursor: null, pageTimes };
    path = body.next;
  }
  return { cursor: new URL(path, base).searchParams.get("cursor"), pageTimes };
}

let launcherPid = 0;

/**
 * Round trip p50/p95, and the CPU each request cost the web process and PostgreSQL (their CPU time over the series, from
 * /proc, divided by the requests): on a loaded machine the round trip includes waiting for a core, the CPU does not.
 */
async function series(name: string, paths: string[], browser: BenchBrowser, firstByte = false) {
  for (const path of paths.slice(0, 10)) await timed(browser, path, firstByte);
  const times: number[] = [];
  const webBefore = webCpuSeconds(launcherPid);
  const databaseBefore = postgresCpuSeconds(process.pid);
  for (let i = 0; i < requests; i++) times.push(await timed(browser, paths[i % paths.length]!, firstByte));
  const webCpu = ((webCpuSeconds(launcherPid) - webBefore) * 1000) / requests;
  const databaseCpu = ((postgresCpuSeconds(process.pid) - databaseBefore) * 1000) / requests;
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(60)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms   ` +
      `CPU web ${webCpu.toFixed(1).padStart(5)} ms, PostgreSQL ${databaseCpu.toFixed(1).padStart(5)} ms a request`,
  );
}

async function main() {
  // --no-worker: no pg-boss worker in the web process (its jobs, e.g. the health poll over every service, would count in
  // the CPU per request).
  const wharf = await startBenchWharf({
    name: "bench-catalog",
    port,
    keepBuild: process.argv.includes("--no-rebuild"),
    env: process.argv.includes("--no-worker") ? { WHARF_WORKER: "off" } : {},
  });
  const web = wharf.launcher;
  launcherPid = web.pid!;
  try {
    const { seconds, ownerTeam, slugs } = await seed(wharf.databaseUrl);
    console.log(`seeded ${total} services in ${seconds.toFixed(1)} s; ${requests} requests a line, one client, sequential; load average ${load()}`);
    const browser = new BenchBrowser();
    await browser.signIn(base, "payments");
    // What the processes spend with no request at all: the share of each line's CPU that is not the requests'.
    const idleWeb = webCpuSeconds(launcherPid);
    const idleDatabase = postgresCpuSeconds(process.pid);
    await new Promise((done) => setTimeout(done, 10_000));
    console.log(
      `idle, 10 s before the lines: web ${((webCpuSeconds(launcherPid) - idleWeb) * 10).toFixed(1)} % of a core, ` +
        `PostgreSQL ${((postgresCpuSeconds(process.pid) - idleDatabase) * 10).toFixed(1)} %` +
        (process.argv.includes("--no-worker") ? " (WHARF_WORKER=off)" : " (the pg-boss worker runs in the web process; --no-worker leaves it out)"),
    );

    await series(
      "one service by slug: GET /api/v1/services/{slug}",
      slugs.map((slug) => `/api/v1/services/${slug}`),
      browser,
    );
    const item = Math.min(25_000, Math.floor(total / 2 / 100) * 100);
    const walk = await cursorTo(browser, item);
    if (walk.cursor) {
      walk.pageTimes.sort((a, b) => a - b);
      console.log(
        `${`(cursor walk to item ${item}, 100 a page: ${walk.pageTimes.length} pages)`.padEnd(60)} p50 ${percentile(walk.pageTimes, 50).toFixed(1).padStart(7)} ms` +
          `   p95 ${percentile(walk.pageTimes, 95).toFixed(1).padStart(7)} ms`,
      );
      await series(`a deep page (item ${item + 1}), by cursor, 20 a page`, [`/api/v1/services?pageSize=20&cursor=${walk.cursor}`], browser);
    } else console.log(`a deep page by cursor: not offered by this version (no next in the body)`);
    await series(`a deep page (item ${item}), page=${item / 20} (offset), 20 a page`, [`/api/v1/services?pageSize=20&page=${item / 20}`], browser);
    await series("first page, no filter: GET /api/v1/services", ["/api/v1/services"], browser);
    await series(`owner filter, 100 hits: ?team=${ownerTeam}`, [`/api/v1/services?team=${ownerTeam}`], browser);
    const searches = words.flatMap((a, i) => [`${a}`, `${a} ${words[(i + 7) % words.length]}`]);
    await series(
      "search: ?q=<one or two words>",
      searches.map((q) => `/api/v1/services?q=${encodeURIComponent(q)}`),
      browser,
    );
    await series("sorted: ?sort=updated&order=desc", ["/api/v1/services?sort=updated&order=desc"], browser);
    await series("sorted: ?sort=team", ["/api/v1/services?sort=team"], browser);
    await series(
      "filters: ?tier&lifecycle&language&team=mine",
      ["/api/v1/services?tier=critical&lifecycle=production&language=Go&team=mine", "/api/v1/services?tier=standard&sort=updated&order=desc"],
      browser,
    );
    await series(
      "GET /catalog?q=... (page, time to first byte)",
      searches.slice(0, 20).map((q) => `/catalog?q=${encodeURIComponent(q)}`),
      browser,
      true,
    );
    // Whole pages (every byte read, so the render finishes): the CPU a server-rendered page costs (issue 20 item 2).
    await series(
      "GET /catalog (page, whole)",
      searches.slice(0, 20).map((q, i) => (i % 2 ? `/catalog?q=${encodeURIComponent(q)}` : "/catalog")),
      browser,
    );
    await series(
      "GET /catalog/{slug} (a service page, whole)",
      slugs.map((slug) => `/catalog/${slug}`),
      browser,
    );
    await series("GET /deployments (page, whole)", ["/deployments"], browser);
    console.log(`load average after the runs: ${load()}`);
    console.log(`web process resident memory after the runs: ${memory(web.pid!)} (heap capped at 256 MB)`);
    if (process.argv.includes("--no-import")) return;

    // Import: a 5,000-document catalog-info.yaml through the API, preview then apply.
    const admin = new BenchBrowser();
    await admin.signIn(base, "admin");
    const documents = Array.from({ length: 5000 }, (_, i) => {
      const name = `imported-${words[i % 30]}-${i}`;
      return `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  description: Imported ${words[(i * 7) % 30]} service number ${i}\n  tags: [${words[i % 30]}, imported]\n  annotations:\n    github.com/project-slug: contoso/${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:${["payments", "orders", "inventory", "fleet-ops", "drone-delivery"][i % 5]}\n  dependsOn:\n    - component:imported-${words[(i + 1) % 30]}-${(i + 1) % 5000}\n    - resource:sql-${words[i % 30]}\n`;
    });
    const file = documents.join("---\n");
    const headers = { cookie: admin.header(), origin: base };
    let started = performance.now();
    const preview = await fetch(`${base}/api/v1/catalog/import/preview`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/yaml" },
      body: file,
    });
    const plan = (await preview.json()) as { counts: Record<string, number>; items: { name: string; action: string }[] };
    const previewSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const apply = await fetch(`${base}/api/v1/catalog/import/apply`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ file, confirmed: plan.items.filter((item) => item.action === "create").map((item) => item.name) }),
    });
    const applied = (await apply.json()) as { created?: string[]; error?: { message: string } };
    const applySeconds = (performance.now() - started) / 1000;
    if (!applied.created) throw new Error(`import failed: ${JSON.stringify(applied).slice(0, 300)}`);
    console.log(
      `import 5,000-document catalog-info.yaml (${(file.length / 1024 / 1024).toFixed(1)} MB): preview ${previewSeconds.toFixed(1)} s, apply ${applySeconds.toFixed(1)} s (${applied.created.length} created), total ${(previewSeconds + applySeconds).toFixed(1)} s (target < 10 s)`,
    );
    console.log(`web process resident memory after the import: ${memory(web.pid!)}`);
  } finally {
    await wharf.stop();
    rmSync(wharf.dataDir, { recursive: true, force: true });
  }
}

runBench(main);

// Catalog at scale: 50,000 services. Prints p50/p95 of each line of issue 20's
// table (by slug, a deep page by cursor and by page number, first page, owner
// filter with ~100 hits, search, sorted), the catalog page's first byte, and the
// web process's memory after the runs. Asserts nothing. One client, keep-alive,
// sequential: times are the round trip from this process.
//
//   npx tsx bench/catalog.ts [--services 50000] [--requests 200] [--no-rebuild] [--no-import]
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { freePort } from "../lib/net/free-port";
import { BenchBrowser } from "./http-session";
import { percentile, webRssMb } from "./process-stats";

const root = resolve(import.meta.dirname, "..");
const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || fallback;
const total = arg("--services", 50_000);
const requests = arg("--requests", 200);
const port = Number(process.env.BENCH_PORT ?? 3201);
const base = `http://localhost:${port}`;
const dataDir = join(root, ".data", "bench-catalog");

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

async function series(name: string, paths: string[], browser: BenchBrowser, firstByte = false) {
  for (const path of paths.slice(0, 10)) await timed(browser, path, firstByte);
  const times: number[] = [];
  for (let i = 0; i < requests; i++) times.push(await timed(browser, paths[i % paths.length]!, firstByte));
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(60)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms`);
}

async function main() {
  rmSync(dataDir, { recursive: true, force: true });
  const database = await startEmbeddedPostgres({ dataDir: join(dataDir, "pg"), port: await freePort() });
  await applyMigrations(database.url);
  let web: ChildProcess | undefined;
  try {
    web = spawn(process.execPath, ["--import", "tsx", join(root, "scripts", "start.ts"), ...(process.argv.includes("--no-rebuild") ? [] : ["--rebuild"])], {
      cwd: root,
      // One web process, so figures compare with runs before decision 0060; WHARF_WEB_PROCESSES runs more.
      env: {
        ...process.env,
        PORT: String(port),
        WHARF_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        LOG_LEVEL: "warn",
        WHARF_WEB_PROCESSES: process.env.WHARF_WEB_PROCESSES || "1",
      },
      stdio: "ignore",
    });
    for (let i = 0; i < 1200; i++) {
      if ((await fetch(`${base}/api/readyz`).catch(() => null))?.ok) break;
      await new Promise((done) => setTimeout(done, 500));
    }
    const { seconds, ownerTeam, slugs } = await seed(database.url);
    console.log(`seeded ${total} services in ${seconds.toFixed(1)} s; ${requests} requests a line, one client, sequential`);
    const browser = new BenchBrowser();
    await browser.signIn(base, "payments");

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
    console.log(`web process resident memory after the runs: ${webRssMb(web.pid!).toFixed(0)} MB (heap capped at 256 MB)`);
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
    console.log(`web process resident memory after the import: ${webRssMb(web.pid!).toFixed(0)} MB`);
  } finally {
    if (web && web.exitCode === null) {
      web.kill("SIGTERM");
      await new Promise((done) => web!.once("exit", done));
    }
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

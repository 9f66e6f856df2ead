// The container image's contents, proven without a container engine (decision 0055): the tree the Containerfile
// copies to /app, staged from the build the e2e web server made (deploy/image/stage.ts), runs as the image runs it:
// through entrypoint.sh, in Azure mode, with NODE_PATH empty and nothing of this process's environment, as an
// unprivileged user on a tree it cannot write, against an embedded PostgreSQL this test starts. Nothing in it is a
// development dependency, a sandbox-only package or sandbox code.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, test } from "@playwright/test";
import { installedPackages, runtimeTreeProblems, sandboxOnlyPackages, stageRuntimeTree } from "../deploy/image/stage";
import { azureEnvironment, makeReadOnly, makeWritable, runFromTree, runNodeInTree, waitForOk, writableTemp } from "../deploy/image/run-tree";
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from "../lib/db/embedded";
import { freePort } from "../lib/net/free-port";

test.describe.configure({ mode: "serial" });

const root = resolve(import.meta.dirname, "..");
let tree: string;
let database: RunningEmbeddedPostgres;
let pgDir: string;
const temps: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(600_000);
  tree = writableTemp("wharf-image-");
  temps.push(tree);
  await stageRuntimeTree(root, tree);
  makeReadOnly(tree);
  // Under the checkout like the e2e server's .data/e2e: as root, PostgreSQL runs as a user that cannot enter a private temp folder.
  pgDir = resolve(".data", "test", `image-${randomBytes(4).toString("hex")}`);
  database = await startEmbeddedPostgres({ dataDir: join(pgDir, "pg"), port: await freePort() });
});

test.afterAll(async () => {
  await database?.stop();
  rmSync(pgDir, { recursive: true, force: true });
  for (const dir of temps) {
    makeWritable(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Every file in the tree, to show nothing was written into it. */
const listing = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

test("the tree holds no development dependency, no sandbox-only package and no sandbox code", () => {
  expect(runtimeTreeProblems(root, tree)).toEqual([]);
  const packages = installedPackages(tree).map((path) => path.split("node_modules/").at(-1));
  for (const name of sandboxOnlyPackages) expect(packages).not.toContain(name);
  expect(packages).toEqual(expect.arrayContaining(["next", "pg", "pg-boss", "@prisma/client"]));
  expect(existsSync(join(tree, "sandbox"))).toBe(false);
  expect(existsSync(join(tree, "node_modules", "tsx"))).toBe(false);
  for (const program of ["web-server", "worker", "migrate"])
    expect(readFileSync(join(tree, "dist", `${program}.mjs`), "utf8")).not.toMatch(/from "\.\.?\/sandbox/);
});

test("migrate, then the web, from the read-only tree: /api/readyz answers 200, pages and static files are served", async () => {
  test.setTimeout(240_000);
  const before = listing(tree);
  const port = await freePort();
  const env = azureEnvironment({ databaseUrl: database.url, port, dataDir: writableTemp("wharf-image-tmp-") });
  temps.push(env.HOME!);

  const migrate = runFromTree(tree, ["migrate"], env);
  expect(await migrate.exited, migrate.output()).toBe(0);
  expect(migrate.output()).toMatch(/applied migrations: \d{14}_/);

  const limitFile = join(env.HOME!, "memory.max");
  await import("node:fs").then(({ writeFileSync }) => writeFileSync(limitFile, `${512 * 1024 * 1024}\n`));
  const web = runFromTree(tree, ["web"], { ...env, WHARF_MEMORY_LIMIT_FILE: limitFile });
  try {
    await waitForOk(`http://localhost:${port}/api/readyz`, web, 120_000);
    // exec: the process the container runs is node itself (its title is the web server's), with the heap the entrypoint computed.
    expect(readlinkSync(`/proc/${web.child.pid}/exe`)).toBe(realpathSync(process.execPath));
    expect(web.output()).toContain("entrypoint.sh: heap 358 MB (70% of the container's 512 MiB memory limit)");
    const signIn = await fetch(`http://localhost:${port}/sign-in`);
    expect(signIn.status).toBe(200);
    const script = /\/_next\/static\/[^"]+\.js/.exec(await signIn.text())?.[0];
    expect(script, "the sign-in page loads a script from /_next/static").toBeTruthy();
    expect((await fetch(`http://localhost:${port}${script}`)).status).toBe(200);
  } finally {
    web.child.kill("SIGTERM");
  }
  expect(await web.exited).toBe(143);
  expect(web.output()).not.toMatch(/EACCES|EROFS|permission denied/i);
  expect(listing(tree)).toEqual(before);
});

test("the worker answers its probes from the tree and stops on SIGTERM", async () => {
  test.setTimeout(180_000);
  const port = await freePort();
  const env = azureEnvironment({ databaseUrl: database.url, port: await freePort(), dataDir: writableTemp("wharf-image-tmp-") });
  temps.push(env.HOME!);
  const worker = runFromTree(tree, ["worker"], { ...env, WHARF_WORKER_HEALTH_PORT: String(port) });
  try {
    await waitForOk(`http://localhost:${port}/api/readyz`, worker, 120_000);
  } finally {
    worker.child.kill("SIGTERM");
  }
  expect(await worker.exited, worker.output()).toBe(0);
});

test("the worker threads' scripts run from the tree: Microsoft's KQL parser and the elkjs layout", () => {
  const result = runNodeInTree(
    tree,
    `import { Worker } from "node:worker_threads";
     const run = (file, input) => new Promise((done, fail) => {
       const worker = new Worker(file, { execArgv: [] });
       worker.once("message", (message) => void worker.terminate().then(() => done(message)));
       worker.once("error", fail);
       worker.postMessage({ id: 1, input });
     });
     const graph = { id: "root", layoutOptions: {}, children: [{ id: "a", width: 10, height: 10 }, { id: "b", width: 10, height: 10 }],
       edges: [{ id: "e", sources: ["a"], targets: ["b"] }] };
     console.log(JSON.stringify([await run("./lib/boards/kql-thread.mjs", { query: "AppRequests | take 5", team: null }), await run("./lib/appmap/layout-thread.mjs", graph)]));`,
  );
  expect(result.status, result.stderr).toBe(0);
  const [kql, layout] = JSON.parse(result.stdout) as [{ output: { ok: boolean } }, { output: Record<string, { x: number; y: number }> }];
  expect(kql.output.ok).toBe(true);
  expect(Object.keys(layout.output).sort()).toEqual(["a", "b"]);
});

test("without DATABASE_URL in Azure mode the web says so in one line and exits 1", async () => {
  const env = azureEnvironment({ port: await freePort(), dataDir: writableTemp("wharf-image-tmp-") });
  temps.push(env.HOME!);
  const web = runFromTree(tree, ["web"], env);
  expect(await web.exited).toBe(1);
  const lines = web
    .output()
    .trim()
    .split("\n")
    .filter((line) => !line.startsWith("entrypoint.sh:"));
  expect(lines).toEqual([expect.stringMatching(/^web server cannot start: Configuration error: DATABASE_URL must be a PostgreSQL URL in azure mode/)]);
});

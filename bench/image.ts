// The container image's figures without a container engine (decision 0055): the staged /app tree's size (what the
// Containerfile copies onto the Node base image) and the entrypoint's cold start to ready, as e2e/image.spec.ts runs
// it: `entrypoint.sh web` from the tree in Azure mode, NODE_PATH empty, against an embedded PostgreSQL the bench starts.
// Prints figures; asserts nothing.
//
//   npx next build && npx tsx bench/image.ts [--runs 3]
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { installedPackages, stageRuntimeTree } from "../deploy/image/stage";
import { azureEnvironment, makeReadOnly, makeWritable, runFromTree, waitForOk, writableTemp, type TreeProcess } from "../deploy/image/run-tree";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { freePort } from "../lib/net/free-port";
import { runBench } from "./run-bench";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, "..");
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function bytesUnder(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  return bytes;
}

const rssMb = (process: TreeProcess) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${process.child.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

async function main() {
  const tree = writableTemp("wharf-image-bench-");
  const temp = writableTemp("wharf-image-bench-tmp-");
  const pgDir = resolve(".data", "bench", `image-${randomBytes(4).toString("hex")}`);
  const stagingStarted = performance.now();
  const staged = await stageRuntimeTree(root, tree);
  console.log(`staged in ${((performance.now() - stagingStarted) / 1000).toFixed(1)} s (esbuild, trace, copy)`);
  makeReadOnly(tree);
  const database = await startEmbeddedPostgres({ dataDir: join(pgDir, "pg"), port: await freePort() });
  try {
    console.log(`\n/app (the layer the Containerfile adds): ${mb(staged.bytes)}, ${staged.packages.length} packages`);
    for (const part of [".next", "node_modules", "dist", "public", "prisma", "lib"]) console.log(`  ${part.padEnd(13)} ${mb(bytesUnder(join(tree, part)))}`);
    const biggest = installedPackages(tree)
      .map((path) => ({ path, bytes: bytesUnder(join(tree, path)) }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 8);
    console.log(`  largest packages: ${biggest.map(({ path, bytes }) => `${path.replace(/^node_modules\//, "")} ${mb(bytes)}`).join(", ")}`);
    const node = statSync(process.execPath).size;
    console.log(`node binary (the base image holds it, with Debian's files): ${mb(node)}; /app + node: ${mb(staged.bytes + node)}`);

    const env = azureEnvironment({ databaseUrl: database.url, port: await freePort(), dataDir: temp });
    const migrate = runFromTree(tree, ["migrate"], env);
    if ((await migrate.exited) !== 0) throw new Error(`migrate failed:\n${migrate.output()}`);
    const limit = join(temp, "memory.max");
    writeFileSync(limit, `${512 * 1024 * 1024}\n`);

    console.log(`\ncold start of \`entrypoint.sh web\` to /api/readyz 200 (512 MiB limit: heap 358 MB), ${runs} runs:`);
    const times: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const port = await freePort();
      const started = performance.now();
      const web = runFromTree(tree, ["web"], { ...azureEnvironment({ databaseUrl: database.url, port, dataDir: temp }), WHARF_MEMORY_LIMIT_FILE: limit });
      try {
        await waitForOk(`http://localhost:${port}/api/readyz`, web, 180_000);
        times.push((performance.now() - started) / 1000);
        console.log(`  run ${run}: ${times.at(-1)!.toFixed(2)} s, RSS ${rssMb(web).toFixed(0)} MB at ready`);
      } finally {
        web.child.kill("SIGTERM");
        await web.exited;
      }
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`  median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} s`);

    const healthPort = await freePort();
    const started = performance.now();
    const worker = runFromTree(tree, ["worker"], { ...env, WHARF_WORKER_HEALTH_PORT: String(healthPort), WHARF_MEMORY_LIMIT_FILE: limit });
    try {
      await waitForOk(`http://localhost:${healthPort}/api/readyz`, worker, 180_000);
      console.log(
        `\ncold start of \`entrypoint.sh worker\` to its /api/readyz 200: ${((performance.now() - started) / 1000).toFixed(2)} s, RSS ${rssMb(worker).toFixed(0)} MB`,
      );
    } finally {
      worker.child.kill("SIGTERM");
      await worker.exited;
    }
  } finally {
    await database.stop();
    rmSync(pgDir, { recursive: true, force: true });
    for (const dir of [tree, temp]) {
      makeWritable(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

runBench(main);

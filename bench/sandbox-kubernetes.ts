// The sandbox's Kubernetes API at scale: 2,000 namespaces and 10,000 pods in
// one cluster, with the controller running as under `npm run sandbox` (every
// pod is scheduled, started and leaves its events). Prints list latency
// (through client-node, as a raw HTTPS GET, and with Wharf's own client), watch delivery latency and
// the sandbox's resident memory, each with its target and whether it is met.
// Asserts nothing.
//
//   npx tsx bench/sandbox-kubernetes.ts [--namespaces 2000] [--pods 10000]
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { join, resolve } from "node:path";
import { CoreV1Api, KubeConfig, Watch } from "@kubernetes/client-node";
// Not a documented export of client-node; the bench times its deserializer alone.
import { ObjectSerializer } from "@kubernetes/client-node/dist/gen/models/ObjectSerializer.js";
import { listObjects } from "../lib/kubernetes/apply";
import { freePort } from "../lib/net/free-port";
import { percentile } from "./process-stats";
import { runBench } from "./run-bench";

const root = resolve(import.meta.dirname, "..");
const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || fallback;
const namespaceCount = arg("--namespaces", 2000);
const podCount = arg("--pods", 10_000);
const dataDir = join(root, ".data", "bench-sandbox");

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

async function main() {
  rmSync(dataDir, { recursive: true, force: true });
  const port = await freePort();
  const sandbox = spawn(process.execPath, ["--import", "tsx", join(root, "sandbox", "main.ts"), "--port", String(port)], {
    cwd: root,
    env: { ...process.env, WHARF_DATA_DIR: dataDir, SANDBOX_BROWSER_PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((done) => sandbox.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && done()));
  try {
    const stateDir = join(dataDir, "sandbox");
    const token = (JSON.parse(readFileSync(join(stateDir, "cluster-tokens.json"), "utf8")) as Record<string, string>)["aks-dev-weu"]!;
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [
        { name: "dev", server: `https://localhost:${port}/k8s/aks-dev-weu`, caData: Buffer.from(readFileSync(join(stateDir, "ca.pem"))).toString("base64") },
      ],
      users: [{ name: "dev", token }],
      contexts: [{ name: "dev", cluster: "dev", user: "dev" }],
      currentContext: "dev",
    });
    const core = config.makeApiClient(CoreV1Api);

    let started = performance.now();
    const namespaces = Array.from({ length: namespaceCount }, (_, i) => `team-${i}`);
    await inBatches(namespaces, 50, (name) => core.createNamespace({ body: { metadata: { name, labels: { "wharf.io/team": `t${i(name) % 40}` } } } }));
    const pods = Array.from({ length: podCount }, (_, n) => ({ namespace: namespaces[n % namespaceCount]!, name: `pod-${n}` }));
    await inBatches(pods, 50, (pod) =>
      core.createNamespacedPod({
        namespace: pod.namespace,
        body: { metadata: { name: pod.name, labels: { app: "bench" } }, spec: { containers: [{ name: "app", image: "contoso.azurecr.io/bench/app:1.0" }] } },
      }),
    );
    console.log(`created ${namespaceCount} namespaces and ${podCount} pods through the API in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // The figure is for a cluster holding that many objects, not one still starting them: wait until the
    // controller has scheduled and started every pod (its process idle), as a real cluster at steady state.
    started = performance.now();
    await untilQuiet(sandbox.pid!);
    console.log(`the sandbox's controller settled (its process under 5% of a core) ${((performance.now() - started) / 1000).toFixed(1)} s later`);

    const times: number[] = [];
    for (let n = 0; n < 110; n++) {
      started = performance.now();
      const list = await core.listNamespace();
      if (n >= 10) times.push(performance.now() - started);
      if (list.items.length < namespaceCount) throw new Error("list is missing namespaces");
    }
    times.sort((a, b) => a - b);
    const listP95 = percentile(times, 95);
    console.log(
      `list ${namespaceCount + 5} namespaces with client-node: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${listP95.toFixed(1)} ms (target p95 < 50 ms: ${met(listP95 < 50)}; client-node opens a TLS connection per call and runs its own deserializer, see below)`,
    );
    // The same list as raw HTTPS (one kept-alive connection, as kubectl and client-go hold one): how long the
    // sandbox takes to answer, and what JSON.parse adds; the rest of client-node's time is its own deserializer.
    const agent = new Agent({ keepAlive: true, ca: readFileSync(join(stateDir, "ca.pem")) });
    const raw: number[] = [];
    const parsed: number[] = [];
    let body = "";
    for (let n = 0; n < 110; n++) {
      started = performance.now();
      body = await getRaw(agent, port, "/k8s/aks-dev-weu/api/v1/namespaces", token);
      const received = performance.now();
      const list = JSON.parse(body) as { items: unknown[] };
      if (n >= 10) {
        raw.push(received - started);
        parsed.push(performance.now() - started);
      }
      if (list.items.length < namespaceCount) throw new Error("raw list is missing namespaces");
    }
    agent.destroy();
    raw.sort((a, b) => a - b);
    parsed.sort((a, b) => a - b);
    console.log(
      `  the same list as a raw HTTPS GET: p50 ${percentile(raw, 50).toFixed(1)} ms, p95 ${percentile(raw, 95).toFixed(1)} ms; with JSON.parse: p50 ${percentile(parsed, 50).toFixed(1)} ms, p95 ${percentile(parsed, 95).toFixed(1)} ms`,
    );
    const deserialize: number[] = [];
    for (let n = 0; n < 110; n++) {
      const list: unknown = JSON.parse(body);
      started = performance.now();
      ObjectSerializer.deserialize(list, "V1NamespaceList", "");
      if (n >= 10) deserialize.push(performance.now() - started);
    }
    deserialize.sort((a, b) => a - b);
    console.log(
      `  client-node's deserializer alone on that ${(body.length / 1024).toFixed(0)} KB body, no I/O: p50 ${percentile(deserialize, 50).toFixed(1)} ms, p95 ${percentile(deserialize, 95).toFixed(1)} ms`,
    );
    // As Wharf itself lists (lib/kubernetes: plain JSON over a kept-alive agent, pages of 500, as the reconcile does).
    const wharf: number[] = [];
    for (let n = 0; n < 110; n++) {
      started = performance.now();
      const items = await listObjects(config, "v1", "Namespace");
      if (n >= 10) wharf.push(performance.now() - started);
      if (items.length < namespaceCount) throw new Error("Wharf's list is missing namespaces");
    }
    wharf.sort((a, b) => a - b);
    const wharfP95 = percentile(wharf, 95);
    console.log(
      `  the same list with Wharf's own client (4 pages of 500): p50 ${percentile(wharf, 50).toFixed(1)} ms, p95 ${wharfP95.toFixed(1)} ms (target p95 < 50 ms: ${met(wharfP95 < 50)})`,
    );

    const delays: number[] = [];
    const pending = new Map<string, number>();
    const watch = await new Watch(config).watch(
      "/api/v1/namespaces",
      { resourceVersion: (await core.listNamespace({ limit: 1 })).metadata?.resourceVersion },
      (type, object: { metadata?: { name?: string } }) => {
        const sent = pending.get(object.metadata?.name ?? "");
        if (type === "ADDED" && sent !== undefined) {
          delays.push(performance.now() - sent);
          pending.delete(object.metadata!.name!);
        }
      },
      () => {},
    );
    for (let n = 0; n < 50; n++) {
      const name = `watched-${n}`;
      pending.set(name, performance.now());
      await core.createNamespace({ body: { metadata: { name } } });
      while (pending.has(name)) await new Promise((done) => setTimeout(done, 1));
    }
    watch.abort();
    delays.sort((a, b) => a - b);
    const slowest = delays.at(-1)!;
    console.log(
      `watch delivers a change: p50 ${percentile(delays, 50).toFixed(1)} ms, p95 ${percentile(delays, 95).toFixed(1)} ms, max ${slowest.toFixed(1)} ms (target < 100 ms: ${met(slowest < 100)})`,
    );

    const busy = descendantsRss(sandbox.pid!);
    const busyMb = busy.largest / 1024;
    console.log(
      `sandbox resident memory right after the load: ${busyMb.toFixed(0)} MB (target < 300 MB: ${met(busyMb < 300)}; ${(busy.total / 1024).toFixed(0)} MB for its whole process tree)`,
    );
    // V8 gives memory back once allocation calms down (its memory reducer); this is what the sandbox holds while Wharf uses it.
    await new Promise((done) => setTimeout(done, 15_000));
    const idle = descendantsRss(sandbox.pid!);
    const idleMb = idle.largest / 1024;
    console.log(
      `sandbox resident memory 15 s later: ${idleMb.toFixed(0)} MB (target < 300 MB: ${met(idleMb < 300)}; ${(idle.total / 1024).toFixed(0)} MB for the tree)`,
    );
  } finally {
    sandbox.kill("SIGTERM");
    await new Promise((done) => sandbox.once("exit", done));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function getRaw(agent: Agent, port: number, path: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ agent, host: "localhost", port, path, headers: { authorization: `Bearer ${token}`, accept: "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString("utf8")) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

function met(ok: boolean): string {
  return ok ? "met" : "NOT met";
}

function i(name: string): number {
  return Number(name.split("-").at(-1));
}

/** CPU seconds used so far by `pid` and everything under it (/proc, in clock ticks of 10 ms). */
function treeCpuSeconds(pid: number): number {
  const rows = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number));
  let ticks = 0;
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift()!;
    try {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${next}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
    for (const row of rows) if (row[1] === next) queue.push(row[0]!);
  }
  return ticks / 100;
}

/** Waits until the process tree uses under 5% of a core for two seconds running (at most 120 s). */
async function untilQuiet(pid: number): Promise<void> {
  let last = treeCpuSeconds(pid);
  let quiet = 0;
  for (let waited = 0; waited < 120 && quiet < 2; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = treeCpuSeconds(pid);
    quiet = now - last < 0.05 ? quiet + 1 : 0;
    last = now;
  }
}

/**
 * RSS in kB of the node process that serves the sandbox (the largest of
 * `tsx` → `sandbox/main.ts` → its re-exec with heap limits), and of the whole
 * process tree (the wrappers and tsx's esbuild services included).
 */
function descendantsRss(pid: number): { largest: number; total: number } {
  const rows = execFileSync("ps", ["-e", "-o", "pid=,ppid=,rss=,args="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/));
  const children = (parent: number) => rows.filter((row) => Number(row[1]) === parent);
  let largest = 0;
  let total = Number(rows.find((row) => Number(row[0]) === pid)?.[2] ?? 0);
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift()!;
    for (const row of children(next)) {
      largest = Math.max(largest, Number(row[2]));
      total += Number(row[2]);
      queue.push(Number(row[0]));
    }
  }
  return { largest, total };
}

runBench(main);

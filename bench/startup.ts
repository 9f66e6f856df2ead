// Foundation figures: `npm start` cold and warm to the first page served,
// server time of the signed-in home page over 200 requests, and resident
// memory of the web process. Prints figures; asserts nothing.
//
//   npm run bench            (rebuilds: the cold start includes `next build`)
//   npm run bench -- --keep-build
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { BenchBrowser } from "./http-session";
import { percentile, webRssMb } from "./process-stats";
import { runBench } from "./run-bench";

const root = resolve(import.meta.dirname, "..");
const port = Number(process.env.BENCH_PORT ?? 3200);
const base = `http://localhost:${port}`;
const dataDir = join(root, ".data", "bench");

/**
 * `npm start` exactly as a new user runs it: no DATABASE_URL, so the launcher starts its own embedded PostgreSQL, and the
 * time to the first page includes it. That is why this bench does not use `startBenchWharf`, which brings a database.
 */
function launch(): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", join(root, "scripts", "start.ts")], {
    cwd: root,
    // One web process, so figures compare with runs before decision 0060; WHARF_WEB_PROCESSES runs more.
    env: {
      ...process.env,
      PORT: String(port),
      WHARF_DATA_DIR: dataDir,
      DATABASE_URL: "",
      LOG_LEVEL: "warn",
      WHARF_WEB_PROCESSES: process.env.WHARF_WEB_PROCESSES || "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function timeToFirstPage(child: ChildProcess): Promise<number> {
  const started = performance.now();
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  while (performance.now() - started < 600_000) {
    if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
    try {
      const response = await fetch(`${base}/sign-in`);
      if (response.status === 200) return (performance.now() - started) / 1000;
    } catch {
      // not up yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`no page within 10 minutes:\n${output}`);
}

async function stop(child: ChildProcess) {
  child.kill("SIGTERM");
  await new Promise((done) => child.once("exit", done));
}

async function main() {
  rmSync(dataDir, { recursive: true, force: true });
  if (!process.argv.includes("--keep-build")) rmSync(join(root, ".next"), { recursive: true, force: true });

  let child = launch();
  const cold = await timeToFirstPage(child);
  await stop(child);

  child = launch();
  const warm = await timeToFirstPage(child);
  await new Promise((done) => setTimeout(done, 2000));
  const rssAfterStart = webRssMb(child.pid!);

  const browser = new BenchBrowser();
  await browser.signIn(base, "payments");
  for (let i = 0; i < 20; i++) await fetch(`${base}/`, { headers: { cookie: browser.header() } });
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    const response = await fetch(`${base}/`, { headers: { cookie: browser.header() } });
    const html = await response.text();
    times.push(performance.now() - started);
    if (response.status !== 200 || !html.includes("Priya Shah")) throw new Error(`home page answered ${response.status} without the user's name`);
  }
  times.sort((a, b) => a - b);
  const rssAfterLoad = webRssMb(child.pid!);
  await stop(child);
  rmSync(dataDir, { recursive: true, force: true });

  const lines = [
    ["npm start, cold (fresh data, production build included), to first page", `${cold.toFixed(1)} s`, "target < 60 s"],
    ["npm start, warm (existing build and data), to first page", `${warm.toFixed(1)} s`, "target < 10 s"],
    ["signed-in home page over 200 requests: p50", `${percentile(times, 50).toFixed(1)} ms`, ""],
    ["signed-in home page over 200 requests: p95", `${percentile(times, 95).toFixed(1)} ms`, "target < 100 ms"],
    ["web process resident memory after start", `${rssAfterStart.toFixed(0)} MB`, "target < 400 MB"],
    ["web process resident memory after 220 requests", `${rssAfterLoad.toFixed(0)} MB`, ""],
  ];
  for (const [what, value, target] of lines) console.log(`${what!.padEnd(75)} ${value!.padStart(10)}   ${target}`);
}

runBench(main);

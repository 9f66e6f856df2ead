// One web process against several behind the same port (issue 20 item 4,
// decision 0060): Wharf under `scripts/start.ts` (`WHARF_WORKER=off`, port
// `BENCH_PORT`, default 3213) started by `startBenchWharf`, once per count, each
// time on a fresh embedded PostgreSQL and data folder; 10 clients (kept-alive connections, the cluster spreads them over the
// processes) ask for `/catalog` one page at a time for a fixed time, signed in
// as the four sandbox personas. Prints pages per second, latency p50/p95, the
// CPU per page of the web processes and their RSS, for each count, with the
// gain over one process and the load average before and after each run.
// Asserts nothing; on a shared machine the figures move with whatever else runs.
//
//   npx tsx bench/web-processes.ts [--processes 1,2] [--clients 10] [--seconds 30] [--keep-build]
import { get as httpGet } from "node:http";
import { loadavg } from "node:os";
import { startBenchWharf } from "./bench-wharf";
import { BenchBrowser } from "./http-session";
import { percentile, webCpuSeconds, webRssMb } from "./process-stats";
import { runBench } from "./run-bench";

const argument = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const counts = (argument("--processes") ?? "1,2").split(",").map(Number);
const clients = Number(argument("--clients") ?? 10);
const seconds = Number(argument("--seconds") ?? 30);
const keepBuild = process.argv.includes("--keep-build");
const port = Number(process.env.BENCH_PORT ?? 3213);
const base = `http://localhost:${port}`;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(" ");

interface Run {
  processes: number;
  pages: number;
  failed: number;
  perSecond: number;
  p50: number;
  p95: number;
  cpuMsPerPage: number;
  rssMb: number;
  loadBefore: string;
  loadAfter: string;
}

/** One /catalog on a new connection (no keep-alive pool). */
function warm(cookie: string): Promise<void> {
  return new Promise((done, fail) => {
    const request = httpGet({ host: "localhost", port, path: "/catalog", agent: false, headers: { cookie } }, (response) => {
      response.resume();
      response.on("end", () => done());
    });
    request.on("error", fail);
  });
}

async function runWith(processes: number, rebuild: boolean): Promise<Run> {
  const wharf = await startBenchWharf({
    name: "bench-web-processes",
    port,
    keepBuild: !rebuild,
    env: { WHARF_WORKER: "off", WHARF_WEB_PROCESSES: String(processes) },
  });
  const web = wharf.launcher;
  try {
    const browsers = await Promise.all(
      ["payments", "orders", "both", "admin"].map(async (persona) => {
        const browser = new BenchBrowser();
        await browser.signIn(base, persona);
        return browser;
      }),
    );
    // Each process renders the page a few times first, so the run does not time a first render: each request on a
    // connection of its own, which the cluster hands to the next process in turn.
    for (let i = 0; i < 10 * processes; i++) await warm(browsers[i % browsers.length]!.header());

    const times: number[] = [];
    let failed = 0;
    const loadBefore = load();
    const cpuBefore = webCpuSeconds(web.pid!);
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async (_, index) => {
        const cookie = browsers[index % browsers.length]!.header();
        while (performance.now() < deadline) {
          const at = performance.now();
          const response = await fetch(`${base}/catalog`, { headers: { cookie } }).catch(() => null);
          await response?.arrayBuffer().catch(() => undefined);
          if (response?.status === 200) times.push(performance.now() - at);
          else failed++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpu = webCpuSeconds(web.pid!) - cpuBefore;
    const rssMb = webRssMb(web.pid!);
    times.sort((a, b) => a - b);
    return {
      processes,
      pages: times.length,
      failed,
      perSecond: times.length / elapsed,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      cpuMsPerPage: (cpu * 1000) / Math.max(1, times.length),
      rssMb,
      loadBefore,
      loadAfter: load(),
    };
  } finally {
    await wharf.stop();
  }
}

async function main() {
  const runs: Run[] = [];
  for (const [index, processes] of counts.entries()) runs.push(await runWith(processes, index === 0 && !keepBuild));
  console.log(`\n/catalog, ${clients} clients, ${seconds} s per run, WHARF_WORKER=off; shared machine, load average (1, 5, 15 min) shown`);
  const one = runs.find((run) => run.processes === 1);
  for (const run of runs) {
    const gain = one && run !== one ? `, ${(run.perSecond / one.perSecond).toFixed(2)}× one process` : "";
    console.log(
      `${run.processes} web process${run.processes === 1 ? " " : "es"}  ${run.perSecond.toFixed(1)} pages/s${gain}; ` +
        `p50 ${run.p50.toFixed(0)} ms, p95 ${run.p95.toFixed(0)} ms; CPU ${run.cpuMsPerPage.toFixed(1)} ms/page; ` +
        `${run.pages} pages, ${run.failed} not 200; web RSS ${run.rssMb.toFixed(0)} MB; load ${run.loadBefore} → ${run.loadAfter}`,
    );
  }
}

runBench(main);

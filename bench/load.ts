// Load: 200 concurrent clients for 60 s against Wharf under `scripts/start.ts`
// (issue 19, item 8). Four sandbox personas signed in; each client loops over
// a mix of signed-in pages (/catalog, /) and the catalog API
// (/api/v1/services), one request at a time, and on a 503 or 429 waits what
// Retry-After says (at most 10 s) as a well-behaved client would. Ten live
// streams (/api/v1/stream) stay open throughout, and a probe polls
// /api/healthz once a second. Prints throughput, latency p50/p95/max, counts
// by status, requests that took more than 5 s, streams still open at the end,
// the probe's worst answer, and the web process's RSS. Asserts nothing; the
// machine is shared, so the figures move with whatever else runs.
//
//   npx tsx bench/load.ts [--clients 200] [--seconds 60] [--streams 10] [--max-in-flight N] [--keep-build]
//
// --max-in-flight sets WHARF_MAX_IN_FLIGHT for this run (1000, the highest, is in effect no bound: the "before").
import { setTimeout as sleep } from "node:timers/promises";
import { startBenchWharf, type BenchWharf } from "./bench-wharf";
import { BenchBrowser } from "./http-session";
import { percentile, webRssMb } from "./process-stats";
import { runBench } from "./run-bench";

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || fallback;
const clients = arg("--clients", 200);
const seconds = arg("--seconds", 60);
const streamCount = arg("--streams", 10);
const maxInFlight = process.argv.includes("--max-in-flight") ? String(arg("--max-in-flight", 16)) : undefined;
const keepBuild = process.argv.includes("--keep-build");
const port = Number(process.env.BENCH_PORT ?? 3209);
const base = `http://localhost:${port}`;
/** A client gives up on a request after this long, as a browser or proxy would (the issue's clients: 30 s). */
const clientTimeoutMs = 30_000;

/** What each client asks for, in turn: signed-in pages and the catalog API. */
const mix = ["/catalog", "/api/v1/services?pageSize=50", "/", "/api/v1/services?pageSize=50&q=payment", "/catalog?q=order"];

interface Outcome {
  path: string;
  status: number | "timeout" | "error";
  ms: number;
  retryAfter: string | null;
}

async function request(browser: BenchBrowser, path: string): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(`${base}${path}`, {
      headers: { cookie: browser.header(), accept: path.startsWith("/api/") ? "application/json" : "text/html" },
      redirect: "manual",
      signal: AbortSignal.timeout(clientTimeoutMs),
    });
    await response.arrayBuffer();
    return { path, status: response.status, ms: performance.now() - started, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { path, status: timedOut ? "timeout" : "error", ms: performance.now() - started, retryAfter: null };
  }
}

/** A live stream held open until `signal` aborts; `open` says whether it still is. */
function holdStream(browser: BenchBrowser, signal: AbortSignal) {
  const state = { status: 0, open: false, bytes: 0 };
  void (async () => {
    try {
      const response = await fetch(`${base}/api/v1/stream?topic=health:fleet&topic=notifications:me`, {
        headers: { cookie: browser.header(), accept: "text/event-stream" },
        signal,
      });
      state.status = response.status;
      if (response.status !== 200) return void (await response.arrayBuffer());
      state.open = true;
      const reader = response.body!.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) state.bytes += read.value.byteLength;
    } catch {
      // aborted at the end, or dropped
    }
    state.open = false;
  })();
  return state;
}

const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`);

async function main() {
  let wharf: BenchWharf | undefined;
  const stop = new AbortController();
  try {
    wharf = await startBenchWharf({
      name: "bench-load",
      port,
      keepBuild,
      env: { WHARF_WORKER: "off", ...(maxInFlight ? { WHARF_MAX_IN_FLIGHT: maxInFlight } : {}) },
    });
    const web = wharf.launcher;
    console.log(`Wharf (${keepBuild ? "existing build" : "rebuilt"}) ready on port ${port} after ${wharf.startSeconds.toFixed(0)} s`);

    const browsers = await Promise.all(
      ["payments", "orders", "both", "admin"].map(async (persona) => {
        const browser = new BenchBrowser();
        await browser.signIn(base, persona);
        return browser;
      }),
    );
    // Warm every route once, so the run does not time Next's first compile of a page.
    for (const path of mix) await request(browsers[0]!, path);
    const rssIdle = webRssMb(web.pid!);

    const streams = Array.from({ length: streamCount }, (_, i) => holdStream(browsers[i % browsers.length]!, stop.signal));
    await sleep(1000);
    const streamsOpenAtStart = streams.filter((stream) => stream.open).length;

    const outcomes: Outcome[] = [];
    const probes: { ok: boolean; ms: number }[] = [];
    let rssPeak = 0;
    const deadline = performance.now() + seconds * 1000;
    const runStarted = performance.now();

    const client = async (index: number) => {
      const browser = browsers[index % browsers.length]!;
      for (let turn = index; performance.now() < deadline; turn++) {
        const outcome = await request(browser, mix[turn % mix.length]!);
        outcomes.push(outcome);
        if ((outcome.status === 503 || outcome.status === 429) && performance.now() < deadline) {
          await sleep(Math.min(10, Number(outcome.retryAfter) || 1) * 1000);
        }
      }
    };
    const probe = async () => {
      while (performance.now() < deadline) {
        const at = performance.now();
        const answer = await fetch(`${base}/api/healthz`, { signal: AbortSignal.timeout(clientTimeoutMs) }).catch(() => null);
        probes.push({ ok: answer?.status === 200, ms: performance.now() - at });
        await answer?.arrayBuffer().catch(() => undefined);
        rssPeak = Math.max(rssPeak, webRssMb(web.pid!));
        await sleep(1000);
      }
    };
    await Promise.all([...Array.from({ length: clients }, (_, i) => client(i)), probe()]);
    const elapsed = (performance.now() - runStarted) / 1000;
    const streamsOpenAtEnd = streams.filter((stream) => stream.open).length;
    stop.abort();
    const rssAfter = webRssMb(web.pid!);

    const byStatus = new Map<string, number>();
    for (const outcome of outcomes) {
      const key = outcome.status === 200 || outcome.status === 503 || outcome.status === 429 ? String(outcome.status) : `other (${outcome.status})`;
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    }
    const all = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
    const served = outcomes.filter((outcome) => outcome.status === 200).map((outcome) => outcome.ms);
    served.sort((a, b) => a - b);
    const refused = outcomes.filter((outcome) => outcome.status === 503 || outcome.status === 429);
    const refusedMs = refused.map((outcome) => outcome.ms).sort((a, b) => a - b);
    const slow = outcomes.filter((outcome) => outcome.ms > 5000).length;
    const probeMs = probes.map((probe) => probe.ms).sort((a, b) => a - b);

    console.log(
      `\n${clients} clients, ${elapsed.toFixed(0)} s, WHARF_MAX_IN_FLIGHT=${maxInFlight ?? "default (16)"}; mix: ${mix.join(", ")}; ` +
        `${streamCount} live streams; shared 2-core machine, other work running`,
    );
    console.log(
      `requests answered            ${outcomes.length} (${(outcomes.length / elapsed).toFixed(1)}/s), served 200: ${served.length} (${(served.length / elapsed).toFixed(1)}/s)`,
    );
    console.log(`by status                    ${[...byStatus].map(([status, count]) => `${status}: ${count}`).join(", ")}`);
    console.log(`latency, all                 p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))}, max ${ms(all.at(-1) ?? 0)}`);
    if (served.length)
      console.log(`latency, served 200         p50 ${ms(percentile(served, 50))}, p95 ${ms(percentile(served, 95))}, max ${ms(served.at(-1)!)}`);
    if (refused.length) {
      console.log(
        `latency, refused 503/429     p50 ${ms(percentile(refusedMs, 50))}, p95 ${ms(percentile(refusedMs, 95))}, max ${ms(refusedMs.at(-1)!)}; ` +
          `with Retry-After: ${refused.filter((outcome) => outcome.retryAfter !== null).length} of ${refused.length}`,
      );
    }
    console.log(`requests that took > 5 s     ${slow} (${((slow / Math.max(1, outcomes.length)) * 100).toFixed(1)} %)`);
    console.log(`live streams open            ${streamsOpenAtStart} of ${streamCount} at the start, ${streamsOpenAtEnd} at the end`);
    console.log(
      `probe /api/healthz           ${probes.filter((probe) => probe.ok).length} of ${probes.length} answered 200; p50 ${ms(percentile(probeMs, 50))}, ` +
        `max ${ms(probeMs.at(-1) ?? 0)}`,
    );
    console.log(`web RSS                      ${rssIdle.toFixed(0)} MB before, ${rssPeak.toFixed(0)} MB peak, ${rssAfter.toFixed(0)} MB after`);
  } finally {
    stop.abort();
    await wharf?.stop();
  }
}

runBench(main);

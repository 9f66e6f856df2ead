// Issue 13's browser figures for the application map at 2,000 nodes and 6,000 edges (bench/map-fleet.ts: 85 teams of
// 20 services, 300 externals). Starts Wharf (`WHARF_WORKER=off`, so no health cycle replaces the map; port BENCH_PORT,
// default 3214) on its own embedded PostgreSQL, lays the map out as the worker does (group by group, elkjs in the
// layout thread) and stores it as the worker stores it (storeMapSnapshot: the 1-hour fleet-wide snapshot with its team
// slices). The map's nodes need no catalog entry: /map draws the snapshot as stored. Then, in Chromium as
// playwright.config.ts launches it (1920 × 1080), signed in as Alex Morgan (platform admin):
// - first draw: /map loaded `--loads` times; the page's own marks (components/appmap/app-map.tsx): `wharf:map-drawn`,
//   two animation frames after the map's first drawing (the overview canvas's, as the whole map fitted in view is below
//   the readable zoom: decision 0077; or, zoomed in, once xyflow has measured the nodes in view), from navigation start,
//   and the measure `wharf:map-draw` from the map's mount (hydration) to it; the document's response and
//   DOMContentLoaded for where the rest went, and the long tasks (PerformanceObserver) of each load. "collapse all"
//   (85 team boxes and 300 externals) and "expand all" (all 2,000 nodes) timed from the click to the next
//   `wharf:map-drawn`; the frame rates and the heap below are of the expanded map;
// - frame rate: requestAnimationFrame deltas recorded in the page while the mouse pans the whole map (fitted), pans
//   at zoom 1 (nodes coming into view and leaving it) and zooms with the wheel between the two, `--phase-seconds`
//   each: frames per second at the median delta and overall, the share of frames over 33 ms, the longest; and what
//   the main thread did meanwhile (CDP Performance.getMetrics: script, layout, style recalculation, the rest of its
//   tasks, which is mostly paint) and the long tasks;
// - heap: `--minutes` of panning and zooming; every `--sample-seconds`, after two garbage collections forced through
//   CDP (HeapProfiler.collectGarbage) with the whole map fitted in view, the page's JS heap (Runtime.getHeapUsage), elements in the document, DOM nodes
//   and JS event listeners (Performance.getMetrics, detached ones too) and the frame rate since the last sample. Start,
//   after the warm-up (half the run, at most 5 minutes) and end, with the growth;
// - with --profile, before the soak, "expand all" and the zooming again under V8's sampling profiler: the functions with
//   the most self time, garbage collection and the browser's own work.
// The load average is printed before each part: the figures depend on what else the machine runs. Asserts nothing.
//
//   npx tsx bench/map-browser.ts [--minutes 10] [--warmup-minutes 5] [--sample-seconds 30] [--phase-seconds 15] [--loads 3]
//     [--services 1700] [--externals 300] [--keep-build] [--profile]
import { loadavg } from "node:os";
import type { CDPSession, Page } from "@playwright/test";
import { launchChromium, percentChange, signedIn, sleep, startBenchWharf } from "./bench-wharf";
import { storeFleetMap } from "./map-fleet";
import { percentile } from "./process-stats";
import { runBench } from "./run-bench";

const option = (name: string) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : NaN);
const minutes = option("--minutes") || 10;
const warmupMinutes = option("--warmup-minutes") || Math.min(5, minutes / 2);
const sampleSeconds = option("--sample-seconds") || 30;
const phaseSeconds = option("--phase-seconds") || 15;
const loads = option("--loads") || 3;
const serviceCount = option("--services") || 1_700;
const externalCount = option("--externals") || 300;
const keepBuild = process.argv.includes("--keep-build");
const profiling = process.argv.includes("--profile");
const port = Number(process.env.BENCH_PORT ?? 3214);

const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(", ");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Records animation frames and long tasks from the document's start; the bench reads and resets them. */
function recorder() {
  const page = window as unknown as { wharfBench: Recorded };
  page.wharfBench = { frames: [], moved: 0, longTasks: [] };
  let transform = "";
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) page.wharfBench.longTasks.push({ start: entry.startTime, ms: entry.duration });
  }).observe({ type: "longtask", buffered: true });
  const tick = (time: number) => {
    page.wharfBench.frames.push(time);
    // An inline style read, no layout: whether the gesture moved the map in this frame.
    const now = document.querySelector<HTMLElement>(".react-flow__viewport")?.style.transform ?? "";
    if (now !== transform) page.wharfBench.moved += 1;
    transform = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

interface Recorded {
  frames: number[];
  /** Frames in which the map's viewport had moved since the one before. */
  moved: number;
  longTasks: { start: number; ms: number }[];
}

const takeRecorded = (page: Page) =>
  page.evaluate(() => {
    const state = (window as unknown as { wharfBench: Recorded }).wharfBench;
    const taken = { frames: state.frames, moved: state.moved, longTasks: state.longTasks };
    state.frames = [];
    state.moved = 0;
    state.longTasks = [];
    return taken;
  });

interface FrameFigures {
  frames: number;
  p50Fps: number;
  meanFps: number;
  slowShare: number;
  longestMs: number;
  text: string;
}

function frameFigures(times: number[]): FrameFigures {
  const deltas = times.slice(1).map((time, index) => time - times[index]!);
  const sorted = [...deltas].sort((a, b) => a - b);
  const span = times.length > 1 ? times.at(-1)! - times[0]! : 0;
  const p50 = sorted.length ? percentile(sorted, 50) : 0;
  const figures = {
    frames: deltas.length,
    p50Fps: p50 > 0 ? 1000 / p50 : 0,
    meanFps: span > 0 ? (1000 * deltas.length) / span : 0,
    slowShare: deltas.length ? deltas.filter((delta) => delta > 33.4).length / deltas.length : 0,
    longestMs: sorted.at(-1) ?? 0,
  };
  return {
    ...figures,
    text:
      `${figures.p50Fps.toFixed(1)} fps at the median frame (p95 frame ${(sorted.length ? percentile(sorted, 95) : 0).toFixed(0)} ms), ` +
      `${figures.meanFps.toFixed(1)} fps overall, ${(figures.slowShare * 100).toFixed(1)} % of ${figures.frames} frames over 33 ms, ` +
      `longest ${figures.longestMs.toFixed(0)} ms`,
  };
}

function longTaskText(tasks: { ms: number }[]): string {
  if (!tasks.length) return "no long task";
  const sorted = tasks.map((task) => task.ms).sort((a, b) => a - b);
  const total = sorted.reduce((sum, ms) => sum + ms, 0);
  return `${tasks.length} long tasks, ${seconds(total)} in all, p50 ${percentile(sorted, 50).toFixed(0)} ms, longest ${sorted.at(-1)!.toFixed(0)} ms`;
}

type MainThread = Record<"TaskDuration" | "ScriptDuration" | "LayoutDuration" | "RecalcStyleDuration", number>;

async function mainThread(cdp: CDPSession): Promise<MainThread> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? 0;
  return {
    TaskDuration: value("TaskDuration"),
    ScriptDuration: value("ScriptDuration"),
    LayoutDuration: value("LayoutDuration"),
    RecalcStyleDuration: value("RecalcStyleDuration"),
  };
}

/** Where the main thread's time went between two readings, as a share of the wall time between them. */
function mainThreadText(before: MainThread, after: MainThread, wallMs: number): string {
  const spent = (name: keyof MainThread) => (after[name] - before[name]) * 1000;
  const share = (ms: number) => `${((ms / wallMs) * 100).toFixed(0)} %`;
  const rest = spent("TaskDuration") - spent("ScriptDuration") - spent("LayoutDuration") - spent("RecalcStyleDuration");
  return (
    `main thread busy ${share(spent("TaskDuration"))} of the time: script ${share(spent("ScriptDuration"))}, ` +
    `layout ${share(spent("LayoutDuration"))}, style ${share(spent("RecalcStyleDuration"))}, the rest (paint, compositing, GC) ${share(rest)}`
  );
}

/** The map pane's centre and size on the page. */
async function pane(page: Page) {
  // With 85 teams the team buttons push the map's top below a 1080-pixel screen's fold.
  await page.getByTestId("app-map").scrollIntoViewIfNeeded();
  const box = (await page.getByTestId("app-map").boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, width: box.width, height: box.height };
}

const viewport = (page: Page) => page.locator(".react-flow__viewport").evaluate((element) => (element as HTMLElement).style.transform);

/**
 * A point of the map's pane with no node or edge under it: a drag that starts on an edge does not pan (xyflow gives
 * selectable edges its `nopan` class), and on the fitted map edges cover most of it. The top right corner if none.
 */
async function grabPoint(page: Page): Promise<{ x: number; y: number }> {
  const box = await pane(page);
  const left = box.x - box.width / 2;
  const top = box.y - box.height / 2;
  const points = Array.from({ length: 81 }, (_, i) => ({ x: left + (box.width * ((i % 9) + 0.5)) / 9, y: top + (box.height * (Math.floor(i / 9) + 0.5)) / 9 }));
  const empty = await page.evaluate(
    (candidates) => candidates.find((point) => document.elementFromPoint(point.x, point.y)?.classList.contains("react-flow__pane")),
    points,
  );
  return empty ?? { x: left + box.width - 20, y: top + 20 };
}

/** Drags the map around a circle with the mouse, one move at a time, until `until`. */
async function pan(page: Page, until: number) {
  const { x, y, height } = await pane(page);
  const radius = height / 4;
  let angle = 0;
  const grab = await grabPoint(page);
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  while (performance.now() < until) {
    angle += 0.08;
    await page.mouse.move(x + radius * Math.cos(angle), y + radius * Math.sin(angle));
  }
  await page.mouse.up();
}

/** Zooms with the wheel at a point off the pane's centre: `steps` notches in (negative: out), no more once past `until`. */
async function wheel(page: Page, steps: number, offset = 0, until = Infinity) {
  const { x, y, width } = await pane(page);
  await page.mouse.move(x + offset * (width / 4), y);
  // About one notch a frame, as a wheel or trackpad sends them.
  for (let i = 0; i < Math.abs(steps) && performance.now() < until; i++) {
    await page.mouse.wheel(0, steps > 0 ? -100 : 100);
    await sleep(16);
  }
}

/** The whole map in view again, by the map's own "fit view" control. */
const fitView = (page: Page) => page.locator(".react-flow__controls-fitview").click();

/** One 100-pixel notch zooms by 2^0.2 (d3-zoom as xyflow sets it): from the fitted map (about 0.07) to 1 takes 19. */
const notchesToZoomOne = async (page: Page) => {
  const zoom = Number(/scale\(([\d.]+)\)/.exec(await viewport(page))?.[1] ?? 1);
  return Math.max(0, Math.round(Math.log2(1 / zoom) / 0.2));
};

/** Zooms in and out between the fitted map and zoom 1, at points across the map, until `until`. */
async function zoomInAndOut(page: Page, until: number) {
  let round = 0;
  while (performance.now() < until) {
    const notches = await notchesToZoomOne(page);
    const offset = [-1, 0, 1][round++ % 3]!;
    await wheel(page, notches, offset);
    await wheel(page, -notches, offset);
  }
}

async function measurePhase(page: Page, cdp: CDPSession, label: string, gesture: (until: number) => Promise<void>) {
  const before = await viewport(page);
  await takeRecorded(page);
  const threadBefore = await mainThread(cdp);
  const started = performance.now();
  await gesture(started + phaseSeconds * 1000);
  const wall = performance.now() - started;
  const threadAfter = await mainThread(cdp);
  const recorded = await takeRecorded(page);
  const frames = frameFigures(recorded.frames);
  console.log(`${label} (took ${seconds(wall)}; load average ${load()}): ${frames.text}; the map moved in ${recorded.moved} frames`);
  console.log(`  ${mainThreadText(threadBefore, threadAfter, wall)}; ${longTaskText(recorded.longTasks)}`);
  const drawn = await page.evaluate(() => document.querySelectorAll(".react-flow__node").length);
  console.log(`  viewport before ${before}, after ${await viewport(page)} (${drawn} node elements drawn)`);
  return frames;
}

/**
 * Runs `work` under V8's sampling profiler (CDP Profiler) and prints where the page's main thread spent the samples:
 * the functions with the most self time (names as minified in the production build, with their chunk), garbage
 * collection, and "(program)": the browser's own work on that thread (style, layout, paint) outside JavaScript.
 */
async function profiled(cdp: CDPSession, label: string, work: () => Promise<unknown>) {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
  await cdp.send("Profiler.start");
  await work();
  const { profile } = await cdp.send("Profiler.stop");
  const byNode = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfMs = new Map<string, number>();
  let totalMs = 0;
  for (const [index, id] of (profile.samples ?? []).entries()) {
    const frame = byNode.get(id)!;
    const ms = (profile.timeDeltas?.[index] ?? 0) / 1000;
    if (frame.functionName === "(idle)") continue;
    const chunk = frame.url.split("/").at(-1) ?? "";
    const key = chunk ? `${frame.functionName || "(anonymous)"} ${chunk}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : frame.functionName;
    selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
    totalMs += ms;
  }
  const top = [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(`  profile of ${label}: ${seconds(totalMs)} not idle; most self time:`);
  for (const [key, ms] of top) console.log(`    ${ms.toFixed(0).padStart(6)} ms ${((ms / totalMs) * 100).toFixed(1).padStart(5)} %  ${key}`);
}

/** The latest `wharf:map-drawn` mark: when, and how many nodes the flow was given. */
const drawnMarks = (page: Page) =>
  page.evaluate(() => performance.getEntriesByName("wharf:map-drawn").map((mark) => ({ at: mark.startTime, nodes: (mark as PerformanceMark).detail.nodes })));

async function timeRegroup(page: Page, button: string) {
  const marks = (await drawnMarks(page)).length;
  const clickedAt = await page.evaluate((name) => {
    const target = [...document.querySelectorAll("button")].find((element) => element.textContent === name)!;
    const at = performance.now();
    target.click();
    return at;
  }, button);
  await page.waitForFunction((count) => performance.getEntriesByName("wharf:map-drawn").length > count, marks, { timeout: 120_000 });
  const drawn = (await drawnMarks(page)).at(-1)!;
  const elements = await page.evaluate(() => ({
    nodes: document.querySelectorAll(".react-flow__node").length,
    edges: document.querySelectorAll(".react-flow__edge").length,
  }));
  console.log(
    `"${button}" clicked → wharf:map-drawn: ${seconds(drawn.at - clickedAt)} (${drawn.nodes} nodes given to the flow; ` +
      `${elements.nodes} node and ${elements.edges} edge elements drawn); ${longTaskText((await takeRecorded(page)).longTasks)}`,
  );
}

interface Sample {
  atSeconds: number;
  heapMb: number;
  elements: number;
  domNodes: number;
  listeners: number;
  fps: FrameFigures;
  load: number;
}

async function sample(page: Page, cdp: CDPSession, startedAt: number): Promise<Sample> {
  const fps = frameFigures((await takeRecorded(page)).frames);
  // Twice: a first collection can leave what finalizers freed for the next one.
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? 0;
  const elements = await page.evaluate(() => document.getElementsByTagName("*").length);
  await takeRecorded(page);
  return {
    atSeconds: (performance.now() - startedAt) / 1000,
    heapMb: heap.usedSize / 1024 / 1024,
    elements,
    domNodes: metric("Nodes"),
    listeners: metric("JSEventListeners"),
    fps,
    load: loadavg()[0]!,
  };
}

async function soak(page: Page, cdp: CDPSession) {
  console.log(`soak: ${minutes} min of panning and zooming, a sample every ${sampleSeconds} s, warm-up ${warmupMinutes} min`);
  const startedAt = performance.now();
  await fitView(page);
  await takeRecorded(page);
  const samples: Sample[] = [await sample(page, cdp, startedAt)];
  // The first sample's frames are those of its own garbage collections: no frame rate for it.
  const print = (entry: Sample) =>
    console.log(
      `${(entry.atSeconds / 60).toFixed(1).padStart(5)} min  JS heap ${entry.heapMb.toFixed(2)} MB  elements ${entry.elements}  ` +
        `DOM nodes ${entry.domNodes}  listeners ${entry.listeners}  ` +
        `${entry !== samples[0] ? `${entry.fps.p50Fps.toFixed(0)} fps p50, ${(entry.fps.slowShare * 100).toFixed(0)} % slow` : "-"}  ` +
        `load ${entry.load.toFixed(1)}`,
    );
  print(samples[0]!);
  const endAt = startedAt + minutes * 60_000;
  let nextSample = performance.now() + sampleSeconds * 1000;
  let round = 0;
  const due = () => performance.now() >= Math.min(nextSample, endAt);
  while (performance.now() < endAt) {
    // Zoomed in somewhere across the map, panned there, zoomed out again, panned over the whole map.
    await fitView(page);
    const notches = await notchesToZoomOne(page);
    const offset = [-1, 0, 1][round++ % 3]!;
    // A notch can take a second on the fitted map: the gestures stop when a sample is due (the next round fits the map).
    await wheel(page, notches, offset, Math.min(nextSample, endAt));
    if (!due()) await pan(page, Math.min(nextSample, endAt, performance.now() + 4000));
    await wheel(page, -notches, offset, Math.min(nextSample, endAt));
    if (!due()) await pan(page, Math.min(nextSample, endAt, performance.now() + 2000));
    if (due()) {
      // The heap and the DOM depend on what is in view: every sample with the whole map fitted, as the first.
      await fitView(page);
      await page.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
      samples.push(await sample(page, cdp, startedAt));
      print(samples.at(-1)!);
      nextSample = performance.now() + sampleSeconds * 1000;
    }
  }
  const first = samples[0]!;
  const warm = samples.find((entry) => entry.atSeconds >= warmupMinutes * 60) ?? first;
  const end = samples.at(-1)!;
  const growth = (pick: (entry: Sample) => number, from: Sample) => {
    const change = percentChange(pick(from), pick(end));
    return `${change >= 0 ? "+" : ""}${change.toFixed(1)} %`;
  };
  for (const [label, pick, unit] of [
    ["JS heap", (entry: Sample) => entry.heapMb, "MB"],
    ["elements in the document", (entry: Sample) => entry.elements, ""],
    ["DOM nodes (detached too)", (entry: Sample) => entry.domNodes, ""],
    ["JS event listeners", (entry: Sample) => entry.listeners, ""],
  ] as const) {
    const value = (entry: Sample) => (unit ? `${pick(entry).toFixed(2)} ${unit}` : String(pick(entry)));
    console.log(
      `${label}: start ${value(first)}, after ${(warm.atSeconds / 60).toFixed(1)} min ${value(warm)}, ` +
        `end (${(end.atSeconds / 60).toFixed(1)} min) ${value(end)}; growth ${growth(pick, warm)} since the warm-up, ${growth(pick, first)} since the start`,
    );
  }
  const fps = samples.slice(1).map((entry) => entry.fps.p50Fps);
  const loads = samples.map((entry) => entry.load);
  console.log(
    `frame rate per sample while panning and zooming: ${Math.min(...fps).toFixed(0)}–${Math.max(...fps).toFixed(0)} fps at the median frame; ` +
      `load average (1 min) during the soak ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
  );
}

async function main() {
  console.log(`load average at the start: ${load()}`);
  const wharf = await startBenchWharf({ name: "bench-map-browser", port, keepBuild, env: { WHARF_WORKER: "off" } });
  const browser = await launchChromium();
  try {
    const { base } = wharf;
    console.log(`Wharf (${keepBuild ? "existing build" : "rebuilt"}) ready on port ${port} after ${wharf.startSeconds.toFixed(1)} s`);
    const stored = await storeFleetMap(wharf.databaseUrl, serviceCount, externalCount);
    console.log(`map: ${stored.nodes} nodes (${serviceCount} services, ${externalCount} externals), ${stored.edges} edges`);
    console.log(`laid out as the worker does (group by group, elkjs in the layout thread) in ${seconds(stored.layoutSeconds * 1000)}`);
    const admin = await signedIn(base, "admin");
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await context.addCookies(
      admin
        .header()
        .split("; ")
        .map((pair) => ({ name: pair.slice(0, pair.indexOf("=")), value: pair.slice(pair.indexOf("=") + 1), url: base })),
    );
    // tsx compiles this file keeping function names (`__name(fn, "name")`), also inside the functions sent to the page.
    await context.addInitScript({ content: "globalThis.__name = (fn) => fn;" });
    await context.addInitScript(recorder);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text().slice(0, 300)}`);
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");

    console.log(`first draw of /map, ${loads} loads (load average ${load()})`);
    for (let i = 0; i < loads; i++) {
      await page.goto(`${base}/map`, { waitUntil: "commit" });
      await page.waitForFunction(() => performance.getEntriesByName("wharf:map-drawn").length > 0, undefined, { timeout: 120_000 });
      const timing = await page.evaluate(() => {
        const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const mark = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
        return {
          responseStart: navigation.responseStart,
          responseEnd: navigation.responseEnd,
          documentKb: navigation.encodedBodySize / 1024,
          domContentLoaded: navigation.domContentLoadedEventEnd,
          mounted: mark("wharf:map-mounted"),
          drawn: mark("wharf:map-drawn"),
          draw: performance.getEntriesByName("wharf:map-draw")[0]?.duration ?? NaN,
          nodes: document.querySelectorAll(".react-flow__node").length,
          edges: document.querySelectorAll(".react-flow__edge").length,
          shown: [...document.querySelectorAll("span")].find((span) => /^\d+ nodes, \d+ edges/.test(span.textContent ?? ""))?.textContent ?? "",
        };
      });
      const longTasks = (await takeRecorded(page)).longTasks.filter((task) => task.start < timing.drawn);
      console.log(
        `  load ${i + 1}: wharf:map-drawn ${seconds(timing.drawn)} after navigation start (${timing.nodes} node and ${timing.edges} edge elements; ` +
          `the page says "${timing.shown.trim().slice(0, 60)}"): first byte ${seconds(timing.responseStart)}, document ` +
          `${timing.documentKb.toFixed(0)} kB by ${seconds(timing.responseEnd)}, DOMContentLoaded ${seconds(timing.domContentLoaded)}, map mounted ` +
          `${seconds(timing.mounted)}, wharf:map-draw (mounted → drawn) ${seconds(timing.draw)}; before the draw ${longTaskText(longTasks)}`,
      );
    }
    await timeRegroup(page, "collapse all");
    await timeRegroup(page, "expand all");

    await measurePhase(page, cdp, `panning the whole map (fitted)`, (until) => pan(page, until));
    // Zoomed in at the middle of the whole map: after the pan above, the pane's centre may be off the map.
    await fitView(page);
    await wheel(page, await notchesToZoomOne(page));
    await measurePhase(page, cdp, `panning at zoom ~1`, (until) => pan(page, until));
    await fitView(page);
    await measurePhase(page, cdp, `zooming in and out between the fitted map and zoom 1`, (until) => zoomInAndOut(page, until));

    if (profiling) {
      await fitView(page);
      await timeRegroup(page, "collapse all");
      await profiled(cdp, '"expand all"', () => timeRegroup(page, "expand all"));
      await profiled(cdp, "zooming", () => measurePhase(page, cdp, `zooming, profiled`, (until) => zoomInAndOut(page, until)));
      await fitView(page);
    }
    await soak(page, cdp);
    console.log(problems.length ? `console errors and warnings, page errors (${problems.length}):` : "no console error or warning, no page error");
    for (const problem of [...new Set(problems)].slice(0, 20)) console.log(`  ${problem}`);
    console.log(`load average at the end: ${load()}`);
  } finally {
    await browser.close();
    await wharf.stop();
  }
}

runBench(main);

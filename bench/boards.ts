// Wall boards at 500 screens on one web process (issue 15). Starts Wharf
// under `scripts/start.ts` (WHARF_WORKER=off, so nothing but the screens and
// the bench's edits touch it) on its own embedded PostgreSQL, makes 5 boards
// (health, rollouts, approvals, cost, map and clock tiles) and 100 display
// tokens per board through the API, then opens 500 screens as the kiosk page
// does (decision 0041): each holds its SSE stream (`/display/<board>/stream`),
// takes the whole snapshot the stream starts with and each new build of its
// board the stream pushes (`board` events), reads the snapshot itself after a
// `change` (spread over 0-1.5 s) and every 5 minutes.
// Prints:
// - snapshot builds per second, counted from what the screens received (each
//   build carries its own `generatedAt`; screens of a board share one build),
//   against the bound of one per board per 2 s per process;
// - web RSS and CPU while the 500 screens are connected, idle and during edits;
// - how long an edit takes to reach the screens: all 5 boards renamed at once
//   through the API, to each screen reading a snapshot with its board's new
//   name (p50, p95, the last of the 500), a few rounds.
// Asserts nothing.
//
//   npx tsx bench/boards.ts [--screens 500] [--boards 5] [--idle 60] [--rounds 3] [--keep-build]
import { startBenchWharf } from "./bench-wharf";
import { BenchBrowser } from "./http-session";
import { percentile, webCpuSeconds, webRssMb } from "./process-stats";
import { runBench } from "./run-bench";

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || fallback;
const screenCount = arg("--screens", 500);
const boardCount = arg("--boards", 5);
const idleSeconds = arg("--idle", 60);
const rounds = arg("--rounds", 3);
const keepBuild = process.argv.includes("--keep-build");
const port = Number(process.env.BENCH_PORT ?? 3208);
const base = `http://localhost:${port}`;
const cacheSeconds = 2;

const sleep = (millis: number) => new Promise((done) => setTimeout(done, millis));
const ms = (value: number) => `${value.toFixed(0)} ms`;
const met = (ok: boolean) => (ok ? "met" : "NOT met");

interface Snapshot {
  boards: BoardBuild[];
}

/** Every build the screens received: board id and generatedAt, with when a screen first saw it. */
const builds = new Map<string, number>();
let snapshotReads = 0;
let snapshotErrors = 0;
let pushesReceived = 0;

interface BoardBuild {
  board: { id: string; name: string };
  generatedAt: string;
}

class Screen {
  /** The last board name this screen read, and when. */
  name = "";
  nameAt = 0;
  ready = false;
  private spread: ReturnType<typeof setTimeout> | undefined;
  private readonly stop = new AbortController();

  constructor(
    readonly slug: string,
    private readonly token: string,
  ) {}

  private get cookie() {
    return `wharf_display=${this.token}`;
  }

  async read(): Promise<void> {
    try {
      const response = await fetch(`${base}/display/${this.slug}/snapshot`, { headers: { cookie: this.cookie }, signal: this.stop.signal });
      if (!response.ok) throw new Error(String(response.status));
      const snapshot = (await response.json()) as Snapshot;
      snapshotReads += 1;
      for (const board of snapshot.boards) this.take(board);
    } catch (error) {
      if (!this.stop.signal.aborted) snapshotErrors += 1;
      void error;
    }
  }

  /** A build of this screen's board, read or pushed: the newest one counts (a read may answer after a newer push). */
  private generatedAt = "";
  private take(board: BoardBuild) {
    const now = performance.now();
    const key = `${board.board.id} ${board.generatedAt}`;
    if (!builds.has(key)) builds.set(key, now);
    if (board.generatedAt < this.generatedAt) return;
    this.generatedAt = board.generatedAt;
    if (board.board.name !== this.name) {
      this.name = board.board.name;
      this.nameAt = now;
    }
  }

  private readSoon() {
    if (this.spread) return;
    this.spread = setTimeout(
      () => {
        this.spread = undefined;
        void this.read();
      },
      Math.floor(Math.random() * 1_500),
    );
  }

  /** The stream, read as the browser's EventSource would, reconnecting after it ends; the snapshot every 5 minutes besides. */
  async open(): Promise<void> {
    const poll = setInterval(() => void this.read(), 300_000 + Math.floor(Math.random() * 1_000));
    this.stop.signal.addEventListener("abort", () => clearInterval(poll));
    while (!this.stop.signal.aborted) {
      try {
        const response = await fetch(`${base}/display/${this.slug}/stream`, { headers: { cookie: this.cookie }, signal: this.stop.signal });
        if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.+)$/m.exec(block)?.[1];
            const data = () => JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as unknown;
            if (event === "board") {
              pushesReceived += 1;
              this.take(data() as BoardBuild);
            } else if (event === "snapshot") for (const board of (data() as Snapshot).boards) this.take(board);
            else if (event === "ready") this.ready = true;
            else if (event === "change") this.readSoon();
          }
        }
      } catch {
        if (this.stop.signal.aborted) return;
      }
      this.ready = false;
      await sleep(1_000 + Math.random() * 1_000);
    }
  }

  close() {
    this.stop.abort();
    clearTimeout(this.spread);
  }
}

async function api(browser: BenchBrowser, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { cookie: browser.header(), origin: base, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

function buildsBetween(from: number, to: number): number {
  let count = 0;
  for (const at of builds.values()) if (at >= from && at < to) count += 1;
  return count;
}

async function main() {
  const wharf = await startBenchWharf({ name: "bench-boards", port, keepBuild: keepBuild, env: { WHARF_WORKER: "off" } });
  const web = wharf.launcher;
  const screens: Screen[] = [];
  try {
    console.log(`Wharf (${keepBuild ? "existing build" : "rebuilt"}) ready on port ${port} after ${wharf.startSeconds.toFixed(0)} s`);

    const admin = new BenchBrowser();
    await admin.signIn(base, "admin");
    const slugs = Array.from({ length: boardCount }, (_, i) => `bench-${i + 1}`);
    for (const slug of slugs) {
      await api(admin, "POST", "/api/v1/boards", {
        slug,
        name: `${slug} r0`,
        teamId: null,
        tiles: [
          { kind: "fleet-health", id: "fleet", x: 0, y: 0, w: 6, h: 4 },
          { kind: "rollouts", id: "rollouts", x: 6, y: 0, w: 6, h: 4 },
          { kind: "approvals", id: "approvals", x: 0, y: 4, w: 4, h: 4 },
          { kind: "cost", id: "cost", x: 4, y: 4, w: 4, h: 4 },
          { kind: "map", id: "map", x: 8, y: 4, w: 4, h: 4 },
          { kind: "clock", id: "clock", x: 0, y: 8, w: 3, h: 2 },
        ],
      });
    }
    const tokensStarted = performance.now();
    for (let i = 0; i < screenCount; i++) {
      const slug = slugs[i % slugs.length]!;
      const { token } = (await api(admin, "POST", `/api/v1/boards/${slug}/displays`, { label: `Screen ${i + 1}` })) as { token: string };
      screens.push(new Screen(slug, token));
    }
    console.log(`${boardCount} boards, ${screenCount} display tokens made through the API in ${((performance.now() - tokensStarted) / 1000).toFixed(1)} s`);

    const rssBefore = webRssMb(web.pid!);
    const opening = performance.now();
    // Screens come up over ~10 s, as a room of TVs switched on would, not in one millisecond.
    for (const [i, screen] of screens.entries()) {
      void screen.open();
      if (i % 50 === 49) await sleep(1_000);
    }
    for (let i = 0; screens.some((screen) => !screen.ready || !screen.name); i++) {
      if (i > 120) throw new Error(`only ${screens.filter((screen) => screen.ready).length} of ${screenCount} screens connected after 60 s`);
      await sleep(500);
    }
    console.log(`${screenCount} screens connected and showing their boards after ${((performance.now() - opening) / 1000).toFixed(1)} s`);
    console.log(`web RSS: ${rssBefore.toFixed(0)} MB before the screens, ${webRssMb(web.pid!).toFixed(0)} MB with ${screenCount} connected`);

    // Idle: only the minute's resync of each board (pushed) and the 5-minute reads.
    const idleFrom = performance.now();
    const cpuIdleFrom = webCpuSeconds(web.pid!);
    const readsIdleFrom = snapshotReads;
    const pushesIdleFrom = pushesReceived;
    await sleep(idleSeconds * 1000);
    const idleTo = performance.now();
    const idleCpu = webCpuSeconds(web.pid!) - cpuIdleFrom;
    const idleBuilds = buildsBetween(idleFrom, idleTo);
    const bound = boardCount / cacheSeconds;
    console.log(
      `idle ${idleSeconds} s: ${snapshotReads - readsIdleFrom} snapshot reads, ${pushesReceived - pushesIdleFrom} builds pushed to screens, ` +
        `${idleBuilds} snapshot builds ` +
        `(${(idleBuilds / idleSeconds).toFixed(2)}/s; bound ${bound.toFixed(1)}/s = ${boardCount} boards / ${cacheSeconds} s: ${met(idleBuilds / idleSeconds <= bound)}); ` +
        `web CPU ${((idleCpu / idleSeconds) * 100).toFixed(1)}% of a core; RSS ${webRssMb(web.pid!).toFixed(0)} MB`,
    );

    // Edits: every board renamed at once; each screen's time to read its board's new name.
    const delivered: number[] = [];
    const lasts: number[] = [];
    const editFrom = performance.now();
    const cpuEditFrom = webCpuSeconds(web.pid!);
    const readsEditFrom = snapshotReads;
    const pushesEditFrom = pushesReceived;
    for (let round = 1; round <= rounds; round++) {
      const sent = performance.now();
      await Promise.all(slugs.map((slug) => api(admin, "PATCH", `/api/v1/boards/${slug}`, { name: `${slug} r${round}` })));
      const answered = performance.now() - sent;
      const wanted = (screen: Screen) => screen.name === `${screen.slug} r${round}`;
      for (let i = 0; !screens.every(wanted); i++) {
        if (i > 600) throw new Error(`round ${round}: ${screens.filter(wanted).length} of ${screenCount} screens saw the edit within 60 s`);
        await sleep(20);
      }
      const times = screens.map((screen) => screen.nameAt - sent).sort((a, b) => a - b);
      delivered.push(...times);
      lasts.push(times.at(-1)!);
      console.log(
        `edit round ${round}: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, last of ${screenCount} ${ms(times.at(-1)!)} ` +
          `(the ${boardCount} PATCHes answered after ${ms(answered)})`,
      );
      await sleep(5_000);
    }
    const editTo = performance.now();
    const editSeconds = (editTo - editFrom) / 1000;
    const editBuilds = buildsBetween(editFrom, editTo);
    delivered.sort((a, b) => a - b);
    console.log(
      `edits (${rounds} rounds, ${editSeconds.toFixed(0)} s): ${snapshotReads - readsEditFrom} snapshot reads, ` +
        `${pushesReceived - pushesEditFrom} builds pushed to screens, ${editBuilds} snapshot builds ` +
        `(${(editBuilds / editSeconds).toFixed(2)}/s; bound ${bound.toFixed(1)}/s: ${met(editBuilds / editSeconds <= bound)}); ` +
        `web CPU ${(((webCpuSeconds(web.pid!) - cpuEditFrom) / editSeconds) * 100).toFixed(1)}% of a core; RSS ${webRssMb(web.pid!).toFixed(0)} MB`,
    );
    console.log(
      `an edit reaching the screens, all rounds: p50 ${ms(percentile(delivered, 50))}, p95 ${ms(percentile(delivered, 95))} (target < 1 s: ` +
        `${met(percentile(delivered, 95) < 1000)}), all ${screenCount} screens within ${ms(Math.max(...lasts))} ` +
        `(pushed through each screen's stream; no screen reads its snapshot for an edit)`,
    );
    console.log(`snapshot reads that failed: ${snapshotErrors}`);
  } finally {
    for (const screen of screens) screen.close();
    await wharf.stop();
  }
}

runBench(main);

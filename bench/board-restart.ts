// Issue 15's fault "the web process restarted while 50 screens are connected": they must reconnect without a
// reload storm, jittered. Starts Wharf (`WHARF_WORKER=off`, port BENCH_PORT, default 3211) on its own embedded
// PostgreSQL, makes a board and one display token per screen, and connects
//  - N lightweight screens (default 50) that speak the kiosk's protocol as components/boards/kiosk.tsx does: the
//    board's stream (`/display/<board>/stream`, SSE); on its failure the snapshot read and a new stream, each after its
//    own draw of the kiosk's backoff (`reconnectDelayMs` of lib/boards/data-age.ts); a snapshot with another Wharf version
//    would reload the page, so it is counted;
//  - 2 real kiosk pages in Chromium (as playwright.config.ts launches it), to prove no reload loop.
// Then it ends the web server (SIGTERM, as a deployment does; `--signal SIGKILL` as the OOM killer would) and the
// launcher starts a new one. Prints how long until every screen has its stream and data again, how many reloaded,
// and how the reconnects spread over time (the most in one second). Asserts nothing.
//
//   npx tsx bench/board-restart.ts [--screens 50] [--browsers 2] [--signal SIGTERM|SIGKILL] [--keep-build]
import { connect } from "node:net";
import type { Page } from "@playwright/test";
import { reconnectDelayMs } from "../lib/boards/data-age";
import { api, launchChromium, signedIn, sleep, startBenchWharf } from "./bench-wharf";
import { percentile, webServerPid } from "./process-stats";
import { runBench } from "./run-bench";

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || fallback;
const screenCount = arg("--screens", 50);
const browserCount = process.argv.includes("--browsers") ? arg("--browsers", 0) : 2;
const signal = (process.argv.includes("--signal") ? process.argv[process.argv.indexOf("--signal") + 1] : "SIGTERM") as NodeJS.Signals;
const keepBuild = process.argv.includes("--keep-build");
const port = Number(process.env.BENCH_PORT ?? 3211);
const slug = "restart-bench";

const now = () => performance.now();
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A screen that speaks the kiosk's protocol over plain HTTP. */
class ProtocolScreen {
  /** When each stream was asked for, answered or not. */
  readonly attempts: number[] = [];
  /** When each stream said `ready` (the whole snapshot came before it). */
  readonly readies: number[] = [];
  /** When each snapshot (pushed at connect, or read after a failure) arrived. */
  readonly snapshots: number[] = [];
  /** Snapshots whose Wharf version differs from the first: the kiosk would reload. */
  reloads = 0;
  private version: string | undefined;
  private failures = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private refetch: ReturnType<typeof setTimeout> | undefined;
  private readonly stop = new AbortController();

  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  private get headers() {
    return { cookie: `wharf_display=${this.token}` };
  }

  private take(snapshot: { version: string }) {
    this.snapshots.push(now());
    this.version ??= snapshot.version;
    if (snapshot.version !== this.version) this.reloads += 1;
  }

  private async load(): Promise<void> {
    try {
      const response = await fetch(`${this.base}/display/${slug}/snapshot`, { headers: this.headers, signal: this.stop.signal });
      if (response.ok) this.take((await response.json()) as { version: string });
      else await response.body?.cancel();
    } catch {
      // offline: the kiosk shows "offline since …" and keeps its data
    }
  }

  connect(): void {
    if (this.stop.signal.aborted) return;
    this.attempts.push(now());
    void this.stream().then(() => {
      if (this.stop.signal.aborted) return;
      this.failures += 1;
      this.refetch = setTimeout(() => void this.load(), reconnectDelayMs(this.failures));
      this.retry = setTimeout(() => this.connect(), reconnectDelayMs(this.failures));
    });
  }

  /** One stream, until it ends or fails (EventSource's `error`, after which the kiosk closes it and backs off itself). */
  private async stream(): Promise<void> {
    try {
      const response = await fetch(`${this.base}/display/${slug}/stream`, { headers: this.headers, signal: this.stop.signal });
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          if (event === "snapshot") this.take(JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { version: string });
          else if (event === "ready") {
            this.failures = 0;
            this.readies.push(now());
          }
        }
      }
    } catch {
      // the connection dropped or was refused
    }
  }

  close() {
    this.stop.abort();
    clearTimeout(this.retry);
    clearTimeout(this.refetch);
  }
}

/** A kiosk page in Chromium: its navigations (a reload is one) and its stream requests, timed. */
interface KioskPage {
  page: Page;
  navigations: number;
  streamsAnswered: number[];
}

async function openKiosk(browser: Awaited<ReturnType<typeof launchChromium>>, base: string, token: string): Promise<KioskPage> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const kiosk: KioskPage = { page, navigations: 0, streamsAnswered: [] };
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) kiosk.navigations += 1;
  });
  page.on("response", (response) => {
    if (response.url().endsWith(`/display/${slug}/stream`) && response.status() === 200) kiosk.streamsAnswered.push(now());
  });
  await page.goto(`${base}/display/${slug}?token=${token}`);
  await page.getByTestId("kiosk-live").waitFor({ timeout: 120_000 });
  await page.evaluate(() => ((window as unknown as { wharfMarker: string }).wharfMarker = "same page"));
  return kiosk;
}

/** The most of `times` within any one second (a sliding window, so a burst split across two whole seconds still counts once). */
function mostInOneSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** Whether the port takes a TCP connection (a process listens), answered or not. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: "localhost" });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

/** Counts per second from `from`: "+0 s: 3, +1 s: 5, …" for the seconds that had any, and the most in one. */
function perSecond(times: number[], from: number): { line: string; max: number } {
  const buckets = new Map<number, number>();
  for (const at of times) {
    const second = Math.floor((at - from) / 1000);
    buckets.set(second, (buckets.get(second) ?? 0) + 1);
  }
  const sorted = [...buckets].sort(([a], [b]) => a - b);
  return { line: sorted.map(([second, count]) => `+${second} s: ${count}`).join(", "), max: Math.max(0, ...buckets.values()) };
}

async function main() {
  const wharf = await startBenchWharf({ name: "bench-board-restart", port, keepBuild, env: { WHARF_WORKER: "off" } });
  const screens: ProtocolScreen[] = [];
  const browser = browserCount > 0 ? await launchChromium() : undefined;
  try {
    console.log(`Wharf (${keepBuild ? "existing build" : "rebuilt"}) ready on port ${port}`);
    const admin = await signedIn(wharf.base, "admin");
    await api(wharf.base, admin, "POST", "/api/v1/boards", {
      slug,
      name: "Restart bench",
      teamId: null,
      tiles: [
        { kind: "fleet-health", id: "fleet", x: 0, y: 0, w: 6, h: 4 },
        { kind: "rollouts", id: "rollouts", x: 6, y: 0, w: 6, h: 4 },
        { kind: "approvals", id: "approvals", x: 0, y: 4, w: 6, h: 4 },
        { kind: "clock", id: "clock", x: 6, y: 4, w: 6, h: 4 },
      ],
    });
    const token = async (label: string) => (await api<{ token: string }>(wharf.base, admin, "POST", `/api/v1/boards/${slug}/displays`, { label })).token;
    for (let i = 0; i < screenCount; i++) screens.push(new ProtocolScreen(wharf.base, await token(`Screen ${i + 1}`)));
    const kiosks: KioskPage[] = [];
    for (let i = 0; i < browserCount; i++) kiosks.push(await openKiosk(browser!, wharf.base, await token(`Chromium ${i + 1}`)));

    for (const [i, screen] of screens.entries()) {
      screen.connect();
      if (i % 10 === 9) await sleep(200);
    }
    for (let i = 0; screens.some((screen) => screen.readies.length === 0); i++) {
      if (i > 240) throw new Error(`only ${screens.filter((screen) => screen.readies.length > 0).length} of ${screenCount} screens connected after 60 s`);
      await sleep(250);
    }
    console.log(`${screenCount} protocol screens and ${kiosks.length} Chromium kiosk pages connected to one board`);
    await sleep(5_000);

    const oldPid = webServerPid(wharf.launcher.pid!);
    if (!oldPid) throw new Error("no next-server process under the launcher");
    const navigationsBefore = kiosks.map((kiosk) => kiosk.navigations);
    const killedAt = now();
    process.kill(oldPid, signal);
    console.log(`web server ${oldPid} sent ${signal}`);

    let answeredAt: number | undefined;
    let listeningAt: number | undefined;
    // The old server stops listening at once (server.close()); the new one listens once its routes are loaded (decision 0060).
    const watchPort = setInterval(() => {
      if (listeningAt !== undefined) return;
      const at = now();
      void listening(port).then((open) => {
        if (open && listeningAt === undefined && webServerPid(wharf.launcher.pid!) !== oldPid) listeningAt = at;
      });
    }, 100);
    const everyScreenBack = () => screens.every((screen) => screen.readies.some((at) => at > killedAt));
    const kioskBack = async (kiosk: KioskPage) =>
      kiosk.streamsAnswered.some((at) => at > killedAt) && (await kiosk.page.getByTestId("kiosk-live").count()) === 1;
    const kiosksBackAt = new Map<KioskPage, number>();
    for (let i = 0; ; i++) {
      if (answeredAt === undefined) {
        const pid = webServerPid(wharf.launcher.pid!);
        if (pid && pid !== oldPid && (await fetch(`${wharf.base}/api/readyz`).catch(() => null))?.ok) answeredAt = now();
      }
      for (const kiosk of kiosks) if (!kiosksBackAt.has(kiosk) && (await kioskBack(kiosk))) kiosksBackAt.set(kiosk, now());
      if (answeredAt !== undefined && everyScreenBack() && kiosksBackAt.size === kiosks.length) break;
      if (i > 1200) throw new Error(`after 5 min: ${screens.filter((screen) => screen.readies.some((at) => at > killedAt)).length} screens back`);
      await sleep(250);
    }
    clearInterval(watchPort);
    // Late reconnects or a reload loop would show in the next seconds.
    await sleep(15_000);

    const backAt = screens.map((screen) => screen.readies.find((at) => at > killedAt)! - killedAt).sort((a, b) => a - b);
    const dataAt = screens.map((screen) => screen.snapshots.find((at) => at > killedAt)! - killedAt).sort((a, b) => a - b);
    const readies = screens.flatMap((screen) => screen.readies.filter((at) => at > killedAt));
    const attempts = screens.flatMap((screen) => screen.attempts.filter((at) => at > killedAt));
    const answered = answeredAt! - killedAt;
    const connects = perSecond(readies, answeredAt!);
    const asks = perSecond(attempts, killedAt);
    const reloads = screens.reduce((sum, screen) => sum + screen.reloads, 0);
    const pageReloads = kiosks.map((kiosk, i) => kiosk.navigations - navigationsBefore[i]!);
    const markers = await Promise.all(kiosks.map((kiosk) => kiosk.page.evaluate(() => (window as unknown as { wharfMarker?: string }).wharfMarker)));

    console.log(
      `the launcher's new web server took connections ${listeningAt === undefined ? "(not seen)" : seconds(listeningAt - killedAt)} ` +
        `and answered /api/readyz ${seconds(answered)} after the ${signal}`,
    );
    console.log(
      `protocol screens back (stream ready) after the ${signal}: p50 ${seconds(percentile(backAt, 50))}, p95 ${seconds(percentile(backAt, 95))}, ` +
        `all ${screenCount} ${seconds(backAt.at(-1)!)} (${seconds(backAt.at(-1)! - answered)} after the web server answered); ` +
        `data again (first snapshot): all within ${seconds(dataAt.at(-1)!)}`,
    );
    const mostReady = mostInOneSecond(readies);
    console.log(
      `stream attempts after the ${signal} (${attempts.length}, per second from it): ${asks.line}; ` +
        `at most ${mostInOneSecond(attempts)} within one second (the screens' own spread)`,
    );
    console.log(
      `reconnects (stream ready) per second from the web server's answer: ${connects.line}; at most ${mostReady} within one second ` +
        `(${((mostReady / screenCount) * 100).toFixed(0)} % of the screens; bound: half of them)`,
    );
    console.log(`protocol screens that saw another Wharf version (would reload): ${reloads} (must be 0: no new version was deployed)`);
    for (const [i, kiosk] of kiosks.entries())
      console.log(
        `Chromium kiosk ${i + 1}: live again ${seconds(kiosksBackAt.get(kiosk)! - killedAt)} after the ${signal}, ` +
          `reloads ${pageReloads[i]} (must be 0), same page ${markers[i] === "same page" ? "yes" : "NO"}, ` +
          `stream answers after the restart ${kiosk.streamsAnswered.filter((at) => at > killedAt).length}`,
      );
    const reloaded = reloads + pageReloads.reduce((sum, count) => sum + count, 0);
    console.log(`target: no screen reloaded: ${reloaded === 0 ? "met" : "NOT met"}; reconnects spread: ${mostReady <= screenCount / 2 ? "met" : "NOT met"}`);
  } finally {
    for (const screen of screens) screen.close();
    await browser?.close();
    await wharf.stop();
  }
}

runBench(main);

// `npm start` as an operator meets it: a second Wharf, started by this test in
// a fresh data folder on free ports from the build the e2e web server made.
// Its web server is killed with SIGKILL (as the OOM killer would) and must
// come back; SIGTERM to the launcher must then stop every process it started
// and release the data folder. With two web processes behind its one port, a
// live stream held by either one receives a change made through the other
// (decision 0060).
import { existsSync } from "node:fs";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { descendants, isRunning, startLauncher } from "./launcher-process";
import { signInAs } from "./fixtures";

async function healthz(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://localhost:${port}/api/healthz`)).ok;
  } catch {
    return false;
  }
}

test("the launcher starts its web server again after a SIGKILL, and SIGTERM stops everything it started", async () => {
  test.setTimeout(300_000);
  const launcher = await startLauncher({ WHARF_WORKER: "off" });
  const { port, dataDir, said } = launcher;
  try {
    await said(/Wharf is ready at/, 180_000);
    expect(launcher.output()).not.toContain("building the web app");

    const started = descendants(launcher.child.pid!);
    const webServers = started.filter((child) => child.command.startsWith("next-server"));
    expect(webServers.length, `a next-server among ${JSON.stringify(started)}`).toBeGreaterThan(0);
    expect(started.some((child) => child.command.includes("sandbox/main.ts"))).toBe(true);
    expect(started.some((child) => /postgres/.test(child.command))).toBe(true);

    process.kill(webServers[0]!.pid, "SIGKILL");
    await said(/(the web server|web server \d of \d) was killed by SIGKILL; starting it again in \d+\.\d s/, 30_000);
    await said(/(the web server|web server \d of \d) answers again/, 180_000);
    expect(await healthz(port)).toBe(true);
    const again = descendants(launcher.child.pid!).filter((child) => child.command.startsWith("next-server"));
    expect(again.map((child) => child.pid)).not.toContain(webServers[0]!.pid);
    expect(again).toHaveLength(webServers.length);

    const all = descendants(launcher.child.pid!);
    launcher.child.kill("SIGTERM");
    expect(await Promise.race([launcher.exited, new Promise((done) => setTimeout(() => done("still running after 60 s"), 60_000))])).toBe(0);
    await expect.poll(() => all.filter((child) => isRunning(child.pid)), { timeout: 15_000 }).toEqual([]);
    expect(existsSync(join(dataDir, "pg", "postmaster.pid")), "PostgreSQL's lock on the data folder is released").toBe(false);
    expect(await healthz(port)).toBe(false);
  } finally {
    launcher.cleanUp();
  }
});

/** A request on a connection of its own (no keep-alive pool), so the cluster hands it to the next web process in turn. */
function send(
  port: number,
  path: string,
  options: { cookie: string; method?: string; body?: unknown },
): Promise<{ response: IncomingMessage; process: string; body: () => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const request = httpRequest(
      {
        host: "localhost",
        port,
        path,
        method: options.method ?? "GET",
        agent: false,
        headers: {
          cookie: options.cookie,
          origin: `http://localhost:${port}`,
          ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
        },
      },
      (response) => {
        const process_ = String(response.headers["x-wharf-process"] ?? "");
        resolve({
          response,
          process: process_,
          body: () =>
            new Promise((done) => {
              let text = "";
              response.on("data", (chunk: Buffer) => (text += chunk.toString()));
              response.on("end", () => done(text));
            }),
        });
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

test("with two web processes, a live stream on either one receives a change made through the other", async ({ page }) => {
  test.setTimeout(420_000);
  const launcher = await startLauncher({ WHARF_WEB_PROCESSES: "2" });
  const { port, said } = launcher;
  const streams: IncomingMessage[] = [];
  try {
    await said(/Wharf is ready at .*2 web processes/, 240_000);
    expect(descendants(launcher.child.pid!).filter((child) => child.command.startsWith("next-server"))).toHaveLength(2);

    await signInAs(page, "admin", `http://localhost:${port}/`);
    const session = (await page.context().cookies(`http://localhost:${port}`)).find((cookie) => cookie.name === "wharf_session");
    expect(session, "a session cookie after signing in").toBeDefined();
    const cookie = `wharf_session=${session!.value}`;

    // One stream held by each process: the cluster gives each new connection to the next process, so a few tries do.
    const received = new Map<string, string>();
    for (let attempt = 0; attempt < 10 && received.size < 2; attempt++) {
      const stream = await send(port, "/api/v1/stream?topic=approvals:inbox", { cookie });
      expect(stream.response.statusCode).toBe(200);
      if (received.has(stream.process)) {
        stream.response.destroy();
        continue;
      }
      expect(stream.process).toMatch(/^[12]$/);
      streams.push(stream.response);
      received.set(stream.process, "");
      stream.response.on("data", (chunk: Buffer) => received.set(stream.process, received.get(stream.process) + chunk.toString()));
    }
    expect([...received.keys()].sort()).toEqual(["1", "2"]);

    // A namespace request filed through the API: its transaction sends the approvals inbox's notice.
    const teams = JSON.parse(await (await send(port, "/api/v1/teams", { cookie })).body()) as { teams: { id: string; slug: string }[] };
    const clusters = JSON.parse(await (await send(port, "/api/v1/clusters", { cookie })).body()) as { clusters: { id: string; name: string }[] };
    const filed = await send(port, "/api/v1/namespace-requests", {
      cookie,
      method: "POST",
      body: {
        teamId: teams.teams.find((team) => team.slug === "drone-delivery")!.id,
        clusterId: clusters.clusters.find((cluster) => cluster.name === "aks-dev-weu")!.id,
        name: "drone-delivery-multiproc",
        quota: { requestsCpu: "4", limitsCpu: "8", requestsMemory: "8Gi", limitsMemory: "16Gi", pods: "50", storage: "10Gi", loadBalancers: "0" },
        containerDefaults: { requestCpu: "100m", requestMemory: "128Mi", limitCpu: "500m", limitMemory: "512Mi" },
        justification: "End-to-end test of two web processes",
      },
    });
    expect(filed.response.statusCode, await filed.body()).toBe(201);
    const other = filed.process === "1" ? "2" : "1";
    // The stream on the process that did not handle the request hears of it through PostgreSQL, as does its own.
    await expect.poll(() => received.get(other), { timeout: 20_000 }).toContain('"kind":"approvals"');
    await expect.poll(() => received.get(filed.process), { timeout: 20_000 }).toContain('"kind":"approvals"');
  } finally {
    for (const stream of streams) stream.destroy();
    launcher.cleanUp();
  }
});

test("the launcher starts the sandbox again after a SIGKILL, on the same ports, and sign-in works through the new one", async ({ page }) => {
  test.setTimeout(360_000);
  const launcher = await startLauncher({ WHARF_WORKER: "off", WHARF_WEB_PROCESSES: "1" });
  const { port, said } = launcher;
  try {
    await said(/Wharf is ready at/, 240_000);
    const authority = /sandbox identity provider at (\S+)/.exec(launcher.output())![1]!;
    const sandboxes = descendants(launcher.child.pid!).filter((child) => child.command.includes("sandbox/main.ts"));
    expect(sandboxes, JSON.stringify(sandboxes)).toHaveLength(1);

    process.kill(sandboxes[0]!.pid, "SIGKILL");
    await said(/the sandbox was killed by SIGKILL; starting it again in \d+\.\d s/, 30_000);
    await said(new RegExp(`the sandbox answers again at ${authority.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`), 120_000);
    const again = descendants(launcher.child.pid!).filter((child) => child.command.includes("sandbox/main.ts"));
    expect(again).toHaveLength(1);
    expect(again[0]!.pid).not.toBe(sandboxes[0]!.pid);

    // The web process still holds the sandbox's endpoints: signing in goes through the new sandbox's identity provider.
    await signInAs(page, "admin", `http://localhost:${port}/`);
    expect((await page.context().cookies(`http://localhost:${port}`)).some((cookie) => cookie.name === "wharf_session")).toBe(true);

    launcher.child.kill("SIGTERM");
    expect(await Promise.race([launcher.exited, new Promise((done) => setTimeout(() => done("still running after 60 s"), 60_000))])).toBe(0);
    expect(descendants(launcher.child.pid!)).toEqual([]);
  } finally {
    launcher.cleanUp();
  }
});

test("a new install starts with the demo estate: health, what waits for the admin, and cost after the first sync", async ({ page }) => {
  test.setTimeout(420_000);
  // As `npm start` runs for a new user, with a shorter poll and the sandbox's Cost Management quota windows shortened,
  // so the first sync's pacing does not take minutes here.
  const launcher = await startLauncher({ WHARF_DEMO_ESTATE: "on", WHARF_WEB_PROCESSES: "1", WHARF_HEALTH_POLL_SECONDS: "5", SANDBOX_COST_QUOTA_SPEED: "60" });
  const { port, said } = launcher;
  try {
    await said(/seeded the demo estate: 5 namespaces with 22 deployments \(1 awaiting approval, 1 namespace request awaiting approval\)/, 240_000);
    await said(/Wharf is ready at/, 240_000);
    const base = `http://localhost:${port}`;

    // The admin's home: the two things left for a decision, and Delivery's dev version failing on the fleet's health.
    await signInAs(page, "admin", `${base}/`);
    await expect(page.getByRole("heading", { name: "Waiting for you (2)" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Ledger revision 2" })).toBeVisible();
    await expect(page.getByRole("link", { name: "orders-prod" })).toBeVisible();
    await expect
      .poll(
        async () => {
          await page.goto(`${base}/health?team=drone-delivery&environment=dev`);
          // A row's name is not its content here: the row is found by its service's link, then read.
          const delivery = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Delivery", exact: true }) });
          return delivery
            .filter({ has: page.getByText("Unhealthy", { exact: true }) })
            .filter({ hasText: /Failure rate [\d.]+ % is at or above/ })
            .count();
        },
        { timeout: 120_000, intervals: [5_000] },
      )
      .toBe(1);
    // The rest of Drone Delivery's dev services rolled out and are healthy.
    await expect(page.getByRole("row").filter({ has: page.getByText("Healthy", { exact: true }) })).toHaveCount(4);

    // Cost: the first sync ran without anyone pressing "Sync now", and the month so far has a figure in euros.
    await expect
      .poll(
        async () => {
          await page.goto(`${base}/costs`);
          return page.getByText(/Month to date\s*€[\d,]+\.\d\d/).count();
        },
        { timeout: 180_000, intervals: [5_000] },
      )
      .toBeGreaterThan(0);
    await expect(page.getByText(/Last sync: never/)).toHaveCount(0);
  } finally {
    launcher.cleanUp();
  }
});

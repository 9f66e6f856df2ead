// The launcher's web-server supervision against real processes: a small HTTP
// server in a child Node process stands in for next-server (the launcher test
// with Next itself is e2e/launcher.spec.ts, which has a build to start).
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "@/lib/net/free-port";
import { superviseProcess, type RestartPolicy, type SupervisedProcess } from "./web-process";

const quick: RestartPolicy = { backoff: { initial: 20, max: 50 }, maxDeaths: 3, windowMs: 60_000, stopGraceMs: 300 };

/** A server answering "ok" on `port`; with `ignoreSigterm` it has to be killed. */
function server(port: number, options: { ignoreSigterm?: boolean } = {}): () => ChildProcess {
  const source = `
    ${options.ignoreSigterm ? 'process.on("SIGTERM", () => {});' : ""}
    require("node:http").createServer((_, response) => response.end("ok")).listen(${port}, "127.0.0.1");
  `;
  return () => spawn(process.execPath, ["-e", source], { stdio: "ignore" });
}

async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/`)).ok;
  } catch {
    return false;
  }
}

function untilAnswers(port: number) {
  return async (child: ChildProcess) => {
    for (let tries = 0; tries < 200; tries++) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error("ended before it answered");
      if (await answers(port)) return;
      await new Promise((done) => setTimeout(done, 25));
    }
    throw new Error("did not answer");
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, check: () => T | undefined | false): Promise<T> {
  for (let tries = 0; tries < 400; tries++) {
    const value = check();
    if (value) return value;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function recorder() {
  const events: string[] = [];
  return {
    events,
    report: {
      died: (how: string) => events.push(`died: ${how}`),
      restarted: () => events.push("restarted"),
      failedToRestart: (error: Error) => events.push(`failed: ${error.message}`),
    },
  };
}

const supervised: SupervisedProcess[] = [];
afterEach(async () => {
  await Promise.all(supervised.splice(0).map((process) => process.stop()));
});

describe("the launcher's web server supervision", () => {
  it("starts a new web server after one is killed with SIGKILL, and it answers", async () => {
    const port = await freePort();
    const { events, report } = recorder();
    const web = superviseProcess(server(port), untilAnswers(port), report, quick);
    supervised.push(web);
    await web.ready;
    const first = web.pid()!;

    process.kill(first, "SIGKILL");
    await waitFor("the restart", () => events.includes("restarted"));
    expect(events).toEqual(["died: was killed by SIGKILL", "restarted"]);
    expect(web.pid()).not.toBe(first);
    expect(await answers(port)).toBe(true);
  });

  it("stops without waiting for an exit that already happened (a web server killed by a signal)", async () => {
    const port = await freePort();
    const { events, report } = recorder();
    const web = superviseProcess(server(port), untilAnswers(port), report, { ...quick, backoff: { initial: 60_000, max: 60_000 } });
    supervised.push(web);
    await web.ready;
    const first = web.pid()!;
    process.kill(first, "SIGKILL");
    await waitFor("the death to be noticed", () => events.length > 0);

    await web.stop();
    expect(web.pid()).toBeUndefined();
    expect(isAlive(first)).toBe(false);
  });

  it("gives up after too many deaths within the window, and stops the last one", async () => {
    const port = await freePort();
    const { events, report } = recorder();
    const web = superviseProcess(server(port), untilAnswers(port), report, quick);
    supervised.push(web);
    await web.ready;
    let gaveUp: string | undefined;
    void web.gaveUp.then((why) => (gaveUp = why));

    for (let death = 1; death <= quick.maxDeaths; death++) {
      const pid = await waitFor(
        `web server ${death} to answer`,
        () => (events.filter((event) => event === "restarted").length === death - 1 && web.pid()) || undefined,
      );
      process.kill(pid, "SIGKILL");
      if (death < quick.maxDeaths) await waitFor(`restart ${death}`, () => events.filter((event) => event === "restarted").length === death);
    }
    await waitFor("giving up", () => gaveUp);
    expect(gaveUp).toBe("the web server was killed by SIGKILL; it died 3 times within 60 s, so it is not started again");
    expect(events.filter((event) => event.startsWith("died"))).toHaveLength(quick.maxDeaths - 1);
    await new Promise((done) => setTimeout(done, 200));
    expect(web.pid()).toBeUndefined();
    expect(await answers(port)).toBe(false);
  });

  it("does not start again a web server that dies before it ever answered", async () => {
    const { events, report } = recorder();
    const web = superviseProcess(
      () => spawn(process.execPath, ["-e", "process.exit(3)"], { stdio: "ignore" }),
      () => new Promise(() => {}),
      report,
      quick,
    );
    supervised.push(web);
    await expect(web.ready).rejects.toThrow("the web server exited with code 3 before it answered; see its output above");
    await new Promise((done) => setTimeout(done, 200));
    expect(events).toEqual([]);
  });

  it("kills a web server that does not end on SIGTERM within the grace time", async () => {
    const port = await freePort();
    const { report } = recorder();
    const web = superviseProcess(server(port, { ignoreSigterm: true }), untilAnswers(port), report, quick);
    supervised.push(web);
    await web.ready;
    const pid = web.pid()!;
    await web.stop();
    expect(isAlive(pid)).toBe(false);
  });
});

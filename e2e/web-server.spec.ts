// scripts/web-server.ts on its own, from the build the e2e web server made:
// it opens its port only once every route's module is loaded and it has
// answered requests of its own (decision 0060), so the first request a client
// sends the moment the port accepts gets a real answer, not a wait behind the
// loading of every route (issue 15: 18–81 s under load, then all at once).
import { connect } from "node:net";
import { expect, test } from "@playwright/test";
import { freePort } from "../lib/net/free-port";
import { startLoneWebServer } from "./raw-http";

/** Whether something accepts a TCP connection on `port` now. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "localhost", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

test("the web server opens its port only once its routes are loaded and answer", async () => {
  test.setTimeout(240_000);
  const port = await freePort();
  // Azure mode with made-up settings: the server needs no sandbox, and no database to answer its probe and sign-in page.
  const { process: server, output } = startLoneWebServer({ port, logLevel: "warn", databaseUrl: "postgresql://wharf:wharf@localhost:1/wharf" });
  try {
    for (const deadline = Date.now() + 200_000; ; await new Promise((done) => setTimeout(done, 20))) {
      expect(server.exitCode, `the web server ended; it said:\n${output()}`).toBeNull();
      expect(Date.now() < deadline, `the web server never accepted a connection; it said:\n${output()}`).toBe(true);
      if (await accepts(port)) break;
    }
    // The moment the port first accepts, the first request gets a real answer: the server wrote, before it listened, that
    // every route is loaded and that it answered its own requests (the line is in the pipe already; reading it may lag).
    const first = fetch(`http://localhost:${port}/api/healthz`);
    await expect.poll(output).toMatch(/loaded [1-9]\d* routes, answered \/api\/healthz 200, \/sign-in 200; listening now\n[^]*listening on port/);
    expect((await first).status).toBe(200);
    const probe = await fetch(`http://localhost:${port}/api/healthz`);
    expect(probe.status).toBe(200);
    expect(await probe.json()).toEqual({ status: "ok" });
    const signIn = await fetch(`http://localhost:${port}/sign-in`);
    expect(signIn.status).toBe(200);
    expect(await signIn.text()).toContain("Sign in");
  } finally {
    server.kill("SIGKILL");
  }
});

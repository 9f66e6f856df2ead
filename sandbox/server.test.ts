import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { Agent, get } from "node:https";
import type { Socket } from "node:net";
import { connect } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sandboxKeepAliveMs, startSandbox } from "./server";
import { httpsJson, signIn } from "./test-support/sandbox-client";

/** What a Node server with no keepAliveTimeout set waits (5 s), read from Node rather than written down. */
const defaultNodeKeepAliveMs = createServer().keepAliveTimeout;

const dataDir = mkdtempSync(join(tmpdir(), "wharf-sandbox-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("startSandbox", () => {
  it("writes endpoints.json and keeps CA, signing keys and client secret across restarts", async () => {
    const first = await startSandbox({ dataDir });
    const state = join(dataDir, "sandbox");
    const endpoints = JSON.parse(readFileSync(join(state, "endpoints.json"), "utf8")) as Record<string, unknown>;
    expect(endpoints).toEqual(first.endpoints);
    expect(endpoints).toMatchObject({
      caFile: join(state, "ca.pem"),
      caBundleFile: join(state, "ca-bundle.pem"),
      graphEndpoint: `https://localhost:${first.port}/graph`,
      port: first.port,
    });
    expect(readFileSync(join(state, "ca-bundle.pem"), "utf8").endsWith(readFileSync(join(state, "ca.pem"), "utf8"))).toBe(true);
    const ca = readFileSync(join(state, "ca.pem"), "utf8");
    const jwks = readFileSync(join(state, "jwks.json"), "utf8");
    const signedIn = await signIn(first.endpoints, "payments");
    const firstKeys = await httpsJson(`${first.endpoints.authority}/jwks`, { ca });
    await first.close();

    const second = await startSandbox({ dataDir });
    try {
      expect(readFileSync(join(state, "ca.pem"), "utf8")).toBe(ca);
      expect(readFileSync(join(state, "jwks.json"), "utf8")).toBe(jwks);
      expect(second.endpoints.clientSecret).toBe(first.endpoints.clientSecret);
      // The new server certificate still chains to the kept CA.
      const secondKeys = await httpsJson(`${second.endpoints.authority}/jwks`, { ca });
      expect(secondKeys.body).toEqual(firstKeys.body);
      const kid = JSON.parse(Buffer.from(signedIn.idToken.split(".")[0] ?? "", "base64url").toString()) as { kid: string };
      expect((secondKeys.body as { keys: { kid: string }[] }).keys.map((k) => k.kid)).toContain(kid.kid);
    } finally {
      await second.close();
    }
  });

  it("starts clean with reset", async () => {
    await (await startSandbox({ dataDir })).close();
    const before = readFileSync(join(dataDir, "sandbox", "ca.pem"), "utf8");
    const sandbox = await startSandbox({ dataDir, reset: true });
    try {
      expect(existsSync(join(dataDir, "sandbox", "ca.pem"))).toBe(true);
      expect(readFileSync(join(dataDir, "sandbox", "ca.pem"), "utf8")).not.toBe(before);
      const health = await httpsJson(`https://localhost:${sandbox.port}/_sandbox/health`, { ca: readFileSync(sandbox.endpoints.caFile, "utf8") });
      expect(health).toMatchObject({ status: 200, body: { status: "ok" } });
    } finally {
      await sandbox.close();
    }
  });

  it("closes idle keep-alive connections after two seconds, says so in Keep-Alive, and Node's agents still reuse them", async () => {
    const sandbox = await startSandbox({ dataDir });
    try {
      // A raw connection, so only the server can close it.
      const socket = connect({ host: "localhost", port: sandbox.port, ca: readFileSync(sandbox.endpoints.caFile, "utf8"), servername: "localhost" });
      let response = "";
      socket.on("data", (chunk: Buffer) => (response += chunk.toString()));
      const closed = new Promise<number>((resolve) => socket.once("end", () => resolve(performance.now())));
      await new Promise((ready) => socket.once("secureConnect", ready));
      socket.write("GET /_sandbox/health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
      const answered = performance.now();
      const closedAt = await closed;
      socket.destroy();
      expect(response).toMatch(/^HTTP\/1\.1 200 /);
      expect(response).toContain(`Keep-Alive: timeout=${sandboxKeepAliveMs / 1000}\r\n`);
      // Node's server adds a second of grace (keepAliveTimeoutBuffer) to what it advertises, so it closes about 3 s after
      // answering. Node's defaults (5 s and that second) would close after 6 s: the bound tells the two apart and leaves a
      // loaded machine's timers two seconds of slack. Never before the advertised timeout.
      expect(closedAt - answered).toBeGreaterThanOrEqual(sandboxKeepAliveMs - 50);
      expect(closedAt - answered).toBeLessThan(defaultNodeKeepAliveMs);
      // Node's agents reuse a connection until a second before the advertised timeout; at timeout=1 they would not at all.
      const agent = new Agent({ keepAlive: true, ca: readFileSync(sandbox.endpoints.caFile, "utf8") });
      const socketOf = () =>
        new Promise<Socket>((resolve, reject) => {
          get(`https://localhost:${sandbox.port}/_sandbox/health`, { agent }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.socket));
          }).on("error", reject);
        });
      const first = await socketOf();
      await new Promise((later) => setTimeout(later, 300));
      expect(await socketOf()).toBe(first);
      agent.destroy();
    } finally {
      await sandbox.close();
    }
  });
});

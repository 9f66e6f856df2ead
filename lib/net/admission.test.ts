// Admission control over real HTTP: a server whose handler holds every
// request until the test lets it go, wrapped as scripts/web-server.ts wraps
// Next's handler.
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createAdmission, isExempt, type AdmissionOptions } from "./admission";

interface Held {
  path: string;
  release: () => void;
}

async function serve(options: Partial<AdmissionOptions> & Pick<AdmissionOptions, "maxInFlight">) {
  const held: Held[] = [];
  const admission = createAdmission({ maxQueued: 0, maxQueueWaitMs: 0, retryAfterSeconds: 3, headers: { "x-content-type-options": "nosniff" }, ...options });
  const server = createServer(
    admission.wrap((request, response) => {
      const path = (request.url ?? "").split("?")[0]!;
      // Probes and fast routes answer at once; everything else waits for the test.
      if (path.startsWith("/api/healthz") || path.startsWith("/api/readyz") || path.startsWith("/fast")) {
        response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
        return;
      }
      if (/stream$/.test(path)) {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write(": open\n\n");
        held.push({ path, release: () => response.end() });
        return;
      }
      held.push({ path, release: () => void (response.headersSent || response.writeHead(200, { "content-type": "text/plain" }).end("done")) });
    }),
  );
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { admission, held, base };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

/** Resolves once the server has handed `count` requests to the handler. */
async function until(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((done) => setTimeout(done, 10));
  expect(check()).toBe(true);
}

/** A request whose answer is read only once it comes; streams resolve at their headers; a connection closed before an answer is status 0. */
function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve) => {
    const request = httpRequest(url, { headers, agent: false }, (response) => {
      if (response.headers["content-type"] === "text/event-stream") {
        resolve({ status: response.statusCode!, headers: response.headers, body: "" });
        return;
      }
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on("error", () => resolve({ status: 0, headers: {}, body: "" }));
    request.end();
  });
}

describe("admission control", () => {
  it("answers the request past the bound 503 with Retry-After at once, while probes and streams are still served", async () => {
    const { admission, held, base } = await serve({ maxInFlight: 3 });
    const slow = [get(`${base}/catalog`), get(`${base}/api/v1/services`), get(`${base}/teams`)];
    await until(() => held.length === 3);

    const api = await get(`${base}/api/v1/services?limit=5`);
    expect(api.status).toBe(503);
    expect(api.headers["retry-after"]).toBe("3");
    expect(api.headers["content-type"]).toBe("application/json");
    expect(api.headers["x-content-type-options"]).toBe("nosniff");
    expect(JSON.parse(api.body)).toEqual({
      error: { code: "overloaded", message: "Wharf has more requests than it can answer right now; try again in 3 s." },
    });

    const page = await get(`${base}/catalog`, { accept: "text/html" });
    expect(page.status).toBe(503);
    expect(page.headers["retry-after"]).toBe("3");
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.body).toContain("Wharf is busy");

    expect((await get(`${base}/api/healthz`)).status).toBe(200);
    expect((await get(`${base}/api/readyz`)).status).toBe(200);
    // Streams are not counted: they stay open for hours and have their own bound per person.
    expect((await get(`${base}/api/v1/stream?topics=deployments`)).status).toBe(200);
    expect((await get(`${base}/display/ops-wall/stream`)).status).toBe(200);
    expect(admission.stats()).toEqual({ inFlight: 3, queued: 0, shed: 2 });

    // A finished request gives its slot back.
    held[0]!.release();
    expect((await slow[0]!).status).toBe(200);
    expect((await get(`${base}/fast`)).status).toBe(200);
    for (const request of held) request.release();
    expect((await Promise.all(slow)).map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(admission.stats().inFlight).toBe(0);
  });

  it("lets a few wait in line for a freed slot, in order, and refuses the ones past the line or waiting too long", async () => {
    const { admission, held, base } = await serve({ maxInFlight: 1, maxQueued: 2, maxQueueWaitMs: 60_000 });
    const first = get(`${base}/a`);
    await until(() => held.length === 1);
    const second = get(`${base}/b`);
    const third = get(`${base}/c`);
    await until(() => admission.stats().queued === 2);
    const fourth = await get(`${base}/d`);
    expect(fourth.status).toBe(503);
    expect(held.map((request) => request.path)).toEqual(["/a"]);

    held[0]!.release();
    await until(() => held.length === 2);
    expect(held[1]!.path).toBe("/b");
    held[1]!.release();
    await until(() => held.length === 3);
    held[2]!.release();
    expect((await Promise.all([first, second, third])).map((answer) => answer.status)).toEqual([200, 200, 200]);

    const short = await serve({ maxInFlight: 1, maxQueued: 5, maxQueueWaitMs: 50 });
    void get(`${short.base}/slow`);
    await until(() => short.held.length === 1);
    const waited = await get(`${short.base}/api/v1/teams`);
    expect(waited.status).toBe(503);
    expect(waited.headers["retry-after"]).toBe("3");
    expect(short.admission.stats()).toMatchObject({ inFlight: 1, queued: 0, shed: 1 });
  });

  it("frees the slot of a client that went away before its answer", async () => {
    const { admission, held, base } = await serve({ maxInFlight: 1 });
    const controller = new AbortController();
    const gone = fetch(`${base}/slow`, { signal: controller.signal }).catch(() => "aborted");
    await until(() => held.length === 1);
    controller.abort();
    expect(await gone).toBe("aborted");
    await until(() => admission.stats().inFlight === 0);
    void get(`${base}/next`);
    await until(() => held.length === 2);
    expect(held[1]!.path).toBe("/next");
  });

  it("exempts exactly the probes, the live streams and Next's static files", () => {
    for (const path of ["/api/healthz", "/api/readyz", "/api/v1/stream", "/api/v1/deployments/abc/stream", "/display/ops/stream", "/_next/static/x.js"])
      expect(isExempt(path), path).toBe(true);
    for (const path of ["/api/v1/services", "/catalog", "/display/ops", "/display/ops/snapshot", "/api/healthzz", "/streams", "/_next/image"])
      expect(isExempt(path), path).toBe(false);
  });
});

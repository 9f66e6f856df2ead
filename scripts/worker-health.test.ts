// Integration: the worker's probes on Kubernetes (WHARF_WORKER_HEALTH_PORT,
// decision 0039): /api/healthz and /api/readyz answer as the web's do while it
// runs, anything else is 404, and SIGTERM still ends it with 0.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/net/free-port";
import { dropSchema, testSchema, waitFor } from "@/lib/jobs/testing/job-test-support";

const schema = testSchema();

afterAll(async () => {
  await dropSchema(schema);
});

describe("the worker's health port", () => {
  it("answers healthz and readyz while running, 404 otherwise, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", join("scripts", "worker.ts")], {
      env: { ...process.env, WHARF_JOBS_SCHEMA: schema, WHARF_WORKER_HEALTH_PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    try {
      const get = (path: string) =>
        fetch(`http://127.0.0.1:${port}${path}`).then(async (response) => ({ status: response.status, body: await response.json() }));
      const healthz = await waitFor(
        "the worker to answer its liveness probe",
        () => (child.exitCode !== null ? Promise.reject(new Error(output)) : get("/api/healthz").catch(() => null)),
        120_000,
      );
      expect(healthz).toEqual({ status: 200, body: { status: "ok" } });
      expect(await get("/api/readyz")).toEqual({ status: 200, body: { status: "ready" } });
      expect((await get("/metrics")).status).toBe(404);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 180_000);
});

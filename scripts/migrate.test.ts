// Integration: `npm run migrate` as the Kubernetes migration Job and the
// worker's init container run it (decision 0039), as separate processes on an
// empty database: a waiter waits while migrations are pending, two Jobs at
// once apply them once between them, and the waiter then lets go. A waiter
// past its time and a missing DATABASE_URL each end with one clear line.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrationStatus } from "@/lib/db/migrate";
import { createScratchDatabase, type ScratchDatabase } from "@/lib/db/testing/scratch-database";

let scratch: ScratchDatabase | undefined;

afterEach(async () => {
  await scratch?.drop();
  scratch = undefined;
});

function migrate(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ["--import", "tsx", join("scripts", "migrate.ts"), ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return { output: () => output, exited, exitCode: () => child.exitCode };
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

describe("npm run migrate", () => {
  it("a waiter waits while migrations are pending; two Jobs at once apply each migration once; then the waiter exits 0", async () => {
    scratch = await createScratchDatabase();
    const env = { DATABASE_URL: scratch.url };
    const waiter = migrate(["--wait"], env);
    await until(() => waiter.output().includes("waiting for the migration Job: pending"), "the waiter to report pending migrations");
    expect(waiter.exitCode()).toBeNull();

    const jobs = [migrate([], env), migrate([], env)];
    expect(await Promise.all(jobs.map((job) => job.exited))).toEqual([0, 0]);
    const outputs = jobs.map((job) => job.output());
    expect(outputs.filter((output) => output.includes("applied migrations:"))).toHaveLength(1);
    expect(outputs.filter((output) => output.includes("database schema is up to date"))).toHaveLength(1);
    expect((await migrationStatus(scratch.url)).pending).toEqual([]);

    expect(await waiter.exited).toBe(0);
    expect(waiter.output()).toContain("every migration is applied");
  });

  it("a waiter past WHARF_MIGRATION_WAIT_SECONDS exits 1 naming what is pending and where to look", async () => {
    scratch = await createScratchDatabase();
    const waiter = migrate(["--wait"], { DATABASE_URL: scratch.url, WHARF_MIGRATION_WAIT_SECONDS: "0" });
    expect(await waiter.exited).toBe(1);
    expect(waiter.output()).toMatch(/migrations still pending after 0 s: \d{14}_init.*is the migration Job running\? \(kubectl get job wharf-migrate\)/);
  });

  it("without DATABASE_URL: one line saying what to set, exit 1", async () => {
    const job = migrate([], { DATABASE_URL: "" });
    expect(await job.exited).toBe(1);
    expect(job.output().trim()).toBe(
      "[wharf] migrations: DATABASE_URL must be set to the PostgreSQL URL Wharf uses (e.g. from Key Vault through the CSI driver).",
    );
  });
});

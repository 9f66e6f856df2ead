// The image's entrypoint (decision 0055): the program by its first argument, and the heap as a share of the
// container's memory limit (cgroup v2 memory.max or v1 memory.limit_in_bytes, read here from files the test writes).
// A `node` first on PATH prints what it was asked to run instead of running it.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const entrypoint = join(import.meta.dirname, "entrypoint.sh");
const scratch = mkdtempSync(join(tmpdir(), "wharf-entrypoint-"));
writeFileSync(join(scratch, "node"), '#!/bin/sh\necho "node $*"\n');
chmodSync(join(scratch, "node"), 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function limitFile(content: string): string {
  const file = join(scratch, `limit-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, `${content}\n`);
  return file;
}

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync("sh", [entrypoint, ...args], {
    encoding: "utf8",
    env: { NODE_ENV: "test", PATH: `${scratch}:/usr/bin:/bin`, WHARF_MEMORY_LIMIT_FILE: join(scratch, "no-such-file"), ...env },
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe("entrypoint.sh", () => {
  it("runs the compiled program the first argument names, with the rest of the arguments", () => {
    expect(run(["web"]).stdout).toBe("node dist/web-server.mjs");
    expect(run(["worker"]).stdout).toBe("node dist/worker.mjs");
    expect(run(["migrate", "--wait"]).stdout).toBe("node dist/migrate.mjs --wait");
  });

  it("sizes the heap at 70 % of a cgroup v2 limit, or the share WHARF_HEAP_PERCENT asks for", () => {
    const halfGiB = limitFile(String(512 * 1024 * 1024));
    const web = run(["web"], { WHARF_MEMORY_LIMIT_FILE: halfGiB });
    expect(web.stdout).toBe("node --max-old-space-size=358 dist/web-server.mjs");
    expect(web.stderr).toBe("entrypoint.sh: heap 358 MB (70% of the container's 512 MiB memory limit)");
    expect(run(["worker"], { WHARF_MEMORY_LIMIT_FILE: halfGiB, WHARF_HEAP_PERCENT: "50" }).stdout).toBe("node --max-old-space-size=256 dist/worker.mjs");
  });

  it("leaves V8's own sizing without a limit: cgroup v2 'max', v1's near-2^63 'unlimited', no file", () => {
    for (const file of [limitFile("max"), limitFile("9223372036854771712"), join(scratch, "no-such-file")]) {
      const result = run(["web"], { WHARF_MEMORY_LIMIT_FILE: file });
      expect(result.stdout).toBe("node dist/web-server.mjs");
      expect(result.stderr).toBe("entrypoint.sh: no container memory limit; V8 sizes the heap");
    }
  });

  it("keeps at least 64 MB of heap under a tiny limit", () => {
    expect(run(["migrate"], { WHARF_MEMORY_LIMIT_FILE: limitFile(String(64 * 1024 * 1024)) }).stdout).toBe("node --max-old-space-size=64 dist/migrate.mjs");
  });

  it("refuses an unknown program or share with a usage line and exit 64", () => {
    for (const args of [[], ["serve"], ["scripts/web-server.ts"]]) {
      const result = run(args);
      expect(result).toEqual({ status: 64, stdout: "", stderr: "usage: entrypoint.sh web | worker | migrate [--wait]" });
    }
    const share = run(["web"], { WHARF_HEAP_PERCENT: "95" });
    expect(share.status).toBe(64);
    expect(share.stderr).toBe('entrypoint.sh: WHARF_HEAP_PERCENT must be a whole number from 10 to 90; got "95"');
  });
});

// Runs Wharf from a staged image tree (deploy/image/stage.ts) the way the
// container runs it, without a container engine: through entrypoint.sh, with
// only the environment given (no NODE_PATH, nothing of the caller's), and,
// when the caller is root, as an unprivileged user on a tree it cannot write
// (the image's user 10001 on a read-only root). For e2e/image.spec.ts and
// bench/image.ts.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** `nobody` when the caller is root, so permissions hold as they do for the image's user; the caller's own otherwise. */
const unprivileged: { uid?: number; gid?: number } = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** Makes the tree read-only for everyone but root (the unprivileged user above cannot write it). */
export function makeReadOnly(dir: string): void {
  spawnSync("chmod", ["-R", "a-w", dir], { stdio: "inherit" });
}

/** Undoes makeReadOnly so the tree can be removed. */
export function makeWritable(dir: string): void {
  spawnSync("chmod", ["-R", "u+w", dir], { stdio: "inherit" });
}

/** A folder under the system temp folder the program may write: the image's /tmp. */
export function writableTemp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (unprivileged.uid !== undefined) chownSync(dir, unprivileged.uid, unprivileged.gid!);
  return dir;
}

/** Azure mode as the Kubernetes manifests configure it, with identities that are never asked for a token here. */
export function azureEnvironment(options: { databaseUrl?: string; port: number; dataDir: string }): Record<string, string> {
  return {
    // Only node's folder: the image's PATH holds /usr/local/bin (node) and the system's.
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    NODE_PATH: "",
    HOME: options.dataDir,
    TMPDIR: options.dataDir,
    NODE_ENV: "production",
    WHARF_MODE: "azure",
    WHARF_DATA_DIR: join(options.dataDir, "wharf"),
    PORT: String(options.port),
    WHARF_WORKER: "off",
    WHARF_PUBLIC_URL: `http://localhost:${options.port}`,
    WHARF_SESSION_SECRET: "image-test-session-secret-0123456789abcdef",
    AZURE_TENANT_ID: "11111111-1111-4111-8111-111111111111",
    AZURE_CLIENT_ID: "22222222-2222-4222-8222-222222222222",
    AZURE_CLIENT_SECRET: "not-a-real-secret",
    // Nothing listens there: a token request fails at once rather than reaching Entra ID.
    AZURE_AUTHORITY_HOST: "https://127.0.0.1:9",
    AZURE_SUBSCRIPTION_IDS: "33333333-3333-4333-8333-333333333333",
    WHARF_ALLOWED_REGISTRIES: "example.azurecr.io",
    LOG_LEVEL: "warn",
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  };
}

export interface TreeProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `entrypoint.sh <args>` in the tree, as the image's user would run it. */
export function runFromTree(tree: string, args: string[], env: Record<string, string>): TreeProcess {
  const child = spawn("sh", [join(tree, "entrypoint.sh"), ...args], {
    cwd: tree,
    env: { NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...unprivileged,
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code, signal) => done(code ?? (signal ? 128 : null))));
  return { child, output: () => output, exited };
}

/** Polls `url` until it answers 200; fails as soon as the process has ended. */
export async function waitForOk(url: string, process: TreeProcess, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((done) => setTimeout(done, 200))) {
    if (process.child.exitCode !== null || process.child.signalCode !== null) break;
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
  }
  throw new Error(
    `${url} did not answer 200 (process ${process.child.exitCode === null ? "running" : `exited ${process.child.exitCode}`}):\n${process.output()}`,
  );
}

/** Node on an inline ES module, in the tree as the image's user, with nothing resolved from outside it. */
export function runNodeInTree(tree: string, script: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: tree,
    env: { NODE_ENV: "production", PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, NODE_PATH: "", HOME: tmpdir() },
    encoding: "utf8",
    timeout: 120_000,
    ...unprivileged,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

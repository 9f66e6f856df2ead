// The container image built for real (decision 0070): `podman build` of the Containerfile from a base made on this
// machine (deploy/image/local-base.sh: docker.io is out of reach here), the image's size as podman counts it, by layer,
// and the image's own files run. `podman run` fails on these machines (hybrid cgroups), so the image is exported to a
// folder and entered with chroot as its user 10001, with /proc mounted and nothing else of the host: `entrypoint.sh
// migrate`, then `web` to /api/readyz 200 and its sign-in page, then `worker` to its probe, against an embedded
// PostgreSQL. Prints figures; asserts nothing. Root only; needs podman.
//
//   deploy/image/local-base.sh && npx tsx bench/container-image.ts [--base localhost/node:24-bookworm-slim] [--no-build]
import { spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { azureEnvironment, waitForOk, type TreeProcess } from "../deploy/image/run-tree";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { freePort } from "../lib/net/free-port";
import { runBench } from "./run-bench";

const { values } = parseArgs({
  options: { base: { type: "string", default: "localhost/node:24-bookworm-slim" }, "no-build": { type: "boolean", default: false } },
});
const image = "localhost/wharf:bench";
const root = resolve(import.meta.dirname, "..");
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stderr ?? ""}`);
  return String(result.stdout ?? "");
}

/** `entrypoint.sh <args>` inside the exported image, as its user, with only the image's PATH and the given environment. */
function runInImage(rootfs: string, args: string[], env: Record<string, string>): TreeProcess {
  const child = spawn(chrootPath, ["--userspec=10001:10001", rootfs, "/app/entrypoint.sh", ...args], {
    env: { ...env, NODE_ENV: "production", PATH: "/usr/local/bin:/bin", HOME: "/tmp", TMPDIR: "/tmp", WHARF_DATA_DIR: "/tmp/wharf" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => {
    child.once("exit", (code, signal) => done(code ?? (signal ? 128 : null)));
    // chroot missing or refused: an exit code and its message rather than an unhandled error that skips the clean-up below.
    child.once("error", (error) => {
      output += `${error.message}\n`;
      done(127);
    });
  });
  return { child, output: () => output, exited };
}

/** Found on the caller's PATH: the child's environment is the image's, whose PATH has no chroot. */
const chrootPath = run("sh", ["-c", "command -v chroot"]).trim();

const rssMb = (process: TreeProcess) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${process.child.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

async function main() {
  if (process.getuid?.() !== 0) throw new Error("bench/container-image.ts runs as root (podman build, chroot, mount).");
  if (!values["no-build"]) {
    const started = performance.now();
    run("podman", ["build", "--isolation", "chroot", "--pull=never", "--build-arg", `NODE_IMAGE=${values.base}`, "-t", image, "-f", "Containerfile", "."], {
      cwd: root,
      stdio: "inherit",
    });
    console.log(`\npodman build (chroot isolation, base ${values.base}): ${((performance.now() - started) / 60_000).toFixed(1)} min`);
  }
  const size = Number(run("podman", ["image", "inspect", "--format", "{{.Size}}", image]).trim());
  console.log(`\n${image}: ${mb(size)} (podman's size: the layers unpacked), target < 250 MB`);
  for (const line of run("podman", ["history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", image]).trim().split("\n")) {
    const [layerSize, createdBy] = line.split("\t");
    if (!/^0\s*B$/.test(layerSize!)) console.log(`  ${layerSize!.padStart(9)}  ${createdBy!.replace(/\s+/g, " ").slice(0, 110)}`);
  }

  const work = mkdtempSync("/var/tmp/wharf-image-run-");
  const rootfs = join(work, "rootfs");
  const container = `wharf-bench-${randomBytes(3).toString("hex")}`;
  const pgDir = resolve(".data", "bench", `container-image-${randomBytes(4).toString("hex")}`);
  let procMounted = false;
  try {
    run("podman", ["create", "--name", container, image]);
    try {
      run("podman", ["export", "-o", join(work, "rootfs.tar"), container]);
    } finally {
      run("podman", ["rm", container]);
    }
    mkdirSync(rootfs);
    run("tar", ["-xf", join(work, "rootfs.tar"), "-C", rootfs, "--numeric-owner"]);
    rmSync(join(work, "rootfs.tar"));
    mkdirSync(join(rootfs, "proc"), { recursive: true });
    run("mount", ["-t", "proc", "proc", join(rootfs, "proc")]);
    procMounted = true;
    const files = run("find", [rootfs, "-xdev", "-type", "f", "-not", "-path", `${rootfs}/app/*`])
      .trim()
      .split("\n");
    console.log(
      `\noutside /app the image holds ${files.length} files: ${files
        .map((file) => file.slice(rootfs.length))
        .sort()
        .join(", ")}`,
    );

    const database = await startEmbeddedPostgres({ dataDir: join(pgDir, "pg"), port: await freePort() });
    try {
      const env = (port: number) => azureEnvironment({ databaseUrl: database.url, port, dataDir: "/tmp" });
      const migrate = runInImage(rootfs, ["migrate"], env(await freePort()));
      if ((await migrate.exited) !== 0) throw new Error(`migrate failed:\n${migrate.output()}`);
      console.log(`entrypoint.sh migrate in the image: exit 0`);
      writeFileSync(join(rootfs, "tmp", "memory.max"), `${512 * 1024 * 1024}\n`);

      const port = await freePort();
      const started = performance.now();
      const web = runInImage(rootfs, ["web"], { ...env(port), WHARF_MEMORY_LIMIT_FILE: "/tmp/memory.max" });
      try {
        await waitForOk(`http://127.0.0.1:${port}/api/readyz`, web, 240_000);
        const ready = (performance.now() - started) / 1000;
        const signIn = await fetch(`http://127.0.0.1:${port}/sign-in`);
        const page = await signIn.text();
        const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(page)?.[1];
        const asset = script ? (await fetch(`http://127.0.0.1:${port}${script}`)).status : "none found";
        console.log(
          `entrypoint.sh web in the image: /api/readyz 200 after ${ready.toFixed(2)} s (512 MiB limit), RSS ${rssMb(web).toFixed(0)} MB; ` +
            `/sign-in ${signIn.status}, its first script ${asset}`,
        );
      } finally {
        web.child.kill("SIGTERM");
        console.log(`web stopped on SIGTERM: exit ${await web.exited} (143 is its own code for a stop by SIGTERM)`);
      }

      const healthPort = await freePort();
      const workerStarted = performance.now();
      const worker = runInImage(rootfs, ["worker"], { ...env(await freePort()), WHARF_WORKER_HEALTH_PORT: String(healthPort) });
      try {
        await waitForOk(`http://127.0.0.1:${healthPort}/api/readyz`, worker, 240_000);
        console.log(`entrypoint.sh worker in the image: /api/readyz 200 after ${((performance.now() - workerStarted) / 1000).toFixed(2)} s`);
      } finally {
        worker.child.kill("SIGTERM");
        console.log(`worker stopped on SIGTERM: exit ${await worker.exited}`);
      }
    } finally {
      await database.stop();
      rmSync(pgDir, { recursive: true, force: true });
    }
  } finally {
    // Never remove a folder with /proc still mounted inside it.
    if (!procMounted || spawnSync("umount", [join(rootfs, "proc")]).status === 0) rmSync(work, { recursive: true, force: true });
    else console.error(`could not unmount ${join(rootfs, "proc")}; left ${work} in place`);
  }
}

runBench(main);

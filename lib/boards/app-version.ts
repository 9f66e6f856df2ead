// Which build of Wharf this process runs (Next's build id), so a wall screen
// notices a new deployment in its snapshot and reloads itself.
import { readFileSync } from "node:fs";
import { join } from "node:path";

let version: string | undefined;

export function appVersion(): string {
  if (version === undefined) {
    try {
      version = readFileSync(join(/* turbopackIgnore: true */ process.cwd(), ".next", "BUILD_ID"), "utf8").trim() || "unknown";
    } catch {
      version = "development";
    }
  }
  return version;
}

// "One way to do a thing" (STYLE.md), as checks: helpers that were once
// written two or three times stay written once. Each rule names the one place;
// a second copy fails here and says where to look instead.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const productFolders = ["app", "components", "lib", "scripts"];
const skipped = /(^|\/)(node_modules|generated|__fixtures__|testing|test-support)(\/|$)|\.test\.tsx?$|test-global-setup\.ts$/;

function productFiles(): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (skipped.test(path)) continue;
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name)) files.push({ path, text: readFileSync(path, "utf8") });
    }
  };
  productFolders.forEach(walk);
  return files;
}

const files = productFiles();
const containing = (pattern: RegExp): string[] =>
  files
    .filter((file) => pattern.test(file.text))
    .map((file) => file.path)
    .sort();

describe("one way to do a thing", () => {
  it("reads the product's sources", () => {
    expect(files.length).toBeGreaterThan(200);
  });

  it("backs off with jitter only through lib/net/backoff.ts", () => {
    // Randomness elsewhere is listed with its reason; a new use is either a backoff (use backoffWithJitter) or added here.
    expect(containing(/Math\.random\b/)).toEqual([
      "lib/boards/data-age.ts", // when within 1.5 s a wall screen refetches after a notice, so 500 screens do not ask at once
      "lib/jobs/concurrency.ts", // the first advisory-lock slot to try, so waiters do not all queue on slot 0
      "lib/kubernetes/informer.ts", // spreads watch timeouts so a cluster's watches do not all end together
      "lib/net/backoff.ts",
    ]);
    // Randomness next to doubling is a backoff with jitter, whatever the file.
    expect(files.filter((file) => /Math\.random\b/.test(file.text) && /(\b2 \*\* |\* 2\b)/.test(file.text)).map((file) => file.path)).toEqual([
      "lib/net/backoff.ts",
    ]);
  });

  it("writes a namespace request only through fileNamespaceRequest", () => {
    expect(containing(/namespaceRequest\.create\(/)).toEqual(["lib/namespaces/file-namespace-request.ts"]);
  });

  it("sets up a request to a cluster in one place, for plain requests and watch streams alike", () => {
    expect(containing(/applyToHTTPSOptions|getCurrentCluster\(\)/)).toEqual(["lib/kubernetes/request.ts"]);
    const request = files.find((file) => file.path === "lib/kubernetes/request.ts")!.text;
    expect(request.match(/getCurrentCluster\(\)/g)).toHaveLength(1);
    expect(request.match(/new URL\(/g)).toHaveLength(1);
  });

  it("turns a cluster's failure into a job error only in lib/clusters/cluster-job-error.ts, and no area borrows another's job helpers", () => {
    expect(containing(/function asJobError\b/)).toEqual(["lib/clusters/cluster-job-error.ts"]);
    expect(containing(/from "@\/lib\/namespaces\/(provision|decommission|reconcile)-namespace"/).filter((path) => !path.startsWith("lib/namespaces/"))).toEqual(
      [],
    );
    expect(containing(/from "@\/lib\/deployments\/rollout-deployment"/).filter((path) => !path.startsWith("lib/deployments/"))).toEqual([]);
  });
});

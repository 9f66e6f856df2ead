// Every route handler under app/api/v1 is in the OpenAPI document with exactly
// the methods its route file exports, and every documented path has a route.
// Reads the route files' exports (not their code paths), so a new route or
// method without documentation fails here.
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

const root = join(process.cwd(), "app", "api", "v1");
const httpMethods = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"];

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return /^route\.(ts|tsx|js)$/.test(entry.name) ? [path] : [];
  });
}

/** app/api/v1/services/[slug]/route.ts → /api/v1/services/{slug} (Next's [param] is OpenAPI's {param}). */
function apiPath(file: string): string {
  const folders = relative(root, file).split(sep).slice(0, -1);
  return ["/api/v1", ...folders.map((folder) => folder.replace(/^\[(\w+)\]$/, "{$1}"))].join("/");
}

describe("OpenAPI document against app/api/v1", () => {
  const documented = openApiDocument("http://localhost:3000").paths as Record<string, Record<string, unknown>>;

  it("documents every route with exactly the methods it exports, and nothing without a route", async () => {
    const routes = new Map<string, string[]>();
    for (const file of routeFiles(root)) {
      const exports = (await import(file)) as Record<string, unknown>;
      routes.set(
        apiPath(file),
        httpMethods
          .filter((method) => typeof exports[method] === "function")
          .map((method) => method.toLowerCase())
          .sort(),
      );
    }
    expect(routes.size).toBeGreaterThan(30);
    expect([...routes.keys()].sort()).toEqual(Object.keys(documented).sort());
    for (const [path, methods] of routes) {
      const documentedMethods = Object.keys(documented[path] ?? {})
        .filter((key) => key !== "parameters")
        .sort();
      expect(documentedMethods, path).toEqual(methods);
    }
  });

  it("declares every path parameter of a route", () => {
    for (const [path, item] of Object.entries(documented)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const operations = Object.entries(item)
        .filter(([key]) => key !== "parameters")
        .map(([, operation]) => operation as { parameters?: { name: string; in: string }[] });
      const shared = (item.parameters ?? []) as { name: string; in: string }[];
      for (const operation of operations) {
        const declared = [...shared, ...(operation.parameters ?? [])].filter((parameter) => parameter.in === "path").map((parameter) => parameter.name);
        expect(declared.sort(), path).toEqual(names.sort());
      }
    }
  });
});

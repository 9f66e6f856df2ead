import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { originRefusal } from "@/lib/auth/origin";
import { checkActionOrigin, wrappedByServerAction } from "@/lib/actions/server-action";

const publicUrl = "http://localhost:3000";

function refusalOf(headers: Record<string, string>): AppError | null {
  try {
    checkActionOrigin(new Headers(headers), publicUrl);
    return null;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

describe("the Origin check of server actions", () => {
  it("lets Wharf's own origin through, by its public URL or by the host it was addressed to", () => {
    expect(refusalOf({ origin: "http://localhost:3000", host: "localhost:3000" })).toBeNull();
    expect(refusalOf({ origin: "http://localhost:3000", host: "10.0.0.7:3000" })).toBeNull();
    expect(
      refusalOf({ origin: "https://wharf.contoso.example", host: "10.0.0.7:3000", "x-forwarded-host": "wharf.contoso.example", "x-forwarded-proto": "https" }),
    ).toBeNull();
  });

  it.each([
    ["missing", { host: "localhost:3000" }],
    ["foreign", { origin: "https://evil.example", host: "localhost:3000" }],
    ["opaque", { origin: "null", host: "localhost:3000" }],
    ["another port", { origin: "http://localhost:3001", host: "localhost:3000" }],
    ["another scheme", { origin: "https://localhost:3000", host: "localhost:3000" }],
  ])("refuses a %s Origin with 403 and a message that says why", (_case, headers) => {
    const refusal = refusalOf(headers);
    expect(refusal?.code).toBe("forbidden");
    expect(refusal?.status).toBe(403);
    expect(refusal?.message).toMatch(/must come from Wharf itself/);
  });

  it("echoes no more than a short, printable part of a hostile Origin", () => {
    const message = originRefusal(`https://evil.example\u00e9\u007f${"x".repeat(500)}`, publicUrl)!;
    expect(message).toMatch(/^[\x20-\x7e]+$/);
    expect(message.length).toBeLessThan(200);
  });
});

function actionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return actionFiles(path);
    return entry.name === "actions.ts" ? [path] : [];
  });
}

describe("every server action goes through the one wrapper", () => {
  const files = actionFiles(join(process.cwd(), "app"));

  it("finds the action files", () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files.map((file) => relative(process.cwd(), file)))("%s exports only wrapped actions", async (file) => {
    const exported = Object.entries(await import(/* @vite-ignore */ join(process.cwd(), file)));
    expect(exported.length).toBeGreaterThan(0);
    for (const [name, value] of exported) {
      expect({ name, wrapped: typeof value === "function" && wrappedByServerAction in value }).toEqual({ name, wrapped: true });
    }
  });
});

import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { actions, can, refusalMessage, type Action, type UserActor } from "@/lib/auth/permissions";
import { otherPageRefusal, pageRefusal } from "./page-refusal";

const appDir = join(__dirname, "..", "..", "app");
const viewer: UserActor = { kind: "user", userId: "u1", name: "Vic Viewer", email: "vic@example.com", isAdmin: false, teams: [] };

function pageFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return pageFiles(path);
    return entry.name === "page.tsx" ? [path] : [];
  });
}

/** app/(signed-in)/catalog/[slug]/edit/page.tsx → /catalog/sample/edit */
function addressOf(file: string): string {
  const segments = relative(appDir, file)
    .split(sep)
    .slice(0, -1)
    .filter((segment) => !/^\(.*\)$/.test(segment))
    .map((segment) => (segment.startsWith("[") ? "sample" : segment));
  return `/${segments.join("/")}`;
}

/** The pages whose render can refuse a signed-in person: forbidden() itself, or requirePermission with an action a viewer lacks. */
const refusingPages = pageFiles(appDir).flatMap((file) => {
  const source = readFileSync(file, "utf8");
  const required = [...source.matchAll(/requirePermission\("([^"]+)"/g)].map((match) => match[1] as Action);
  for (const action of required) expect(actions, `${file} asks for an unknown action`).toContain(action);
  const refuses = source.includes("forbidden()") || required.some((action) => !can(viewer, action));
  return refuses ? [[addressOf(file)] as const] : [];
});

describe("the 403 page's words", () => {
  it("finds the pages that can refuse", () => {
    // A scan that found nothing would pass the check below for no page at all.
    expect(refusingPages.map(([address]) => address)).toEqual(expect.arrayContaining(["/admin", "/admin/jobs", "/catalog/sample/edit", "/costs"]));
  });

  it.each(refusingPages)("has its own words for %s", (address) => {
    expect(pageRefusal(address)).not.toEqual(otherPageRefusal);
  });

  it("says only a platform admin can open the admin pages, whom to ask and where they are listed", () => {
    for (const address of ["/admin", "/admin/", "/admin/audit?actor=someone", "/admin/namespace-requests#top"]) {
      const refusal = pageRefusal(address);
      expect(refusal.adminsOnly, address).toBe(true);
      expect(refusal.message, address).toBe(
        "Only a platform admin can open the admin pages. Ask a platform admin (the Teams page lists them: /teams#platform-admins) to do what you came here for.",
      );
    }
    // Not an admin page though it starts with the same letters.
    expect(pageRefusal("/administration").adminsOnly).toBe(false);
  });

  it("says team membership, not the admin role, for a service's edit page and for costs", () => {
    expect(pageRefusal("/catalog/orders/edit")).toEqual({ adminsOnly: false, message: refusalMessage("service:update") });
    expect(pageRefusal("/costs?team=payments")).toEqual({ adminsOnly: false, message: refusalMessage("cost:read") });
    expect(pageRefusal("/catalog/orders/edit").message).toMatch(/Ask a member of the team \(its page lists them\), or ask to join it\.$/);
  });
});

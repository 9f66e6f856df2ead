// Integration: Backstage import against the real database.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { createService } from "@/lib/catalog/create-service";
import { retireService } from "@/lib/catalog/retire-service";
import { getService } from "@/lib/catalog/get-service";
import { applyImport, previewImport } from "@/lib/catalog/import-catalog";
import { writeCatalogInfo } from "@/lib/catalog/backstage/write-catalog-info";
import { toParsedService } from "@/lib/catalog/service-view";

let team: string;
let otherTeam: string;
let member: UserActor;
let outsider: UserActor;
const id = () => randomUUID().slice(0, 8);

beforeAll(async () => {
  const a = await getPrisma().team.create({
    data: { slug: `imp-a-${id()}`, name: "Import A", entraGroupIds: [randomUUID()] },
    select: { id: true, slug: true, name: true },
  });
  const b = await getPrisma().team.create({
    data: { slug: `imp-b-${id()}`, name: "Import B", entraGroupIds: [randomUUID()] },
    select: { id: true, slug: true, name: true },
  });
  team = a.slug;
  otherTeam = b.slug;
  member = { kind: "user", userId: randomUUID(), name: "Importer", email: "i@example.com", isAdmin: false, teams: [a] };
  outsider = { kind: "user", userId: randomUUID(), name: "Other", email: "o@example.com", isAdmin: false, teams: [b] };
});

function component(name: string, owner: string, extra = "") {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  description: Imported ${name}
  tags: [imported]
spec:
  type: service
  lifecycle: production
  owner: group:${owner}
${extra}`;
}

describe("importing catalog-info.yaml", () => {
  it("previews what it would create, update and leave alone, with errors on their line, then applies only what was confirmed", async () => {
    const existing = `imp-existing-${id()}`;
    const changed = `imp-changed-${id()}`;
    const fresh = `imp-new-${id()}`;
    const skipped = `imp-skipped-${id()}`;
    await createService({
      actor: member,
      input: {
        slug: existing,
        displayName: existing,
        description: `Imported ${existing}`,
        ownerTeam: team,
        tier: "standard",
        lifecycle: "production",
        tags: ["imported"],
      },
    });
    await createService({
      actor: member,
      input: { slug: changed, displayName: changed, description: "Old words", ownerTeam: team, tier: "standard", lifecycle: "production", tags: ["imported"] },
    });
    const file = [
      component(fresh, team),
      "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  description: no name here\nspec:\n  type: service\n  lifecycle: production\n  owner: x\n",
      component(existing, team),
      component(changed, team),
      component(skipped, team),
    ].join("---\n");
    const preview = await previewImport({ actor: member, file });
    expect(preview.items.map((item) => item.action)).toEqual(["create", "invalid", "unchanged", "update", "create"]);
    expect(preview.items[1]!.errors[0]).toMatchObject({ path: "metadata.name" });
    expect(preview.items[1]!.line).toBe(12);
    expect(preview.items[3]!.changes).toEqual(["description"]);
    const before = await getPrisma().service.count();
    expect(before).toBeGreaterThan(0);

    const result = await applyImport({ actor: member, file, confirmed: [fresh, changed] });
    expect(result).toEqual({ created: [fresh], updated: [changed] });
    expect((await getService({ actor: member, slug: changed })).service.description).toBe(`Imported ${changed}`);
    expect(await getPrisma().service.count({ where: { slug: skipped } })).toBe(0);
    const audit = await getPrisma().auditEvent.findFirst({ where: { action: "catalog.import", actorId: member.userId } });
    expect(audit?.detail).toBe("Imported catalog-info.yaml: 1 created, 1 updated");
  });

  it("writes nothing when one confirmed document cannot be imported", async () => {
    const good = `imp-good-${id()}`;
    const theirs = `imp-theirs-${id()}`;
    const file = [component(good, team), component(theirs, otherTeam)].join("---\n");
    const preview = await previewImport({ actor: member, file });
    expect(preview.items.map((item) => item.action)).toEqual(["create", "refused"]);
    expect(preview.items[1]!.errors[0]!.message).toContain("not in team");
    await expect(applyImport({ actor: member, file, confirmed: [good, theirs] })).rejects.toMatchObject({ code: "conflict" });
    expect(await getPrisma().service.count({ where: { slug: { in: [good, theirs] } } })).toBe(0);
  });

  it("refuses a retired slug and a service of another team", async () => {
    const retired = `imp-retired-${id()}`;
    const owned = `imp-owned-${id()}`;
    await createService({ actor: member, input: { slug: retired, displayName: "R", ownerTeam: team, tier: "standard", lifecycle: "production" } });
    await retireService({ actor: member, slug: retired });
    await createService({ actor: member, input: { slug: owned, displayName: "O", ownerTeam: team, tier: "standard", lifecycle: "production" } });
    const preview = await previewImport({ actor: outsider, file: [component(retired, otherTeam), component(owned, otherTeam)].join("---\n") });
    expect(preview.items.map((item) => item.action)).toEqual(["refused", "refused"]);
    expect(preview.items[0]!.errors[0]!.message).toContain("retired");
    expect(preview.items[1]!.errors[0]!.message).toContain("only its members");
  });

  it("reports file-level problems and writes nothing", async () => {
    const bomb =
      "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n";
    const bombPreview = await previewImport({ actor: member, file: bomb });
    expect([...bombPreview.fileErrors, ...bombPreview.items.flatMap((item) => item.errors)].map((e) => e.message).join(" ")).toMatch(/alias/i);
    const invalidUtf8 = new Uint8Array([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a]);
    expect((await previewImport({ actor: member, file: invalidUtf8 })).fileErrors[0]!.message).toMatch(/UTF-8/);
    expect((await previewImport({ actor: member, file: "x".repeat(6 * 1024 * 1024) })).fileErrors[0]!.message).toMatch(/MB/);
    await expect(applyImport({ actor: member, file: invalidUtf8, confirmed: ["x"] })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("round-trips an export back to unchanged", async () => {
    const slug = `imp-round-${id()}`;
    const created = await createService({
      actor: member,
      input: {
        slug,
        displayName: "Round Trip",
        description: "Everything Wharf keeps.",
        ownerTeam: team,
        repositoryUrl: "https://github.com/contoso/round-trip",
        language: "Go",
        tier: "critical",
        lifecycle: "experimental",
        tags: ["a", "b"],
        links: { runbook: "https://wiki.example/rt", docs: "https://docs.example/rt" },
        dependencies: [
          { kind: "service", service: "ledger" },
          { kind: "redis", target: "rt-cache" },
          { kind: "http", target: "api.stripe.com" },
        ],
        appInsightsRoleName: "RoundTrip.Api",
        deploySpec: {
          imageRepository: "contoso.azurecr.io/x/rt",
          port: 8080,
          replicas: 2,
          cpuRequest: "100m",
          cpuLimit: "500m",
          memoryRequest: "128Mi",
          memoryLimit: "256Mi",
          readinessPath: "/ready",
          livenessPath: "/live",
        },
      },
    });
    const preview = await previewImport({ actor: member, file: writeCatalogInfo([toParsedService(created)]) });
    expect(preview.items.map((item) => [item.action, item.changes])).toEqual([["unchanged", []]]);
  });
});

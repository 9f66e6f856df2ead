import { describe, expect, it } from "vitest";
import { serviceInput } from "@/lib/catalog/service-input";
import { demoServices } from "@/prisma/seed-catalog";
import { sandboxTeams } from "@/sandbox/personas";

const slugs = demoServices.map((service) => service.slug);

describe("demo service catalog", () => {
  it("has between 35 and 45 services", () => {
    expect(demoServices.length).toBeGreaterThanOrEqual(35);
    expect(demoServices.length).toBeLessThanOrEqual(45);
  });

  it.each(demoServices.map((service) => [service.slug, service] as const))("%s parses with the service schema", (_slug, service) => {
    const result = serviceInput.safeParse(service);
    expect(result.success, result.success ? "" : JSON.stringify(result.error.issues, null, 2)).toBe(true);
  });

  it("has unique slugs", () => {
    const duplicates = slugs.filter((slug, index) => slugs.indexOf(slug) !== index);
    expect(duplicates).toEqual([]);
  });

  it("points every service dependency at a listed slug", () => {
    const known = new Set(slugs);
    const dangling = demoServices.flatMap((service) =>
      (service.dependencies ?? []).flatMap((dependency) =>
        dependency.kind === "service" && !known.has(dependency.service) ? [`${service.slug} -> ${dependency.service}`] : [],
      ),
    );
    expect(dangling).toEqual([]);
  });

  it("gives every service to a sandbox team, and every sandbox team some services", () => {
    const teams = new Set(sandboxTeams.map((team) => team.slug));
    expect(demoServices.filter((service) => !teams.has(service.ownerTeam)).map((service) => service.slug)).toEqual([]);
    for (const team of teams)
      expect(
        demoServices.some((service) => service.ownerTeam === team),
        team,
      ).toBe(true);
  });

  it("gives drone-delivery the reference architecture's services", () => {
    const droneDelivery = demoServices.filter((service) => service.ownerTeam === "drone-delivery").map((service) => service.slug);
    expect(droneDelivery).toEqual(expect.arrayContaining(["drone-api-gateway", "ingestion", "workflow", "package", "drone-scheduler", "delivery"]));
  });

  it("keeps every image on contoso.azurecr.io", () => {
    const elsewhere = demoServices.flatMap((service) =>
      service.deploySpec && !service.deploySpec.imageRepository.startsWith("contoso.azurecr.io/") ? [service.slug] : [],
    );
    expect(elsewhere).toEqual([]);
  });
});

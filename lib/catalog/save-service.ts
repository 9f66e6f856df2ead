// Shared by create, update and import: checks that need the database or the
// configuration, and the write of a service with its dependencies.
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { getConfig } from "@/lib/config";
import { registryAllowed, type ParsedService } from "@/lib/catalog/service-input";
import { searchTextOf } from "@/lib/catalog/service-view";

type Tx = Prisma.TransactionClient;

export function checkRegistry(service: ParsedService, allowedRegistries = getConfig().azure.allowedRegistries): void {
  const image = service.deploySpec?.imageRepository;
  if (image && !registryAllowed(image, allowedRegistries)) {
    throw new AppError(
      "invalid_input",
      `Images must come from an allowed registry (${allowedRegistries.join(", ")}); ${image.split("/")[0]} ` +
        "is not one. Push the image there, or ask a platform admin to allow the registry.",
      {
        path: ["deploySpec", "imageRepository"],
      },
    );
  }
}

export async function resolveOwnerTeam(tx: Tx, slug: string): Promise<{ id: string; slug: string; name: string }> {
  const team = await tx.team.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, archivedAt: true } });
  if (!team) throw new AppError("invalid_input", `There is no team "${slug}"; pick an existing team as the owner.`, { path: ["ownerTeam"] });
  if (team.archivedAt) throw new AppError("invalid_input", `Team "${slug}" is archived and cannot own services; pick an active team.`, { path: ["ownerTeam"] });
  return { id: team.id, slug: team.slug, name: team.name };
}

export function serviceData(service: ParsedService, ownerTeamId: string) {
  return {
    displayName: service.displayName,
    description: service.description,
    ownerTeamId,
    repositoryUrl: service.repositoryUrl,
    language: service.language,
    tier: service.tier,
    lifecycle: service.lifecycle,
    tags: service.tags,
    links: service.links as Prisma.InputJsonValue,
    appInsightsRoleName: service.appInsightsRoleName,
    deploySpec: service.deploySpec === null ? Prisma.DbNull : (service.deploySpec as Prisma.InputJsonValue),
    searchText: searchTextOf(service),
  };
}

export async function replaceDependencies(tx: Tx, serviceId: string, service: ParsedService): Promise<void> {
  await tx.serviceDependency.deleteMany({ where: { serviceId } });
  if (service.dependencies.length === 0) return;
  await tx.serviceDependency.createMany({
    data: service.dependencies.map((dependency, position) => ({
      serviceId,
      position,
      kind: dependency.kind,
      target: dependency.kind === "service" ? dependency.service : dependency.target,
    })),
  });
}

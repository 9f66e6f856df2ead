// Demo data for the sandbox. Idempotent: runs on every start and only adds
// what is missing, so changes people made in the demo survive a restart.
import { getPrisma } from "../lib/db/client";
import { createService } from "../lib/catalog/create-service";
import { seedTeams } from "../lib/teams/seed-teams";
import type { SystemActor } from "../lib/auth/permissions";
import { sandboxTeams } from "../sandbox/personas";
import { demoServices } from "./seed-catalog";
import { refreshClusters } from "../lib/clusters/refresh-clusters";

export async function seedSandbox(): Promise<{ teams: number; services: number; clusters: number }> {
  const teams = await seedTeams(sandboxTeams.map((team) => ({ slug: team.slug, name: team.name, groupIds: [...team.groupIds] })));
  const actor: SystemActor = { kind: "system", name: "Wharf seed" };
  const existing = new Set((await getPrisma().service.findMany({ select: { slug: true } })).map((service) => service.slug));
  let services = 0;
  for (const service of demoServices) {
    if (existing.has(service.slug)) continue;
    await createService({ actor, input: service });
    services += 1;
  }
  // The sandbox's clusters, so namespaces can be requested at once; their ARM tags carry the environment.
  let clusters = 0;
  if ((await getPrisma().cluster.count()) === 0) clusters = (await refreshClusters({ actor })).found;
  return { teams, services, clusters };
}

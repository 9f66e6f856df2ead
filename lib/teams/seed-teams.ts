import { getPrisma } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { SystemActor } from "@/lib/auth/permissions";

export interface TeamSeed {
  slug: string;
  name: string;
  groupIds: string[];
  costCenter?: string;
}

/** Creates the teams that do not exist yet; leaves existing ones as people changed them. */
export async function seedTeams(teams: TeamSeed[]): Promise<number> {
  const actor: SystemActor = { kind: "system", name: "Wharf seed" };
  let created = 0;
  for (const seed of teams) {
    await getPrisma().$transaction(async (tx) => {
      const existing = await tx.team.findUnique({ where: { slug: seed.slug } });
      if (existing) return;
      const team = await tx.team.create({ data: { slug: seed.slug, name: seed.name, entraGroupIds: seed.groupIds, costCenter: seed.costCenter ?? null } });
      await recordAuditEvent(tx, {
        actor,
        action: "team.create",
        resourceType: "team",
        resourceId: team.id,
        outcome: "success",
        after: { slug: team.slug, name: team.name, entraGroupIds: team.entraGroupIds },
      });
      created += 1;
    });
  }
  return created;
}

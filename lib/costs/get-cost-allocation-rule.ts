// The allocation rule in force (decision 0058), for whoever may read cost: a
// member sees how the idle and system cost beside their teams' figures is
// treated; the months still being re-allocated after a change come with it.
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { allocationRuleViewOf, type AllocationRuleView } from "./allocation-rule";

export async function getCostAllocationRule({ actor }: { actor: Actor }): Promise<AllocationRuleView> {
  const ownTeams = actor.kind === "system" ? [] : actor.teams.filter((team) => can(actor, "cost:read", { teamId: team.id }));
  if (!can(actor, "cost:read") && ownTeams.length === 0) throw forbidden("cost:read");
  return allocationRuleViewOf(getPrisma());
}

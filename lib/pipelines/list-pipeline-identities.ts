// Pipeline identities for the admin page and the API: active first, then revoked.
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { toPipelineIdentityView, type PipelineIdentityView } from "./pipeline-identity-view";

export async function listPipelineIdentities({ actor }: { actor: Actor }): Promise<PipelineIdentityView[]> {
  if (!can(actor, "pipeline:read")) throw forbidden("pipeline:read");
  const prisma = getPrisma();
  const rows = await prisma.pipelineIdentity.findMany({ orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { displayName: "asc" }] });
  const teamIds = [...new Set(rows.flatMap((row) => row.teamIds))];
  const teams = teamIds.length ? await prisma.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, slug: true, name: true } }) : [];
  const byId = new Map(teams.map((team) => [team.id, team]));
  return rows.map((row) => toPipelineIdentityView(row, byId));
}

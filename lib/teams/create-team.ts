import { getPrisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { forbidden, can, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { createTeamInput, type CreateTeamInput } from "@/lib/teams/team-input";
import { toTeamView, type TeamChange } from "@/lib/teams/team-view";
import { getConfig } from "@/lib/config";
import { graphDirectory, type Directory } from "@/lib/auth/directory";

export async function createTeam({
  actor,
  input,
  directory = graphDirectory(getConfig().identity),
}: {
  actor: Actor;
  input: CreateTeamInput;
  directory?: Directory;
}): Promise<TeamChange> {
  if (!can(actor, "team:create")) {
    await recordAuditEvent(getPrisma(), { actor, action: "team.create", resourceType: "team", outcome: "denied" });
    throw forbidden("team:create");
  }
  const data = parseInput(createTeamInput, input);
  const groups = await directory.checkGroups(data.entraGroupIds);
  const detail = groups.verified ? undefined : `Entra groups not verified: ${groups.reason}`;
  try {
    return await getPrisma().$transaction(async (tx) => {
      const team = await tx.team.create({ data: { slug: data.slug, name: data.name, entraGroupIds: data.entraGroupIds, costCenter: data.costCenter ?? null } });
      const view = toTeamView(team);
      await recordAuditEvent(tx, { actor, action: "team.create", resourceType: "team", resourceId: team.id, outcome: "success", after: view, detail });
      return { team: view, groupsNotVerified: groups.verified ? undefined : groups.reason };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", `A team with the slug "${data.slug}" already exists; choose another slug.`, { path: ["slug"] });
    }
    throw error;
  }
}

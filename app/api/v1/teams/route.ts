import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { createTeam } from "@/lib/teams/create-team";
import type { CreateTeamInput } from "@/lib/teams/team-input";
import { listTeams } from "@/lib/teams/list-teams";

export const GET = withAuth(async (request, { actor }) => {
  const includeArchived = request.nextUrl.searchParams.get("includeArchived") === "true";
  return Response.json({ teams: await listTeams({ actor, includeArchived }) });
});

export const POST = withAuth(async (request, { actor }) => {
  // createTeam parses it with the team schema; the type only names what it should be.
  const body = (await jsonObjectBody(request, '{"slug", "name", "entraGroupIds": [...]}')) as CreateTeamInput;
  return Response.json(await createTeam({ actor, input: body }), { status: 201 });
});

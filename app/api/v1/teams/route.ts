import { withAuth } from "@/lib/auth/route";
import { AppError } from "@/lib/errors";
import { createTeam } from "@/lib/teams/create-team";
import { listTeams } from "@/lib/teams/list-teams";

export const GET = withAuth(async (request, { actor }) => {
  const includeArchived = request.nextUrl.searchParams.get("includeArchived") === "true";
  return Response.json({ teams: await listTeams({ actor, includeArchived }) });
});

export const POST = withAuth(async (request, { actor }) => {
  const body = await request.json().catch(() => {
    throw new AppError("invalid_input", "The request body must be JSON: {\"slug\", \"name\", \"entraGroupIds\": [...]}.");
  });
  return Response.json(await createTeam({ actor, input: body }), { status: 201 });
});

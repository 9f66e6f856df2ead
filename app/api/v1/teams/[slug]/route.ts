import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { getTeam } from "@/lib/teams/get-team";
import { updateTeam } from "@/lib/teams/update-team";
import { archiveTeam } from "@/lib/teams/archive-team";

type Context = { params: Promise<{ slug: string }> };

export const GET = withAuth<Context>(async (_request, { actor, params }) => Response.json(await getTeam({ actor, slug: (await params).slug })));

export const PATCH = withAuth<Context>(async (request, { actor, params }) => {
  const body = await jsonObjectBody(request, 'any of "name", "entraGroupIds", "costCenter"');
  return Response.json(await updateTeam({ actor, slug: (await params).slug, input: body }));
});

/** Archives: teams are never deleted, their history stays. */
export const DELETE = withAuth<Context>(async (_request, { actor, params }) => Response.json(await archiveTeam({ actor, slug: (await params).slug })));

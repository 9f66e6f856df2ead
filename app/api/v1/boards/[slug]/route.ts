import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { getBoard } from "@/lib/boards/get-board";
import { updateBoard } from "@/lib/boards/update-board";
import { deleteBoard } from "@/lib/boards/delete-board";

type Context = { params: Promise<{ slug: string }> };

const shape = '{ "name"?: "…", "teamId"?: "<team id>" | null, "tiles"?: [ … ] }';

/** The board, and its screens when you manage it. */
export const GET = withAuth<Context>(async (_request, { actor, params }) => Response.json(await getBoard({ actor, slug: (await params).slug })));

/** Changes the name, owner or tiles; screens showing it refetch. */
export const PATCH = withAuth<Context>(async (request, { actor, params }) =>
  Response.json(await updateBoard({ actor, slug: (await params).slug, input: await jsonObjectBody(request, shape) })),
);

/** Deletes the board and its screens' tokens. */
export const DELETE = withAuth<Context>(async (_request, { actor, params }) => {
  const { slug } = await params;
  await deleteBoard({ actor, slug });
  return Response.json({ slug, deleted: true });
});

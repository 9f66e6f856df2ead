import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { getPlaylist } from "@/lib/boards/list-playlists";
import { updatePlaylist } from "@/lib/boards/update-playlist";
import { deletePlaylist } from "@/lib/boards/delete-playlist";

type Context = { params: Promise<{ slug: string }> };

const shape = '{ "name"?: "…", "teamId"?: "<team id>" | null, "boards"?: [{ "board": "<board slug>", "seconds": 60 }] }';

/** The playlist, and its screens when you manage it. */
export const GET = withAuth<Context>(async (_request, { actor, params }) => Response.json(await getPlaylist({ actor, slug: (await params).slug })));

/** Changes the name, owner or boards; its screens pick up the new rotation. */
export const PATCH = withAuth<Context>(async (request, { actor, params }) =>
  Response.json(await updatePlaylist({ actor, slug: (await params).slug, input: await jsonObjectBody(request, shape) })),
);

/** Deletes the playlist and its screens' tokens; its boards stay. */
export const DELETE = withAuth<Context>(async (_request, { actor, params }) => {
  const { slug } = await params;
  await deletePlaylist({ actor, slug });
  return Response.json({ slug, deleted: true });
});

import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { listPlaylists } from "@/lib/boards/list-playlists";
import { createPlaylist } from "@/lib/boards/create-playlist";

const shape = '{ "slug": "lobby", "name": "Lobby rotation", "teamId": "<team id>" | null, "boards": [{ "board": "payments-room", "seconds": 60 }] }';

/** Every playlist, with whether you may manage it. */
export const GET = withAuth(async (_request, { actor }) => Response.json(await listPlaylists({ actor })));

/** 201 with the playlist; admins for everyone (teamId null) or any team, members for their teams. */
export const POST = withAuth(async (request, { actor }) =>
  Response.json(await createPlaylist({ actor, input: await jsonObjectBody(request, shape) }), { status: 201 }),
);

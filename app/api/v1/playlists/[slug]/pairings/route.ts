import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { pairDisplayFromBody } from "@/lib/boards/pair-display";

type Context = { params: Promise<{ slug: string }> };

const shape = '{ "code": "K7Q-M4X", "label": "Lobby TV", "expiresInDays"?: 90 }';

/** 201 with the screen: the playlist is shown on the screen that shows this code within seconds (as /boards' "Pair a screen" does). */
export const POST = withAuth<Context>(async (request, { actor, params }) =>
  Response.json(await pairDisplayFromBody({ actor, slug: (await params).slug, target: "playlist", body: await jsonObjectBody(request, shape) }), {
    status: 201,
  }),
);

import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { createDisplay } from "@/lib/boards/create-display";

type Context = { params: Promise<{ slug: string }> };

const shape = '{ "label": "Lobby TV", "expiresInDays"?: 90 }';

/** 201 with a display token for this playlist: shown in this response only. */
export const POST = withAuth<Context>(async (request, { actor, params }) =>
  Response.json(await createDisplay({ actor, slug: (await params).slug, target: "playlist", input: await jsonObjectBody(request, shape) }), {
    status: 201,
  }),
);

import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { listBoards } from "@/lib/boards/list-boards";
import { createBoard } from "@/lib/boards/create-board";

const shape =
  '{ "slug": "payments-room", "name": "Payments team room", "teamId": "<team id>" | null, ' +
  '"tiles"?: [{ "kind": "fleet-health", "id": "fleet", "x": 0, "y": 0, "w": 6, "h": 4 }] }';

/** Every wall board, with whether you may manage it. */
export const GET = withAuth(async (_request, { actor }) => Response.json(await listBoards({ actor })));

/** 201 with the board; admins for everyone (teamId null) or any team, members for their teams. */
export const POST = withAuth(async (request, { actor }) =>
  Response.json(await createBoard({ actor, input: await jsonObjectBody(request, shape) }), { status: 201 }),
);

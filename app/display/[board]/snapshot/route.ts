// A wall screen's data: its board's tiles with their data and its age, read
// from what Wharf stores (lib/boards/get-board-snapshot.ts). Only with the
// display cookie of this board (lib/auth/display-route.ts).
import { NextResponse } from "next/server";
import { withDisplay } from "@/lib/auth/display-route";
import { touchDisplay } from "@/lib/auth/display-token";
import { getBoardSnapshot } from "@/lib/boards/get-board-snapshot";
import type { DisplaySnapshot } from "@/lib/boards/board-snapshot";
import { appVersion } from "@/lib/boards/app-version";

export const GET = withDisplay(async (request, { display }) => {
  await touchDisplay(display, request.headers.get("user-agent"));
  const snapshot = await getBoardSnapshot({ actor: display.actor, boardId: display.actor.boardId });
  const body: DisplaySnapshot = { ...snapshot, display: { label: display.actor.name, expiresAt: display.expiresAt.toISOString() }, version: appVersion() };
  return NextResponse.json(body, { headers: { "cache-control": "no-store" } });
});

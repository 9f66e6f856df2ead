// A wall screen's data: its board's tiles (or its playlist's boards' tiles)
// with their data and its age, read from what Wharf stores
// (lib/boards/get-board-snapshot.ts). Only with the display cookie of this
// board or playlist (lib/auth/display-route.ts).
import { NextResponse } from "next/server";
import { withDisplay } from "@/lib/auth/display-route";
import { touchDisplay } from "@/lib/auth/display-token";
import { getDisplaySnapshot } from "@/lib/boards/get-board-snapshot";
import { appVersion } from "@/lib/boards/app-version";

export const GET = withDisplay(async (request, { display }) => {
  await touchDisplay(display, request.headers.get("user-agent"));
  const body = await getDisplaySnapshot({ display, version: appVersion() });
  return NextResponse.json(body, { headers: { "cache-control": "no-store" } });
});

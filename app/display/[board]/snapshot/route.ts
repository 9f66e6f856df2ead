// A wall screen's data: its board's tiles (or its playlist's boards' tiles)
// with their data and its age, read from what Wharf stores
// (lib/boards/get-board-snapshot.ts). Only with the display cookie of this
// board or playlist (lib/auth/display-route.ts).
import { withDisplay } from "@/lib/auth/display-route";
import { touchDisplay } from "@/lib/auth/display-token";
import { getDisplaySnapshot } from "@/lib/boards/get-board-snapshot";
import { appVersion } from "@/lib/boards/app-version";
import { displaySnapshotJson } from "@/lib/boards/snapshot-json";

export const GET = withDisplay(async (request, { display }) => {
  await touchDisplay(display, request.headers.get("user-agent"));
  const body = await getDisplaySnapshot({ display, version: appVersion() });
  // The boards' JSON is made once per build and shared with every screen's read and stream (decision 0041).
  return new Response(displaySnapshotJson(body), { headers: { "content-type": "application/json", "cache-control": "no-store" } });
});

// The web app manifest of one board's screen: installed from /display/<board>
// it opens full screen on that board (icons in public/icons/, made by
// scripts/make-display-icons.mjs). It names nothing secret; the display
// cookie still decides what the screen may read.
import { boardSlug } from "@/lib/boards/board-input";

type Context = { params: Promise<{ board: string }> };

export async function GET(_request: Request, context: Context): Promise<Response> {
  const { board } = await context.params;
  if (!boardSlug.safeParse(board).success) return Response.json({ error: { code: "not_found", message: "There is no such board address." } }, { status: 404 });
  const manifest = {
    name: `Wharf wall board ${board}`,
    short_name: "Wharf board",
    id: `/display/${board}`,
    start_url: `/display/${board}`,
    scope: `/display/${board}`,
    display: "fullscreen",
    display_override: ["fullscreen", "kiosk", "standalone"],
    orientation: "landscape",
    background_color: "#000000",
    theme_color: "#000000",
    icons: [
      { src: "/icons/wharf-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/wharf-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
    ],
  };
  return new Response(JSON.stringify(manifest), { headers: { "content-type": "application/manifest+json", "cache-control": "public, max-age=3600" } });
}

import { withAuth } from "@/lib/auth/route";
import { revokeDisplay } from "@/lib/boards/revoke-display";

type Context = { params: Promise<{ slug: string; id: string }> };

/** Revokes the screen: it says so within seconds; the row stays for the audit trail. */
export const DELETE = withAuth<Context>(async (_request, { actor, params }) => {
  const { slug, id } = await params;
  return Response.json(await revokeDisplay({ actor, slug, displayId: id, target: "playlist" }));
});

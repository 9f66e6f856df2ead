import { withAuth } from "@/lib/auth/route";
import { countApprovals } from "@/lib/approvals/list-approvals";

/** How many items wait in your approvals inbox: the navigation's badge. */
export const GET = withAuth(async (_request, { actor }) =>
  Response.json({ count: await countApprovals({ actor }) }, { headers: { "cache-control": "no-store" } }),
);

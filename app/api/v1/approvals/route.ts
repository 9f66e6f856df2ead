import { withAuth } from "@/lib/auth/route";
import { listApprovals } from "@/lib/approvals/list-approvals";

/** Your approvals inbox: what waits for your decision, oldest first. */
export const GET = withAuth(async (_request, { actor }) => Response.json(await listApprovals({ actor }), { headers: { "cache-control": "no-store" } }));

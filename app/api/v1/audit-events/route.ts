import { withAuth } from "@/lib/auth/route";
import { listAuditEvents } from "@/lib/admin/list-audit-events";

export const GET = withAuth(
  async (request, { actor }) => {
    const filter = Object.fromEntries(request.nextUrl.searchParams);
    return Response.json(await listAuditEvents({ actor, filter }));
  },
  { permission: "audit:read" },
);

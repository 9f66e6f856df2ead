import { withAuth } from "@/lib/auth/route";
import { roleLabel, roleOf } from "@/lib/auth/permissions";

export const GET = withAuth(async (_request, { actor }) =>
  Response.json({ id: actor.userId, name: actor.name, email: actor.email, role: roleOf(actor), roleLabel: roleLabel(actor), teams: actor.teams }),
);

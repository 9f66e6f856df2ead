import { withAuth } from "@/lib/auth/route";
import { listPlatformAdmins } from "@/lib/teams/list-platform-admins";

export const GET = withAuth(async (_request, { actor }) => Response.json({ admins: await listPlatformAdmins({ actor }) }));

import { withAuth } from "@/lib/auth/route";
import { listNotifications, markNotificationsRead } from "@/lib/notifications/list-notifications";

export const GET = withAuth(async (_request, { actor }) => Response.json(await listNotifications({ actor }), { headers: { "cache-control": "no-store" } }));

/** Marks all of your notifications read. */
export const POST = withAuth(async (_request, { actor }) => Response.json({ marked: await markNotificationsRead({ actor }) }));

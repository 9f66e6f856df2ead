// The platform admins a refusal tells people to ask (permissions.ts `onlyPlatformAdmins` points at the Teams page,
// which lists them; `GET /api/v1/platform-admins` too). Admin is an Entra app role or group, so Wharf knows its admins
// only as they were at their last sign-in: someone made admin who has not signed in since is missing, and said so.
import { getConfig, type IdentityConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { platformAdminConditions } from "@/lib/auth/actor";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";

export interface PlatformAdmin {
  id: string;
  name: string;
  email: string;
  lastSignInAt: string;
}

/** At most this many, by name: enough to find someone to ask. */
export const platformAdminsShown = 50;

export async function listPlatformAdmins({
  actor,
  identity = getConfig().identity,
}: {
  actor: Actor;
  identity?: Pick<IdentityConfig, "adminAppRole" | "adminGroupId">;
}): Promise<PlatformAdmin[]> {
  if (!can(actor, "user:read")) throw forbidden("user:read");
  const admins = await getPrisma().user.findMany({
    where: { OR: platformAdminConditions(identity) },
    select: { id: true, name: true, email: true, lastSignInAt: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: platformAdminsShown,
  });
  return admins.map((admin) => ({ ...admin, lastSignInAt: admin.lastSignInAt.toISOString() }));
}

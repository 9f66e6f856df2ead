// Turns a signed-in user into the Actor that permissions reason about.
import { getPrisma } from "@/lib/db/client";
import type { Prisma, User } from "@/lib/db/generated/client";
import type { IdentityConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";

export function isAdminUser(user: Pick<User, "appRoles" | "groupIds">, identity: Pick<IdentityConfig, "adminAppRole" | "adminGroupId">): boolean {
  if (user.appRoles.includes(identity.adminAppRole)) return true;
  return identity.adminGroupId !== undefined && user.groupIds.includes(identity.adminGroupId);
}

/**
 * The stored counterpart of `isAdminUser`: the conditions (any one) under which a User row is a platform admin as of
 * their last sign-in. Who is notified as an admin and who the Teams page lists as one.
 */
export function platformAdminConditions(identity: Pick<IdentityConfig, "adminAppRole" | "adminGroupId">): Prisma.UserWhereInput[] {
  return [{ appRoles: { has: identity.adminAppRole } }, ...(identity.adminGroupId ? [{ groupIds: { has: identity.adminGroupId } }] : [])];
}

export async function actorForUser(user: User, identity: Pick<IdentityConfig, "adminAppRole" | "adminGroupId">): Promise<UserActor> {
  const teams = user.groupIds.length
    ? await getPrisma().team.findMany({
        where: { archivedAt: null, entraGroupIds: { hasSome: user.groupIds } },
        select: { id: true, slug: true, name: true },
        orderBy: { name: "asc" },
      })
    : [];
  return {
    kind: "user",
    userId: user.id,
    name: user.name,
    email: user.email,
    isAdmin: isAdminUser(user, identity),
    teams,
  };
}

import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { actorForUser } from "@/lib/auth/actor";
import { findSessionUser, sessionCookieName } from "@/lib/auth/session";
import { can, type Action, type Resource, type UserActor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

/** The signed-in user of this request, read once per request. */
export const currentActor = cache(async (): Promise<UserActor | null> => {
  const config = getConfig();
  const token = (await cookies()).get(sessionCookieName)?.value;
  const user = await findSessionUser(token, config.session);
  return user ? actorForUser(user, config.identity) : null;
});

export async function requireActor(): Promise<UserActor> {
  const actor = await currentActor();
  if (!actor) {
    const path = (await headers()).get("x-wharf-path") ?? "/";
    redirect(`/sign-in?returnTo=${encodeURIComponent(path)}`);
  }
  return actor;
}

/** The actor, if allowed; otherwise the refusal is audited and the 403 page shown. */
export async function requirePermission(action: Action, resource: Resource = {}): Promise<UserActor> {
  const actor = await requireActor();
  if (!can(actor, action, resource)) {
    await recordAuditEvent(getPrisma(), { actor, action, resourceType: "page", resourceId: (await headers()).get("x-wharf-path"), outcome: "denied" });
    forbidden();
  }
  return actor;
}

import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { sessionCookieName } from "@/lib/auth/session";
import { actorForSession } from "@/lib/auth/session-actor";
import { can, type Action, type Resource, type UserActor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

/** The signed-in user of this request, read once per request (and remembered for a few seconds: lib/auth/actor-cache.ts). */
export const currentActor = cache(async (): Promise<UserActor | null> => actorForSession((await cookies()).get(sessionCookieName)?.value, getConfig()));

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

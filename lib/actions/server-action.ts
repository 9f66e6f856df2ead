import "server-only";
// Server actions are wrapped once, like route handlers (lib/auth/route.ts):
// the Origin check for mutations, the actor, and the mapping of Wharf's errors
// to the state the calling form shows. Next's own check lets a request with no
// Origin through and answers a foreign one with a 500; proxy.ts refuses both
// with a 403 before Next sees them, and this wrapper refuses them again so an
// action is never run on a forged request even if the proxy's matcher misses it.
import { headers } from "next/headers";
import { ZodError } from "zod";
import { getConfig } from "@/lib/config";
import { AppError, isAppError } from "@/lib/errors";
import { databaseUnavailable } from "@/lib/db/unavailable";
import { requireActor } from "@/lib/auth/current-actor";
import { originRefusal } from "@/lib/auth/origin";
import type { UserActor } from "@/lib/auth/permissions";

/** Marks the functions this wrapper made, so a test can prove every exported action went through it. */
export const wrappedByServerAction = Symbol.for("wharf.serverAction");

/** The origin a request was addressed to, as Next's own server-action check reads it. */
function requestOrigin(requestHeaders: Headers): string | undefined {
  const host = requestHeaders.get("x-forwarded-host")?.split(",")[0]?.trim() || requestHeaders.get("host");
  if (!host) return undefined;
  const protocol = requestHeaders.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${protocol}://${host}`;
}

/** Refuses a server-action request whose Origin is not Wharf's (AppError forbidden, 403). */
export function checkActionOrigin(requestHeaders: Headers, publicUrl: string): void {
  const refusal = originRefusal(requestHeaders.get("origin"), publicUrl, requestOrigin(requestHeaders));
  if (refusal) throw new AppError("forbidden", refusal);
}

function asAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) {
    const issue = error.issues[0]!;
    return new AppError("invalid_input", issue.message, { path: issue.path.filter((part) => typeof part !== "symbol") });
  }
  return databaseUnavailable(error);
}

/**
 * Wraps a server action: the Origin is checked, the signed-in actor resolved
 * (or the user sent to sign in), and an AppError or ZodError — from the
 * Origin check or from the use case — turned into the state `refuse` returns.
 * Anything else (redirect(), forbidden(), a bug) propagates to Next.
 */
export function serverAction<Args extends unknown[], State>(
  run: (actor: UserActor, ...args: Args) => Promise<State>,
  refuse: (error: AppError, ...args: Args) => State,
): (...args: Args) => Promise<State> {
  const action = async (...args: Args): Promise<State> => {
    try {
      checkActionOrigin(await headers(), getConfig().publicUrl);
      const actor = await requireActor();
      return await run(actor, ...args);
    } catch (error) {
      const appError = asAppError(error);
      if (!appError) throw error;
      return refuse(appError, ...args);
    }
  };
  return Object.assign(action, { [wrappedByServerAction]: true });
}

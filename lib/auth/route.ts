import "server-only";
// Route handlers are wrapped once: authentication, the Origin check for
// mutations, the permission and the mapping of errors to typed JSON.
import { NextResponse, type NextRequest } from "next/server";
import { ZodError } from "zod";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { AppError, isAppError, unexpectedError } from "@/lib/errors";
import { databaseUnavailable } from "@/lib/db/unavailable";
import { currentActor } from "@/lib/auth/current-actor";
import { can, refusalMessage, type Action, type PipelineActor, type UserActor } from "@/lib/auth/permissions";
import { bearerToken, pipelineActorFromToken } from "@/lib/auth/bearer";
import { originRefusal } from "@/lib/auth/origin";
import { apiSecurityHeaders } from "@/lib/auth/security-headers";
import { addressProblem } from "@/lib/net/address-problem";
import { clientAddress, consumeRateLimit } from "@/lib/net/rate-limit";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { logger } from "@/lib/logger";

const mutating = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function errorResponse(error: unknown): NextResponse {
  if (error instanceof ZodError) {
    const issue = error.issues[0]!;
    return NextResponse.json({ error: { code: "invalid_input", message: issue.message, path: issue.path } }, { status: 400 });
  }
  if (isAppError(error)) {
    const headers = error.retryAfterSeconds !== undefined ? { "retry-after": String(error.retryAfterSeconds) } : undefined;
    return NextResponse.json({ error: { code: error.code, message: error.message, path: error.path } }, { status: error.status, headers });
  }
  const unavailable = databaseUnavailable(error);
  if (unavailable) {
    logger.warn({ err: error }, "the database is not answering");
    return errorResponse(unavailable);
  }
  logger.error({ err: error }, "unhandled error in route handler");
  return NextResponse.json(
    { error: { code: unexpectedError.code, message: "Wharf hit an unexpected error; it has been logged." } },
    { status: unexpectedError.status },
  );
}

/** Browsers send Origin on every cross-site POST; a missing or foreign one is a forged request. */
export function checkOrigin(request: NextRequest): void {
  if (!mutating.has(request.method)) return;
  const refusal = originRefusal(request.headers.get("origin"), getConfig().publicUrl, request.nextUrl.origin);
  if (refusal) throw new AppError("forbidden", refusal);
}

type Handler<C, A> = (request: NextRequest, context: C & { actor: A }) => Promise<Response>;

interface AuthOptions {
  permission?: Action;
  /**
   * Also accept `Authorization: Bearer` with a pipeline's Entra token
   * (decision 0016). Such requests skip the Origin check, which guards
   * cookies against cross-site forgery; a browser never attaches a bearer
   * token on its own. Off by default.
   */
  bearer?: boolean;
}

/** RFC 6750: tell a bearer client why its token was refused. */
function withBearerChallenge(response: NextResponse): NextResponse {
  if (response.status === 401 || response.status === 403) {
    const error = response.status === 401 ? "invalid_token" : "insufficient_scope";
    response.headers.set("www-authenticate", `Bearer error="${error}"`);
  }
  return response;
}

/**
 * The API's security headers on whatever the handler answered: proxy.ts sets
 * them too, but does not see API requests with a body.
 */
function withSecurityHeaders(response: Response): Response {
  try {
    for (const [name, value] of Object.entries(apiSecurityHeaders(getConfig().publicUrl))) response.headers.set(name, value);
  } catch {
    // A response with immutable headers (Response.redirect) keeps its own.
  }
  return response;
}

/** A request that declares or streams a body: large ones skip proxy.ts (see its matcher). */
const hasBody = (request: NextRequest) => request.headers.has("content-length") || request.headers.has("transfer-encoding");

export function withAuth<C>(
  handler: Handler<C, UserActor | PipelineActor>,
  options: AuthOptions & { bearer: true },
): (request: NextRequest, context: C) => Promise<Response>;
export function withAuth<C>(
  handler: Handler<C, UserActor>,
  options?: AuthOptions & { bearer?: false },
): (request: NextRequest, context: C) => Promise<Response>;
export function withAuth<C>(handler: Handler<C, UserActor | PipelineActor>, options: AuthOptions = {}) {
  return async (request: NextRequest, context: C): Promise<Response> => withSecurityHeaders(await answer(handler, options, request, context));
}

async function answer<C>(handler: Handler<C, UserActor | PipelineActor>, options: AuthOptions, request: NextRequest, context: C): Promise<Response> {
  let bearer: string | null = null;
  try {
    // proxy.ts checked the address of every request it saw; these are the ones it does not see.
    const badAddress = hasBody(request) ? addressProblem(request.nextUrl.pathname, request.nextUrl.searchParams) : null;
    if (badAddress) throw new AppError("invalid_input", badAddress);
    bearer = options.bearer ? bearerToken(request.headers.get("authorization")) : null;
    let actor: UserActor | PipelineActor | null;
    try {
      if (bearer) {
        actor = await pipelineActorFromToken(bearer);
      } else {
        checkOrigin(request);
        actor = await currentActor();
      }
      if (!actor) throw new AppError("unauthenticated", "Sign in first: this request has no valid Wharf session.");
    } catch (error) {
      // A refused token or session counts against the address; past its budget the answer is 429 instead.
      if (isAppError(error) && error.status === 401) await consumeRateLimit("authFailures", clientAddress(request.headers));
      throw error;
    }
    // Changes count against the person or pipeline before the permission check: refused ones too.
    if (mutating.has(request.method)) await consumeRateLimit("mutations", actor.kind === "user" ? `user:${actor.userId}` : `pipeline:${actor.clientId}`);
    if (options.permission && !can(actor, options.permission)) {
      await recordAuditEvent(getPrisma(), { actor, action: options.permission, resourceType: "api", resourceId: request.nextUrl.pathname, outcome: "denied" });
      throw new AppError("forbidden", refusalMessage(options.permission));
    }
    return await handler(request, { ...context, actor });
  } catch (error) {
    const response = errorResponse(error);
    return bearer ? withBearerChallenge(response) : response;
  }
}

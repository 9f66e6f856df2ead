// Next 16 "proxy" (formerly middleware): runs before every page, server action
// and route handler. It refuses server actions whose Origin is not Wharf's
// (Next's own check lets a missing Origin through and answers a foreign one
// with a 500), and passes the requested path to server components so a
// sign-in redirect can return the user to where they were.
import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/lib/config";
import { originRefusal } from "@/lib/auth/origin";

const mutating = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Route handlers under /api and /auth check Origin themselves (withAuth,
 * checkOrigin), since a pipeline's bearer request has none; a mutation
 * anywhere else is a server action, with or without JavaScript.
 */
function isServerActionRequest(request: NextRequest): boolean {
  const path = request.nextUrl.pathname;
  return mutating.has(request.method) && !path.startsWith("/api/") && !path.startsWith("/auth/");
}

export function proxy(request: NextRequest) {
  if (isServerActionRequest(request)) {
    const refusal = originRefusal(request.headers.get("origin"), getConfig().publicUrl, request.nextUrl.origin);
    if (refusal) return NextResponse.json({ error: { code: "forbidden", message: refusal } }, { status: 403 });
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-wharf-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers: requestHeaders } });
}

export const config = { matcher: ["/((?!_next/|api/healthz|api/readyz|favicon).*)"] };

// Next 16 "proxy" (formerly middleware): runs before every page, server
// action and route handler (static files aside). It
// - answers an address it cannot decode, or with control characters, 400;
// - refuses server actions whose Origin is not Wharf's (Next's own check lets
//   a missing Origin through and answers a foreign one with a 500);
// - sets the security headers on every response (lib/auth/security-headers.ts),
//   with a fresh CSP nonce for pages that Next puts on its own scripts;
// - passes the requested path to server components so a sign-in redirect can
//   return the user to where they were;
// - sends a wall screen's `/display/<board>?token=…` to the route handler that
//   exchanges the token for the board's display cookie (decision 0026). That
//   cookie is never a session: nothing here or in lib/auth/session*.ts reads it.
// API requests with a large or streamed body do not come here (see `config` below).
import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/lib/config";
import { originRefusal } from "@/lib/auth/origin";
import { addressProblem } from "@/lib/net/address-problem";
import { apiSecurityHeaders, newNonce, nonPagePolicy, pagePolicy, securityHeaders } from "@/lib/auth/security-headers";

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

/** Route handlers that answer JSON, YAML or a stream, never a page: the API, and a wall screen's snapshot and stream. /auth/* handlers only redirect. */
const isApi = (path: string) =>
  path.startsWith("/api/") || /^\/display\/[^/]+\/(snapshot|stream|manifest\.webmanifest)$/.test(path) || /^\/display\/pair\/(start|status)$/.test(path);

/** `/display/<board>` with a display token in its query: the board's token exchange. */
const displayExchange = (request: NextRequest): string | null => {
  const match = /^\/display\/([^/]+)\/?$/.exec(request.nextUrl.pathname);
  return match && request.nextUrl.searchParams.has("token") ? `/display/${match[1]}/connect` : null;
};

function withHeaders(response: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export function proxy(request: NextRequest) {
  const { publicUrl } = getConfig();
  const https = publicUrl.startsWith("https://");
  const path = request.nextUrl.pathname;

  const badAddress = addressProblem(path, request.nextUrl.searchParams);
  if (badAddress) {
    return withHeaders(
      NextResponse.json({ error: { code: "invalid_input", message: badAddress } }, { status: 400 }),
      securityHeaders({ policy: nonPagePolicy, https, noStore: true }),
    );
  }

  if (isServerActionRequest(request)) {
    const refusal = originRefusal(request.headers.get("origin"), publicUrl, request.nextUrl.origin);
    if (refusal) {
      return withHeaders(
        NextResponse.json({ error: { code: "forbidden", message: refusal } }, { status: 403 }),
        securityHeaders({ policy: nonPagePolicy, https, noStore: true }),
      );
    }
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-wharf-path", `${path}${request.nextUrl.search}`);
  if (isApi(path)) {
    return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), apiSecurityHeaders(publicUrl));
  }
  const nonce = newNonce();
  const policy = pagePolicy(nonce, { development: process.env.NODE_ENV === "development" });
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders; x-nonce is for ours (next-themes).
  requestHeaders.set("content-security-policy", policy);
  requestHeaders.set("x-nonce", nonce);
  const exchange = displayExchange(request);
  if (exchange) {
    const target = request.nextUrl.clone();
    target.pathname = exchange;
    return withHeaders(NextResponse.rewrite(target, { request: { headers: requestHeaders } }), securityHeaders({ policy, https, noStore: true }));
  }
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), securityHeaders({ policy, https }));
}

// Everything but the build's static files (which next.config.mjs gives nosniff)
// and API requests with a large or streamed body. Next reads the whole body of
// every request the proxy sees before any route handler runs (keeping up to
// 10 MB twice over, reading and dropping the rest), so the API's own limits
// (lib/api/read-body.ts: a declared length over the limit refused before
// anything is read, a streamed body read no further than the limit) could
// only answer once all of it had arrived. An API request declaring under
// 1,000,000 bytes still comes here; one declaring more, or streamed
// (Transfer-Encoding), goes straight to its route handler, where withAuth
// sets the headers and checks the address instead (decision 0028).
export const config = {
  matcher: [
    { source: "/((?!_next/static/|_next/image/|favicon.ico|api/).*)" },
    {
      source: "/api/:path*",
      missing: [
        { type: "header", key: "content-length" },
        { type: "header", key: "transfer-encoding" },
      ],
    },
    { source: "/api/:path*", has: [{ type: "header", key: "content-length", value: "\\d{1,6}" }], missing: [{ type: "header", key: "transfer-encoding" }] },
  ],
};

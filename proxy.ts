// Next 16 "proxy" (formerly middleware): passes the requested path to server
// components so a sign-in redirect can return the user to where they were.
import { NextResponse, type NextRequest } from "next/server";

export function proxy(request: NextRequest) {
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-wharf-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers: requestHeaders } });
}

export const config = { matcher: ["/((?!_next/|api/healthz|api/readyz|favicon).*)"] };

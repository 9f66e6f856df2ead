import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/lib/config";
import { completeSignIn, SignInError } from "@/lib/auth/sign-in";
import { flowCookieName } from "@/lib/auth/flow-cookie";
import { safeReturnTo } from "@/lib/auth/return-to";
import { sessionCookieName } from "@/lib/auth/session";
import { logger } from "@/lib/logger";
import { isAppError } from "@/lib/errors";
import { clientAddress, consumeRateLimit } from "@/lib/net/rate-limit";
import { rateLimitedPage } from "@/lib/auth/rate-limited-page";

export async function GET(request: NextRequest) {
  const config = getConfig();
  const query = Object.fromEntries(request.nextUrl.searchParams);
  try {
    const session = await completeSignIn(config, query, request.cookies.get(flowCookieName)?.value);
    const response = NextResponse.redirect(new URL(safeReturnTo(session.returnTo, config.publicUrl), config.publicUrl));
    response.cookies.delete({ name: flowCookieName, path: "/auth" });
    // A new random token every sign-in: a session id planted before sign-in is never promoted.
    response.cookies.set(sessionCookieName, session.token, {
      httpOnly: true,
      sameSite: "lax",
      secure: config.publicUrl.startsWith("https://"),
      path: "/",
      expires: session.expiresAt,
    });
    return response;
  } catch (error) {
    const failure = error instanceof SignInError ? error : new SignInError("idp_error", "Sign-in failed unexpectedly; it has been logged.");
    if (!(error instanceof SignInError)) logger.error({ err: error }, "sign-in callback failed");
    else logger.warn({ failure: failure.failure, detail: failure.message }, "sign-in refused");
    try {
      // A forged or replayed callback counts against the address like a bad token.
      await consumeRateLimit("authFailures", clientAddress(request.headers));
    } catch (limited) {
      if (isAppError(limited)) return rateLimitedPage(limited.message, limited.retryAfterSeconds);
      throw limited;
    }
    const target = new URL("/auth/error", config.publicUrl);
    target.searchParams.set("reason", failure.failure);
    const response = NextResponse.redirect(target);
    response.cookies.delete({ name: flowCookieName, path: "/auth" });
    return response;
  }
}

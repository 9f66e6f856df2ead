import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/lib/config";
import { beginSignIn, SignInError } from "@/lib/auth/sign-in";
import { flowCookieName, flowLifetimeSeconds } from "@/lib/auth/flow-cookie";
import { logger } from "@/lib/logger";
import { isAppError } from "@/lib/errors";
import { clientAddress, consumeRateLimit } from "@/lib/net/rate-limit";
import { rateLimitedPage } from "@/lib/auth/rate-limited-page";

export async function GET(request: NextRequest) {
  const config = getConfig();
  try {
    await consumeRateLimit("signInStarts", clientAddress(request.headers));
  } catch (error) {
    if (!isAppError(error)) throw error;
    return rateLimitedPage(error.message, error.retryAfterSeconds);
  }
  try {
    const { url, flowCookie } = await beginSignIn(config, request.nextUrl.searchParams.get("returnTo"));
    const response = NextResponse.redirect(url);
    response.cookies.set(flowCookieName, flowCookie, {
      httpOnly: true,
      sameSite: "lax",
      secure: config.publicUrl.startsWith("https://"),
      path: "/auth",
      maxAge: flowLifetimeSeconds,
    });
    return response;
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    logger.warn({ failure: error.failure, detail: error.message }, "sign-in could not start");
    const target = new URL("/auth/error", config.publicUrl);
    target.searchParams.set("reason", error.failure);
    return NextResponse.redirect(target);
  }
}

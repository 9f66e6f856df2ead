import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { checkOrigin, errorResponse } from "@/lib/auth/route";
import { endSession, sessionAuditId, sessionCookieName } from "@/lib/auth/session";
import { actorForUser } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

export async function POST(request: NextRequest) {
  const config = getConfig();
  try {
    checkOrigin(request);
  } catch (error) {
    return errorResponse(error);
  }
  const token = request.cookies.get(sessionCookieName)?.value;
  const user = await endSession(token);
  if (user && token) {
    const actor = await actorForUser(user, config.identity);
    await recordAuditEvent(getPrisma(), { actor, action: "auth.sign_out", resourceType: "session", resourceId: sessionAuditId(token), outcome: "success" });
  }
  // 303: the browser follows a POST with a GET.
  const response = NextResponse.redirect(new URL("/signed-out", config.publicUrl), 303);
  response.cookies.delete(sessionCookieName);
  return response;
}

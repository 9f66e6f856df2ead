import "server-only";
// Route handlers a wall screen calls (its board's snapshot and stream) are
// wrapped here, as people's are by withAuth: the display cookie is checked
// on every request, a refusal answers 401/403 with which one it is
// (`reason`: missing, unknown, expired, revoked, other-board), and the
// screen's last seen time and browser are written at most once a minute.
// A session cookie counts for nothing here, and the display cookie for
// nothing anywhere else (decision 0026).
import { NextResponse, type NextRequest } from "next/server";
import { errorResponse } from "@/lib/auth/route";
import {
  checkDisplayToken,
  displayCookieName,
  displayRefusalMessages,
  displayRefusalStatus,
  type DisplayCheck,
  type DisplayRefusal,
} from "@/lib/auth/display-token";

export type DisplayContext = { params: Promise<{ board: string }> };
type Accepted = Extract<DisplayCheck, { ok: true }>;

export function displayRefusalResponse(refusal: DisplayRefusal): NextResponse {
  const status = displayRefusalStatus(refusal);
  return NextResponse.json(
    { error: { code: status === 401 ? "unauthenticated" : "forbidden", reason: refusal, message: displayRefusalMessages[refusal] } },
    { status },
  );
}

export function withDisplay(handler: (request: NextRequest, context: { slug: string; display: Accepted }) => Promise<Response>) {
  return async (request: NextRequest, context: DisplayContext): Promise<Response> => {
    try {
      const { board: slug } = await context.params;
      const check = await checkDisplayToken(request.cookies.get(displayCookieName)?.value, slug);
      if (!check.ok) return displayRefusalResponse(check.refusal);
      return await handler(request, { slug, display: check });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

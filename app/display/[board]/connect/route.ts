// /display/<board>?token=… (proxy.ts rewrites it here) or a POST of the
// token: the display token becomes an httpOnly, SameSite=Strict cookie for
// /display/<board> only, and the screen is sent back to the board without
// the token in its address. A wrong, expired or revoked token, or one for
// another board, gets a page saying which (401/403) and no cookie.
import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/lib/config";
import { displayCookieName, displayCookiePath, displayRefusalMessages, displayRefusalStatus, type DisplayRefusal } from "@/lib/auth/display-token";
import { checkOrigin, errorResponse } from "@/lib/auth/route";
import { connectDisplay } from "@/lib/boards/connect-display";
import { boardSlug } from "@/lib/boards/board-input";

type Context = { params: Promise<{ board: string }> };

const titles: Record<DisplayRefusal, string> = {
  missing: "No display token",
  unknown: "This display token is not valid",
  expired: "This display token has expired",
  revoked: "This screen was revoked",
  "other-board": "This token is for another board",
};

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function refusalPage(refusal: DisplayRefusal, nonce: string | null): Response {
  const style =
    "html,body{margin:0;height:100%;background:#000;color:#fff;font-family:system-ui,sans-serif}" +
    "main{display:flex;flex-direction:column;justify-content:center;align-items:center;height:100%;text-align:center;padding:0 5vw}" +
    "h1{font-size:clamp(32px,3.5vw,96px);margin:0 0 .5em}" +
    "p{font-size:clamp(24px,2vw,56px);max-width:60ch;color:#d4d4d8}";
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${escape(titles[refusal])} · Wharf</title><style${nonce ? ` nonce="${escape(nonce)}"` : ""}>${style}</style></head>` +
    `<body><main data-refusal="${refusal}"><h1>${escape(titles[refusal])}</h1><p>${escape(displayRefusalMessages[refusal])}</p></main></body></html>`;
  return new Response(html, { status: displayRefusalStatus(refusal), headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

async function exchange(request: NextRequest, context: Context, token: string | null): Promise<Response> {
  const { board: slug } = await context.params;
  if (!boardSlug.safeParse(slug).success) return refusalPage("unknown", request.headers.get("x-nonce"));
  const check = await connectDisplay({ token, slug, userAgent: request.headers.get("user-agent") });
  if (!check.ok) return refusalPage(check.refusal, request.headers.get("x-nonce"));
  const response = NextResponse.redirect(new URL(displayCookiePath(slug), getConfig().publicUrl), 303);
  response.headers.set("cache-control", "no-store");
  response.cookies.set(displayCookieName, token!, {
    httpOnly: true,
    sameSite: "strict",
    secure: getConfig().publicUrl.startsWith("https://"),
    path: displayCookiePath(slug),
    expires: check.expiresAt,
  });
  return response;
}

export async function GET(request: NextRequest, context: Context): Promise<Response> {
  try {
    return await exchange(request, context, request.nextUrl.searchParams.get("token"));
  } catch (error) {
    return errorResponse(error);
  }
}

export async function POST(request: NextRequest, context: Context): Promise<Response> {
  try {
    checkOrigin(request);
    const form = await request.formData().catch(() => null);
    const token = form?.get("token");
    return await exchange(request, context, typeof token === "string" ? token.trim() : null);
  } catch (error) {
    return errorResponse(error);
  }
}

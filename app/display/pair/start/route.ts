// A new screen asks for a pairing code: the answer is the code to show, and a
// cookie for /display/pair with the secret that becomes its display token
// once someone types the code in (lib/boards/display-pairing.ts).
import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/lib/config";
import { checkOrigin, errorResponse } from "@/lib/auth/route";
import { formatPairingCode, pairingCookieName, pairingCookiePath, startPairing } from "@/lib/boards/display-pairing";

export async function POST(request: NextRequest): Promise<Response> {
  try {
    checkOrigin(request);
    const { code, secret, expiresAt } = await startPairing({ userAgent: request.headers.get("user-agent") });
    const response = NextResponse.json({ code: formatPairingCode(code), expiresAt: expiresAt.toISOString() }, { headers: { "cache-control": "no-store" } });
    response.cookies.set(pairingCookieName, secret, {
      httpOnly: true,
      sameSite: "strict",
      secure: getConfig().publicUrl.startsWith("https://"),
      path: pairingCookiePath,
      expires: expiresAt,
    });
    return response;
  } catch (error) {
    return errorResponse(error);
  }
}

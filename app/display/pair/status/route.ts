// A screen waiting to be paired asks every few seconds. Once paired, the
// answer trades its pairing cookie for the board's display cookie
// (httpOnly, SameSite=Strict, Path=/display/<board>) and names the board.
import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/lib/config";
import { errorResponse } from "@/lib/auth/route";
import { displayCookieName, displayCookiePath } from "@/lib/auth/display-token";
import { pairingCookieName, pairingCookiePath, pairingStatus } from "@/lib/boards/display-pairing";

export async function GET(request: NextRequest): Promise<Response> {
  try {
    const secret = request.cookies.get(pairingCookieName)?.value;
    const status = await pairingStatus(secret);
    if (status.state !== "paired") return NextResponse.json(status, { headers: { "cache-control": "no-store" } });
    const response = NextResponse.json({ state: "paired", board: status.board }, { headers: { "cache-control": "no-store" } });
    const secure = getConfig().publicUrl.startsWith("https://");
    response.cookies.set(displayCookieName, secret!, {
      httpOnly: true,
      sameSite: "strict",
      secure,
      path: displayCookiePath(status.board),
      expires: status.expiresAt,
    });
    response.cookies.set(pairingCookieName, "", { httpOnly: true, sameSite: "strict", secure, path: pairingCookiePath, maxAge: 0 });
    return response;
  } catch (error) {
    return errorResponse(error);
  }
}

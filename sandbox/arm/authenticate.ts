// ARM's front door: a bearer token from the sandbox authority, issued by the
// client-credentials grant for the ARM scope, and still valid. Each refusal
// carries the code real ARM sends for that case, so Wharf's handling of an
// expired or wrong-audience token is exercised, not just "401".
import type { IncomingMessage } from "node:http";
import type { Provider } from "oidc-provider";

/** What `ClientSecretCredential` asks for when `@azure/arm-*` clients call it. */
export const armScope = "https://management.azure.com/.default";

export type ArmCaller = { ok: true; clientId: string } | { ok: false; code: string; message: string };

// ARM formats times the .NET way in this message ("1/8/2026 7:18:46 AM").
function dotNetUtc(date: Date): string {
  const hours = date.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, "0");
  const clock = `${hours % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? "AM" : "PM"}`;
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${clock}`;
}

/** Why a token was refused: each front door maps these to its own status and code. */
export type TokenRefusal = "missing" | "malformed" | "invalid" | "expired" | "audience";

export type BearerCaller = { ok: true; clientId: string } | { ok: false; reason: TokenRefusal; code: string; message: string };

export interface Audience {
  /** The `.default` scope a client asks for this API; it stands in for the `aud` claim. */
  scope: string;
  /** How the real service lists its allowed audiences in the wrong-audience message. */
  allowed: string;
}

const armAudience: Audience = {
  scope: armScope,
  allowed: "'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'",
};

export async function authenticateArmCaller(provider: Provider, req: IncomingMessage): Promise<ArmCaller> {
  const caller = await authenticateBearer(provider, req, armAudience);
  return caller.ok ? caller : { ok: false, code: caller.code, message: caller.message };
}

/** A bearer token from the sandbox authority, issued by the client-credentials grant for `audience`, and still valid. */
export async function authenticateBearer(provider: Provider, req: IncomingMessage, audience: Audience): Promise<BearerCaller> {
  const header = req.headers.authorization;
  if (!header) return { ok: false, reason: "missing", code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." };
  const value = /^Bearer +(\S+)$/i.exec(header)?.[1];
  if (!value) {
    return {
      ok: false,
      reason: "malformed",
      code: "AuthenticationFailed",
      message: "Authentication failed. The 'Authorization' header is provided in an invalid format.",
    };
  }
  // Only the sandbox provider's own store knows its (opaque) tokens, so a
  // token from anywhere else, or from a previous sandbox run, is not found.
  const token = await provider.ClientCredentials.find(value);
  if (!token?.clientId) return { ok: false, reason: "invalid", code: "InvalidAuthenticationToken", message: "The access token is invalid." };
  if (token.isExpired) {
    const exp = (token as { exp?: unknown }).exp;
    const expiry = typeof exp === "number" ? dotNetUtc(new Date(exp * 1000)) : "unknown";
    return {
      ok: false,
      reason: "expired",
      code: "ExpiredAuthenticationToken",
      message: `The access token expiry UTC time '${expiry}' is earlier than current UTC time '${dotNetUtc(new Date())}'.`,
    };
  }
  // The token's scope stands in for the `aud` claim real services check.
  if (!(token.scope ?? "").split(" ").includes(audience.scope)) {
    return {
      ok: false,
      reason: "audience",
      code: "InvalidAuthenticationTokenAudience",
      message:
        `The access token has been obtained for wrong audience or resource '${token.scope ?? ""}'. ` +
        `It should exactly match with one of the allowed audiences ${audience.allowed}.`,
    };
  }
  return { ok: true, clientId: token.clientId };
}

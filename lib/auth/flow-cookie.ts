// State, nonce and PKCE verifier travel between sign-in start and callback in
// a short-lived encrypted cookie, so any replica can finish the flow.
import { createHash } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import { z } from "zod";

export const flowCookieName = "wharf_signin";
export const flowLifetimeSeconds = 600;

const flowSchema = z.object({
  state: z.string().min(16),
  nonce: z.string().min(16),
  codeVerifier: z.string().min(43),
  returnTo: z.string(),
});

export type SignInFlow = z.infer<typeof flowSchema>;

function key(secret: string): Uint8Array {
  return createHash("sha256").update(`wharf sign-in flow\u0000${secret}`).digest();
}

export async function sealFlow(flow: SignInFlow, secret: string): Promise<string> {
  return new EncryptJWT({ ...flow })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(`${flowLifetimeSeconds}s`)
    .encrypt(key(secret));
}

/** The flow, or null when the cookie is missing, tampered with or expired. */
export async function openFlow(sealed: string | undefined, secret: string): Promise<SignInFlow | null> {
  if (!sealed) return null;
  try {
    const { payload } = await jwtDecrypt(sealed, key(secret));
    const parsed = flowSchema.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

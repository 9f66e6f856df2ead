// Pairing a wall screen as TV apps pair (decision 0026): the screen asks for
// a short code and keeps a random secret in a cookie for /display/pair; a
// person who manages a board types the code in (pair-display.ts), which makes
// a Display whose token hash is that secret's. The screen's next status poll
// then trades its pairing cookie for the board's display cookie. No token is
// ever shown, sent to the person, or stored in clear.
import { randomInt } from "node:crypto";
import { getPrisma } from "@/lib/db/client";
import { newDisplayToken } from "@/lib/auth/display-token";
import { hashToken } from "@/lib/auth/session";

export const pairingCookieName = "wharf_pairing";
export const pairingCookiePath = "/display/pair";
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const codeLength = 6;
export const pairingMinutes = 10;

/** "k7q-m4x" → "K7QM4X"; null when it cannot be a code. */
export function normalizePairingCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return code.length === codeLength && [...code].every((char) => codeAlphabet.includes(char)) ? code : null;
}

/** "K7QM4X" → "K7Q-M4X", as the screen shows it. */
export function formatPairingCode(code: string): string {
  return `${code.slice(0, 3)}-${code.slice(3)}`;
}

export async function startPairing({
  userAgent,
  now = new Date(),
}: {
  userAgent: string | null;
  now?: Date;
}): Promise<{ code: string; secret: string; expiresAt: Date }> {
  const prisma = getPrisma();
  // Codes nobody used are forgotten a day after they expired.
  await prisma.displayPairing.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 86_400_000) } } });
  const expiresAt = new Date(now.getTime() + pairingMinutes * 60_000);
  for (let attempt = 0; ; attempt++) {
    const code = Array.from({ length: codeLength }, () => codeAlphabet[randomInt(codeAlphabet.length)]).join("");
    const { token: secret, tokenHash } = newDisplayToken();
    try {
      await prisma.displayPairing.create({ data: { code, secretHash: tokenHash, userAgent: userAgent?.slice(0, 300) ?? null, createdAt: now, expiresAt } });
      return { code, secret, expiresAt };
    } catch (error) {
      // A code still in the table (about one in 10^8 per live code): draw again.
      if (attempt >= 5) throw error;
    }
  }
}

export type PairingStatus =
  { state: "waiting"; code: string; expiresAt: string } | { state: "paired"; board: string; expiresAt: Date } | { state: "expired" } | { state: "unknown" };

/** What a screen holding `secret` should do; a paired pairing is used up by asking. */
export async function pairingStatus(secret: string | undefined, now = new Date()): Promise<PairingStatus> {
  if (!secret || secret.length > 200) return { state: "unknown" };
  const prisma = getPrisma();
  const pairing = await prisma.displayPairing.findUnique({ where: { secretHash: hashToken(secret) } });
  if (!pairing) return { state: "unknown" };
  if (pairing.pairedAt && pairing.boardSlug && pairing.displayId) {
    const display = await prisma.display.findUnique({ where: { id: pairing.displayId } });
    await prisma.displayPairing.delete({ where: { id: pairing.id } });
    if (!display || display.revokedAt) return { state: "unknown" };
    return { state: "paired", board: pairing.boardSlug, expiresAt: display.expiresAt };
  }
  if (pairing.expiresAt <= now) return { state: "expired" };
  return { state: "waiting", code: formatPairingCode(pairing.code), expiresAt: pairing.expiresAt.toISOString() };
}

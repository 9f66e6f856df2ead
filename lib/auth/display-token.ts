// Display tokens (decision 0026): a random secret created for one board and
// shown once; the database keeps only its SHA-256, like sessions. A screen
// exchanges it for an httpOnly cookie scoped to the board's path, and every
// request of the screen is checked here again: so a revoked or expired token
// stops working on its next request. It is never a session: nothing in
// lib/auth/session*.ts or current-actor.ts reads this cookie.
import { randomBytes } from "node:crypto";
import { getPrisma } from "@/lib/db/client";
import { hashToken } from "@/lib/auth/session";
import type { DisplayActor } from "@/lib/auth/permissions";

export const displayCookieName = "wharf_display";
const prefix = "wdt_";

export function newDisplayToken(): { token: string; tokenHash: string } {
  const token = `${prefix}${randomBytes(32).toString("base64url")}`;
  return { token, tokenHash: hashToken(token) };
}

/** The path the cookie is sent to: the kiosk page and its data endpoints under it, nothing else. */
export function displayCookiePath(boardSlug: string): string {
  // A playlist's slug shares the boards' address space (decision 0036).
  return `/display/${boardSlug}`;
}

export type DisplayRefusal = "missing" | "unknown" | "expired" | "revoked" | "other-board";

export const displayRefusalMessages: Record<DisplayRefusal, string> = {
  missing: "This screen has no display token for this board. Open the board's link with ?token=… from Boards → Screens.",
  unknown: "This display token is not valid: it was mistyped, cut short, or never created. Create a new token in Boards → Screens.",
  expired: "This display token has expired. Create a new token for this screen in Boards → Screens.",
  revoked: "This screen was revoked. Ask the board's owners for a new display token.",
  "other-board": "This display token belongs to another board. Open the board it was created for, or create a token for this one.",
};

/** 401 when the screen must get a token, 403 when the token is good but not for this board. */
export function displayRefusalStatus(refusal: DisplayRefusal): 401 | 403 {
  return refusal === "other-board" ? 403 : 401;
}

export type DisplayCheck =
  | {
      ok: true;
      actor: DisplayActor;
      /** The boards in the order shown, each for its seconds (one board, 0 s: it stays). */
      rotation: { boardId: string; seconds: number }[];
      /** A playlist's screen: the playlist; null for a board's. */
      playlist: { slug: string; name: string } | null;
      expiresAt: Date;
      lastSeenAt: Date | null;
      userAgent: string | null;
    }
  | { ok: false; refusal: DisplayRefusal; displayId?: string };

/** Who the token is, for the board or playlist with `boardSlug`; every failure says which one it is. */
export async function checkDisplayToken(token: string | undefined | null, boardSlug: string, now = new Date()): Promise<DisplayCheck> {
  if (!token) return { ok: false, refusal: "missing" };
  if (!token.startsWith(prefix) || token.length > 200) return { ok: false, refusal: "unknown" };
  const display = await getPrisma().display.findUnique({
    where: { tokenHash: hashToken(token) },
    include: {
      board: { select: { id: true, slug: true } },
      playlist: { select: { id: true, slug: true, name: true, entries: { select: { boardId: true, seconds: true }, orderBy: { position: "asc" } } } },
    },
  });
  if (!display) return { ok: false, refusal: "unknown" };
  if (display.revokedAt) return { ok: false, refusal: "revoked", displayId: display.id };
  if (display.expiresAt <= now) return { ok: false, refusal: "expired", displayId: display.id };
  const slug = display.board?.slug ?? display.playlist?.slug;
  if (slug !== boardSlug) return { ok: false, refusal: "other-board", displayId: display.id };
  const rotation = display.playlist?.entries ?? [{ boardId: display.board!.id, seconds: 0 }];
  return {
    ok: true,
    rotation,
    playlist: display.playlist ? { slug: display.playlist.slug, name: display.playlist.name } : null,
    actor: {
      kind: "display",
      displayId: display.id,
      boardId: display.board?.id ?? null,
      playlistId: display.playlist?.id ?? null,
      boardSlug: slug,
      boardIds: [...new Set(rotation.map((entry) => entry.boardId))],
      name: `Screen “${display.label}” (display)`,
      isAdmin: false,
      teams: [],
    },
    expiresAt: display.expiresAt,
    lastSeenAt: display.lastSeenAt,
    userAgent: display.userAgent,
  };
}

/** Writes lastSeenAt (and the user agent) at most once a minute per screen, so a screen's reads do not become writes. */
export async function touchDisplay(check: Extract<DisplayCheck, { ok: true }>, userAgent: string | null, now = new Date()): Promise<boolean> {
  const agent = userAgent?.slice(0, 300) ?? null;
  const due = !check.lastSeenAt || now.getTime() - check.lastSeenAt.getTime() >= 60_000;
  if (!due && agent === check.userAgent) return false;
  await getPrisma().display.update({ where: { id: check.actor.displayId }, data: { lastSeenAt: now, userAgent: agent } });
  return true;
}

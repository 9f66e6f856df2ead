// What pages, the API and the audit log see of a board and its screens.
import { z } from "zod";
import type { Board, Display } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { tileSchema, tilesSchema, type Tile } from "./tiles";

const iso = z.string().describe("ISO 8601 time");

export const boardViewSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  team: z
    .object({ id: z.string(), slug: z.string(), name: z.string(), archived: z.boolean() })
    .nullable()
    .describe("The owning team; null for a board for everyone."),
  tiles: z.array(tileSchema),
  createdByName: z.string(),
  createdAt: iso,
  updatedAt: iso,
});

export type BoardView = z.infer<typeof boardViewSchema>;

export const displayViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  expiresAt: iso,
  revokedAt: iso.nullable(),
  revokedByName: z.string().nullable(),
  lastSeenAt: iso.nullable(),
  userAgent: z.string().nullable(),
  createdByName: z.string(),
  createdAt: iso,
  state: z.enum(["active", "expired", "revoked"]),
});

export type DisplayView = z.infer<typeof displayViewSchema>;

export const boardSummarySchema = boardViewSchema.extend({
  canManage: z.boolean().describe("Whether you may change it and its screens."),
  screens: z.number().describe("Screens with an active token."),
});
export const boardListSchema = z.array(boardSummarySchema);
export const boardDetailSchema = z.object({
  board: boardViewSchema,
  canManage: z.boolean(),
  displays: z.array(displayViewSchema).describe("Empty unless you manage the board."),
});
export const displayTokenSchema = z.object({
  display: displayViewSchema,
  token: z.string().describe("The display token, shown only in this response: Wharf keeps its SHA-256."),
  url: z.string().describe("The address to open on the screen: /display/<board>?token=…"),
});

type BoardRow = Board & { team: { id: string; slug: string; name: string; archivedAt: Date | null } | null };

export const boardInclude = { team: { select: { id: true, slug: true, name: true, archivedAt: true } } } as const;

/** The stored tiles, parsed: a row that no longer fits the schema is a defect to report, not to draw. */
export function storedTiles(board: Pick<Board, "slug" | "tiles">): Tile[] {
  const parsed = tilesSchema.safeParse(board.tiles);
  if (parsed.success) return parsed.data;
  throw new AppError(
    "conflict",
    `Board "${board.slug}" holds tiles this version of Wharf cannot read (${parsed.error.issues[0]!.message}); edit the board and save it again.`,
  );
}

export function toBoardView(board: BoardRow): BoardView {
  return {
    id: board.id,
    slug: board.slug,
    name: board.name,
    team: board.team ? { id: board.team.id, slug: board.team.slug, name: board.team.name, archived: board.team.archivedAt !== null } : null,
    tiles: storedTiles(board),
    createdByName: board.createdByName,
    createdAt: board.createdAt.toISOString(),
    updatedAt: board.updatedAt.toISOString(),
  };
}

export function toDisplayView(display: Display, now = new Date()): DisplayView {
  return {
    id: display.id,
    label: display.label,
    expiresAt: display.expiresAt.toISOString(),
    revokedAt: display.revokedAt?.toISOString() ?? null,
    revokedByName: display.revokedByName,
    lastSeenAt: display.lastSeenAt?.toISOString() ?? null,
    userAgent: display.userAgent,
    createdByName: display.createdByName,
    createdAt: display.createdAt.toISOString(),
    state: display.revokedAt ? "revoked" : display.expiresAt <= now ? "expired" : "active",
  };
}

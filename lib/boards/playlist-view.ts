// What pages, the API and the audit log see of a playlist.
import { z } from "zod";
import type { Playlist } from "@/lib/db/generated/client";
import { displayViewSchema } from "./board-view";

const iso = z.string().describe("ISO 8601 time");

export const playlistViewSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  team: z
    .object({ id: z.string(), slug: z.string(), name: z.string(), archived: z.boolean() })
    .nullable()
    .describe("The owning team; null for a playlist for everyone."),
  boards: z.array(z.object({ board: z.string().describe("The board's slug."), name: z.string(), seconds: z.number().int() })),
  createdByName: z.string(),
  createdAt: iso,
  updatedAt: iso,
});

export type PlaylistView = z.infer<typeof playlistViewSchema>;

export const playlistSummarySchema = playlistViewSchema.extend({
  canManage: z.boolean().describe("Whether you may change it and its screens."),
  screens: z.number().describe("Screens with an active token."),
});
export const playlistListSchema = z.array(playlistSummarySchema);
export const playlistDetailSchema = z.object({
  playlist: playlistViewSchema,
  canManage: z.boolean(),
  displays: z.array(displayViewSchema).describe("Empty unless you manage the playlist."),
});

export const playlistInclude = {
  team: { select: { id: true, slug: true, name: true, archivedAt: true } },
  entries: { select: { seconds: true, board: { select: { slug: true, name: true } } }, orderBy: { position: "asc" } },
} as const;

type PlaylistRow = Playlist & {
  team: { id: string; slug: string; name: string; archivedAt: Date | null } | null;
  entries: { seconds: number; board: { slug: string; name: string } }[];
};

export function toPlaylistView(row: PlaylistRow): PlaylistView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    team: row.team ? { id: row.team.id, slug: row.team.slug, name: row.team.name, archived: row.team.archivedAt !== null } : null,
    boards: row.entries.map((entry) => ({ board: entry.board.slug, name: entry.board.name, seconds: entry.seconds })),
    createdByName: row.createdByName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

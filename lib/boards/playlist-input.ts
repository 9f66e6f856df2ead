// What a person sends to create or change a playlist: boards in order, each
// shown for 10 s to an hour. Pure (the editor runs it in the browser too).
import { z } from "zod";
import { boardName, boardSlug } from "./board-input";

export const minPlaylistSeconds = 10;
export const maxPlaylistSeconds = 3600;
export const maxPlaylistBoards = 50;

export const playlistEntryInput = z.object({
  board: z.string().trim().min(1, { error: "Each entry names a board by its slug." }).max(40, { error: "A board slug has at most 40 characters." }),
  seconds: z
    .int({ error: "seconds must be a whole number of seconds." })
    .min(minPlaylistSeconds, { error: `A board is shown for at least ${minPlaylistSeconds} seconds.` })
    .max(maxPlaylistSeconds, { error: `A board is shown for at most ${maxPlaylistSeconds} seconds (an hour).` }),
});

const boards = z
  .array(playlistEntryInput)
  .min(1, { error: "A playlist needs at least one board." })
  .max(maxPlaylistBoards, { error: `A playlist can hold at most ${maxPlaylistBoards} boards.` })
  .describe("The boards in the order shown; a board may appear more than once.");

const teamId = z.uuid({ error: "teamId must be a team's id, or null for a playlist for everyone." }).nullable();

/** A playlist's slug shares the boards' address space (/display/<slug>). */
export const createPlaylistInput = z.object({ slug: boardSlug, name: boardName, teamId, boards });
export const updatePlaylistInput = z.object({ name: boardName.optional(), teamId: teamId.optional(), boards: boards.optional() });

export type CreatePlaylistInput = z.input<typeof createPlaylistInput>;
export type UpdatePlaylistInput = z.input<typeof updatePlaylistInput>;

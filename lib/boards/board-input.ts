// What a person sends to create or change a board. Pure (the editor runs it in the browser too).
import { z } from "zod";
import { tilesSchema } from "./tiles";

/** Paths under /display that are not boards. */
export const reservedBoardSlugs = ["pair"] as const;

export const boardSlug = z
  .string()
  .trim()
  .min(2, { error: "The board slug needs at least 2 characters." })
  .max(40, { error: "The board slug can have at most 40 characters." })
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, {
    error: "The board slug may contain only lowercase letters, digits and hyphens, and must start and end with a letter or digit.",
  })
  .refine((value) => !(reservedBoardSlugs as readonly string[]).includes(value), {
    error: "That slug is reserved for Wharf's own display pages; pick another.",
  });

export const boardName = z.string().trim().min(1, { error: "Give the board a name." }).max(80, { error: "The board name can have at most 80 characters." });

const teamId = z.uuid({ error: "teamId must be a team's id, or null for a board for everyone." }).nullable();

export const createBoardInput = z.object({ slug: boardSlug, name: boardName, teamId, tiles: tilesSchema.default([]) });
export const updateBoardInput = z.object({ name: boardName.optional(), teamId: teamId.optional(), tiles: tilesSchema.optional() });

export type CreateBoardInput = z.input<typeof createBoardInput>;
export type UpdateBoardInput = z.input<typeof updateBoardInput>;

export const maxDisplayDays = 400;

export const createDisplayInput = z.object({
  label: z
    .string()
    .trim()
    .min(1, { error: "Give the screen a label, such as where it hangs." })
    .max(80, { error: "The label can have at most 80 characters." }),
  expiresInDays: z
    .int({ error: "expiresInDays must be a whole number of days." })
    .min(1, { error: "A display token must last at least 1 day." })
    .max(maxDisplayDays, { error: `A display token can last at most ${maxDisplayDays} days; create a new one when it ends.` })
    .default(90),
});

export type CreateDisplayInput = z.input<typeof createDisplayInput>;

/** POST /api/v1/boards/{slug}/pairings (and playlists'): the code a new screen shows, and the screen's label and expiry. */
export const pairDisplayInput = createDisplayInput.extend({
  code: z
    .string({ error: "Give the code the screen shows, such as K7Q-M4X." })
    .max(20, { error: "A pairing code is the 6 letters and digits the screen shows, such as K7Q-M4X." }),
});

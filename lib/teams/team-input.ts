import { z } from "zod";

const groupId = z
  .string()
  .trim()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "Each Entra group id must be a group's object ID, a UUID such as 3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f01.",
  )
  .transform((value) => value.toLowerCase());

export const teamSlug = z
  .string()
  .trim()
  .min(2, "The team slug needs at least 2 characters.")
  .max(40, "The team slug can have at most 40 characters.")
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    "The team slug may contain only lowercase letters, digits and hyphens, and must start and end with a letter or digit.",
  )
  .refine((value) => !value.includes("--"), "The team slug cannot contain two hyphens in a row.");

export const teamName = z.string().trim().min(1, "Give the team a name.").max(80, "The team name can have at most 80 characters.");

export const entraGroupIds = z
  .array(groupId)
  .min(1, "Map the team to at least one Entra group.")
  .max(20, "A team can map to at most 20 Entra groups.")
  .refine((ids) => new Set(ids).size === ids.length, "Each Entra group can be listed only once.");

const costCenter = z
  .string()
  .trim()
  .max(40, "The cost center can have at most 40 characters.")
  .regex(/^[A-Za-z0-9._-]*$/, "The cost center may contain only letters, digits, dots, hyphens and underscores.")
  .transform((value) => (value === "" ? null : value))
  .nullable()
  .optional();

export const createTeamInput = z.object({ slug: teamSlug, name: teamName, entraGroupIds, costCenter });
export const updateTeamInput = z.object({ name: teamName.optional(), entraGroupIds: entraGroupIds.optional(), costCenter });

export type CreateTeamInput = z.input<typeof createTeamInput>;
export type UpdateTeamInput = z.input<typeof updateTeamInput>;

/** Text areas and form fields list groups one per line or comma-separated. */
export function splitGroupIds(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

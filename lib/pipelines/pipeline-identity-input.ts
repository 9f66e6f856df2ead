// What an admin enters to register a pipeline's Entra identity. One schema
// for the admin form and POST /api/v1/pipeline-identities.
import { z } from "zod";

const guid = (what: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.uuid({ error: `${what} must be a GUID such as 6b1f4e2a-7c3d-4a5b-9e8f-0a1b2c3d4e01.` }));

export const pipelineIdentityInput = z.object({
  clientId: guid("The Application (client) ID"),
  objectId: z
    .union([z.literal(""), guid("The service principal's Object ID")])
    .optional()
    .transform((value) => value || undefined),
  displayName: z
    .string()
    .trim()
    .min(1, "Give the pipeline a name people recognise, such as “Payments main pipeline”.")
    .max(100, "The name can be at most 100 characters."),
  teamIds: z
    .array(z.uuid({ error: "Each team must be a team id." }), { error: "Pick at least one team it deploys for." })
    .min(1, "Pick at least one team it deploys for.")
    .max(20, "A pipeline can deploy for at most 20 teams.")
    .transform((ids) => [...new Set(ids)]),
});

export type PipelineIdentityInput = z.input<typeof pipelineIdentityInput>;

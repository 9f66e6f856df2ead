import { z } from "zod";
import { withAuth } from "@/lib/auth/route";
import { AppError } from "@/lib/errors";
import { readBody } from "@/lib/api/read-body";
import { parseInput } from "@/lib/validation";
import { applyImport } from "@/lib/catalog/import-catalog";
import { MAX_CATALOG_FILE_BYTES } from "@/lib/catalog/backstage/parse-catalog-info";

const applyBody = z.object({
  file: z.string({ error: 'Send the catalog-info.yaml text in "file".' }),
  confirmed: z.array(z.string(), { error: 'List the metadata.name of each document to import in "confirmed".' }),
});

/** Body: {"file": "<catalog-info.yaml>", "confirmed": ["slug", ...]}; all or nothing. */
export const POST = withAuth(async (request, { actor }) => {
  const bytes = await readBody(request, MAX_CATALOG_FILE_BYTES * 2);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new AppError("invalid_input", 'The body must be JSON: {"file": "<catalog-info.yaml>", "confirmed": ["slug"]}.');
  }
  const body = parseInput(applyBody, json);
  return Response.json(await applyImport({ actor, file: body.file, confirmed: body.confirmed }));
});

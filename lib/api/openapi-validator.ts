// A validator for one schema of the OpenAPI document, built by zod from the
// document's own JSON Schema (its component references made resolvable), so
// tests check real responses against what Wharf publishes.
import { z } from "zod";
import { openApiDocument } from "@/lib/api/openapi";

const components = openApiDocument("http://localhost").components.schemas;
const resolvable = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll("#/components/schemas/", "#/$defs/"));

export function openApiValidator(schema: object): z.ZodType {
  return z.fromJSONSchema({ ...(resolvable(schema) as object), $defs: resolvable(components) } as never);
}

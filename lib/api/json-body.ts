import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { readBody } from "@/lib/api/read-body";

/**
 * The most a JSON request body may be. The largest Wharf takes (a service with
 * its description, links and deploy spec) is a few KB; a larger body is a
 * mistake or an attack, and is refused before it is parsed or held whole.
 */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** The body as a JSON object: 413 when too large, otherwise a 400 that says what was expected. */
export async function jsonObjectBody(request: NextRequest, what: string): Promise<Record<string, unknown>> {
  const bytes = await readBody(request, MAX_JSON_BODY_BYTES, `send ${what} as JSON`);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new AppError("invalid_input", `The request body must be JSON: ${what}; see /api/v1/openapi.json.`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new AppError("invalid_input", `The request body must be a JSON object: ${what}.`);
  return body as Record<string, unknown>;
}

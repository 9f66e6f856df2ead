import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";

/** The body as a JSON object, or a 400 that says what was expected. */
export async function jsonObjectBody(request: NextRequest, what: string): Promise<Record<string, unknown>> {
  const body: unknown = await request.json().catch(() => {
    throw new AppError("invalid_input", `The request body must be JSON: ${what}; see /api/v1/openapi.json.`);
  });
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new AppError("invalid_input", `The request body must be a JSON object: ${what}.`);
  return body as Record<string, unknown>;
}

// The catalog's keyset cursor (decision 0040): where the next page starts, for
// the one sort and filter it was made for, and the total counted when the walk
// began. Opaque to clients: base64url of a small versioned JSON object. A cursor
// only chooses where a page starts among the rows the actor may read anyway, so
// it is not signed; it is checked against the query it is sent with.
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";

const cursorVersion = 1;

const cursorSchema = z.object({
  v: z.literal(cursorVersion),
  /** Fingerprint of the sort, order and filters. */
  f: z.string().max(40),
  /** The last row's sort value (an ISO time for "updated") and slug. */
  k: z.tuple([z.string().max(400), z.string().max(200)]),
  /** The page number the cursor leads to. */
  p: z.number().int().min(2).max(1_000_000),
  /** The total counted on the walk's first page, and when (epoch ms). */
  t: z.number().int().min(0),
  c: z.number().int().min(0),
});

export type ServiceCursor = z.infer<typeof cursorSchema>;

const startOver = "Start again from the first page: send the request without the cursor parameter.";

/** What a cursor is tied to: the view's sort and filters, not its page or page size. */
export function queryFingerprint(view: Record<string, string | undefined>): string {
  const canonical = JSON.stringify(
    Object.keys(view)
      .sort()
      .map((key) => [key, view[key] ?? null]),
  );
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

export function encodeCursor(cursor: Omit<ServiceCursor, "v">): string {
  return Buffer.from(JSON.stringify({ v: cursorVersion, ...cursor })).toString("base64url");
}

/** The cursor sent with a query made for `fingerprint`; a 400 that says to start over when it cannot be used. */
export function decodeCursor(text: string, fingerprint: string): ServiceCursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,1000}$/.test(text)) throw new Error("not base64url");
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw new AppError("invalid_input", `cursor is not one Wharf made. ${startOver}`, { path: ["cursor"] });
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) {
    const version = typeof parsed === "object" && parsed !== null ? (parsed as { v?: unknown }).v : undefined;
    const why = version !== undefined && version !== cursorVersion ? "was made by another version of Wharf" : "is not one Wharf made";
    throw new AppError("invalid_input", `cursor ${why}. ${startOver}`, { path: ["cursor"] });
  }
  if (result.data.f !== fingerprint) {
    throw new AppError("invalid_input", `cursor was made for another sort or filter than this request's. ${startOver}`, { path: ["cursor"] });
  }
  return result.data;
}

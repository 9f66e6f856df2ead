// What the web server (scripts/web-server.ts) refuses before Next sees a
// request, so that no body is read for it (decision 0062). proxy.ts checks the
// address too, but Next reads a request's whole body before the proxy runs,
// and API requests with a large or streamed body skip the proxy (decision
// 0028): there Next's router decoded a malformed path itself and answered 500.
import { addressProblem } from "@/lib/net/address-problem";

/**
 * The most a request outside /api may declare: Next's limit for a server action's body (`serverActions.bodySizeLimit`
 * in next.config.mjs). Larger ones would be read whole by Next before it refused them. The API's routes set their own
 * limits (lib/api/read-body.ts) and refuse before reading.
 */
export const MAX_PAGE_BODY_BYTES = 6 * 1024 * 1024;

export interface Refusal {
  status: 400 | 413;
  code: "invalid_input" | "payload_too_large";
  message: string;
}

/** Why the request is refused before Next sees it, or null. `url` is the request line's target (path and query). */
export function requestRefusal(url: string, headers: Record<string, string | string[] | undefined>): Refusal | null {
  let parsed: URL;
  try {
    parsed = new URL(url, "http://wharf.invalid");
  } catch {
    return { status: 400, code: "invalid_input", message: "The address cannot be read as a URL; encode it with encodeURIComponent." };
  }
  // The raw path, not URL's: URL keeps a malformed %ZZ as it is, and addressProblem decodes each segment.
  const path = url.split(/[?#]/, 1)[0] ?? "/";
  const problem = addressProblem(path, parsed.searchParams);
  if (problem) return { status: 400, code: "invalid_input", message: problem };
  const declared = Number(headers["content-length"]);
  if (!path.startsWith("/api/") && Number.isFinite(declared) && declared > MAX_PAGE_BODY_BYTES) {
    return {
      status: 413,
      code: "payload_too_large",
      message: `The body is larger than ${MAX_PAGE_BODY_BYTES / 1024 / 1024} MB; a form sends far less. Send files to the API (/api/v1).`,
    };
  }
  return null;
}

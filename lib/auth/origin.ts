// The one rule for "this change comes from Wharf itself": route handlers,
// server actions and the proxy all ask it. Browsers send Origin on every POST;
// a missing one is a handcrafted request, a foreign one a cross-site forgery.

/**
 * Wharf's own origins for this request: the configured public URL, and the
 * host the request was addressed to (what Next's own server-action check
 * compares against), so a replica reached through another name still works.
 */
export function wharfOrigins(publicUrl: string, requestOrigin?: string): Set<string> {
  const origins = new Set([new URL(publicUrl).origin]);
  if (requestOrigin) origins.add(requestOrigin);
  return origins;
}

/** null when `origin` is one of Wharf's; otherwise the sentence a refused user or client reads. */
export function originRefusal(origin: string | null, publicUrl: string, requestOrigin?: string): string | null {
  if (origin && wharfOrigins(publicUrl, requestOrigin).has(origin)) return null;
  // Echo only a short, printable prefix of an untrusted header.
  const shown = origin ? origin.replace(/[^\x20-\x7e]/g, "?").slice(0, 100) : "missing";
  return `This change must come from Wharf itself (Origin ${shown} is not ${new URL(publicUrl).origin}).`;
}

// The one header policy for every response Wharf sends (decision 0022):
// pages get a Content Security Policy with a fresh nonce per request, which
// Next reads back from the request's own CSP header and puts on its scripts;
// everything else gets a policy that allows nothing, since it is never a page.

/** A fresh, unguessable nonce: 16 random bytes, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * Scripts only with this response's nonce ('strict-dynamic' lets Next's own
 * scripts load their chunks); style elements with the nonce, style attributes
 * allowed because React renders them server-side (a bar's width) and CSS
 * cannot run code; no plugins, no <base>, forms post only to Wharf, no one may
 * frame Wharf (clickjacking). React needs eval only for its dev error overlay.
 */
export function pagePolicy(nonce: string, { development = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** API responses, probes and files are never rendered as pages: they may load nothing and be framed by no one. */
export const nonPagePolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** HSTS for a year, only when Wharf is served over https (a browser ignores it over http, and a local http Wharf must stay reachable). */
const strictTransportSecurity = "max-age=31536000; includeSubDomains";

export interface SecurityHeaderOptions {
  /** The Content-Security-Policy for this response. */
  policy: string;
  /** Whether Wharf's public URL is https. */
  https: boolean;
  /** API answers carry who the caller is and what they may see: never stored by a browser or a shared cache. */
  noStore?: boolean;
}

export function securityHeaders({ policy, https, noStore }: SecurityHeaderOptions): Record<string, string> {
  return {
    "content-security-policy": policy,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    ...(https ? { "strict-transport-security": strictTransportSecurity } : {}),
    ...(noStore ? { "cache-control": "no-store" } : {}),
  };
}

/** Every API answer's headers: the deny-all policy and no-store. Set by proxy.ts, and by withAuth for the API requests the proxy skips (those with a body). */
export function apiSecurityHeaders(publicUrl: string): Record<string, string> {
  return securityHeaders({ policy: nonPagePolicy, https: publicUrl.startsWith("https://"), noStore: true });
}

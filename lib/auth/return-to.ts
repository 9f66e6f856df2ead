// Where a user goes after sign-in: only a path on Wharf's own origin.

// Stands for Wharf's own origin when the caller has none to give: a name that
// can never be registered (RFC 2606), so only a relative path can resolve to it.
const placeholderOrigin = "https://wharf.invalid";
// Browsers drop tabs and newlines from URLs before parsing them, so "/\t/evil.example"
// becomes "//evil.example"; a newline in a Location header is a 500 besides.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Only paths on Wharf's own origin: an open redirect would let a link send users
 * anywhere after sign-in. The value is parsed as a browser would and kept only
 * when it resolves to `origin` with a path that starts with a single slash;
 * what comes back is the parsed, percent-encoded path, query and fragment.
 */
export function safeReturnTo(value: string | null | undefined, origin: string = placeholderOrigin): string {
  if (!value || controlCharacters.test(value)) return "/";
  let base: URL;
  let target: URL;
  try {
    base = new URL(origin);
    target = new URL(value, base);
  } catch {
    return "/";
  }
  // A relative value must look like a path to begin with ("evil.example" would
  // resolve under "/", harmless but not what anyone meant).
  if (!value.startsWith("/") && !value.toLowerCase().startsWith(`${base.origin.toLowerCase()}/`)) return "/";
  if (target.origin !== base.origin) return "/";
  const path = `${target.pathname}${target.search}${target.hash}`;
  // "/.//evil.example" parses to the path "//evil.example", which a browser would read as another host.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return "/";
  return path;
}

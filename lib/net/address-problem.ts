// Checks a request's address before any route sees it: a path segment that is
// not valid percent-encoded UTF-8 (%ZZ, %C0%AF) or a control character in the
// path or query would otherwise reach a page, a use case or PostgreSQL (22021)
// and end as a 500.

const controlCharacter = /[\u0000-\u001f\u007f]/;
// A query value may hold line breaks and tabs: Entra's error_description on
// the sign-in callback carries "\r\nTrace ID: …", and a search box may get a tab.
const controlCharacterInQuery = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** What is wrong with the address, in words for whoever typed or built it; null when nothing is. */
export function addressProblem(pathname: string, searchParams: URLSearchParams): string | null {
  for (const segment of pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return `The address has a part that is not valid percent-encoded UTF-8 (${segment.slice(0, 40)}); encode it with encodeURIComponent.`;
    }
    if (controlCharacter.test(decoded)) return "The address contains a control character (such as %00); remove it.";
  }
  for (const [name, value] of searchParams) {
    if (controlCharacter.test(name) || controlCharacterInQuery.test(value))
      return `The query parameter ${JSON.stringify(name.replace(/[^\x20-\x7e]/g, "?"))} contains a control character (such as %00); remove it.`;
  }
  return null;
}

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeReturnTo } from "@/lib/auth/return-to";

const wharf = "https://wharf.example";

/** Where a browser would land after a redirect to `location` from a Wharf page (Node's URL parser is the WHATWG one browsers use). */
const landing = (location: string) => new URL(location, `${wharf}/auth/callback`);

describe("return address after sign-in", () => {
  it("keeps paths on Wharf's origin, with their query and fragment", () => {
    expect(safeReturnTo("/teams/payments?tab=members", wharf)).toBe("/teams/payments?tab=members");
    expect(safeReturnTo("/catalog#services", wharf)).toBe("/catalog#services");
    expect(safeReturnTo(`${wharf}/teams`, wharf)).toBe("/teams");
    expect(safeReturnTo("/teams")).toBe("/teams");
    expect(safeReturnTo(null)).toBe("/");
    expect(safeReturnTo("")).toBe("/");
  });

  // Each of these arrives already percent-decoded once, as Next hands searchParams over:
  // returnTo=/%09/evil.example/phish is "/\t/evil.example/phish".
  const hostile = [
    "/\t/evil.example/phish",
    "/\t\\evil.example",
    "/\n/evil.example/phish",
    "/\r\n/evil.example",
    "/\u0000/evil.example",
    "/\u007f/evil.example",
    "\t//evil.example",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "/a/../..//evil.example",
    "https://evil.example/",
    "HTTPS://evil.example/",
    "http:evil.example",
    "https:/evil.example",
    "https:\\\\evil.example",
    `${wharf}.evil.example/`,
    `${wharf}@evil.example/`,
    "http://wharf.example/teams",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "%2F%2Fevil.example",
    "%5C%5Cevil.example",
  ];

  it.each(hostile)("sends %j home instead of elsewhere", (value) => {
    expect(safeReturnTo(value, wharf)).toBe("/");
  });

  // Still-encoded slashes and look-alike slashes are path characters to a browser, never a host separator.
  const harmless = [
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/\u2215evil.example",
    "/\uff0fevil.example",
    "/\u2044evil.example",
    "/\u3002evil.example",
  ];

  it.each(harmless)("keeps %j on Wharf's origin, percent-encoded", (value) => {
    const kept = safeReturnTo(value, wharf);
    expect(kept.startsWith("/") && !kept.startsWith("//")).toBe(true);
    expect(landing(kept).origin).toBe(wharf);
    expect(kept).toMatch(/^[\x21-\x7e]+$/);
  });

  it("never yields a place off Wharf's origin or a header-breaking character, whatever it is given", () => {
    const pieces = fc.constantFrom(
      "/",
      "\\",
      "//",
      "\t",
      "\n",
      "\r",
      "\u0000",
      ".",
      "..",
      "%2F",
      "%5C",
      "%09",
      "%0A",
      "evil.example",
      "@",
      ":",
      "https:",
      "javascript:",
      "?",
      "#",
      "\u2215",
      "\uff0f",
      " ",
      wharf,
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 8 }), (parts) => {
        const kept = safeReturnTo(parts.join(""), wharf);
        expect(landing(kept).origin).toBe(wharf);
        expect(kept.startsWith("/") && !kept.startsWith("//") && !kept.startsWith("/\\")).toBe(true);
        expect(kept).toMatch(/^[\x21-\x7e]+$/);
      }),
      { numRuns: 2000 },
    );
  });
});

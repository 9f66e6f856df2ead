import { describe, expect, it } from "vitest";
import { addressProblem } from "@/lib/net/address-problem";

const problem = (url: string) => {
  const parsed = new URL(url, "http://localhost");
  return addressProblem(parsed.pathname, parsed.searchParams);
};

describe("the address of a request", () => {
  it("passes ordinary and percent-encoded addresses", () => {
    expect(problem("/catalog/payments-api?q=pay%20ments&team=%E2%98%83")).toBeNull();
    expect(problem("/api/v1/services/caf%C3%A9")).toBeNull();
  });

  it.each(["/catalog/%ZZ", "/api/v1/services/%C0%AF", "/api/v1/services/%E2%98", "/teams/%"])("answers %s as not valid percent-encoded UTF-8", (url) => {
    expect(problem(url)).toMatch(/not valid percent-encoded UTF-8/);
  });

  it.each(["/api/v1/services/%00", "/catalog/a%0Ab", "/api/v1/teams/%7F"])("answers %s as holding a control character", (url) => {
    expect(problem(url)).toMatch(/control character/);
  });

  it("lets a query value hold line breaks and tabs, as Entra's error_description does", () => {
    expect(problem("/auth/callback?error=access_denied&error_description=AADSTS65004%3A%20declined.%0D%0ATrace%20ID%3A%201%09x")).toBeNull();
  });

  it("names the query parameter that holds a control character", () => {
    expect(problem("/api/v1/services?q=%00")).toBe('The query parameter "q" contains a control character (such as %00); remove it.');
  });
});

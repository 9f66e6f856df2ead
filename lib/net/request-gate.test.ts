import { describe, expect, it } from "vitest";
import { MAX_PAGE_BODY_BYTES, requestRefusal } from "@/lib/net/request-gate";

describe("what the web server refuses before Next reads a body", () => {
  it.each(["/api/v1/services/%ZZ", "/api/v1/services/%C0%AF", "/catalog/%ZZ", "/teams/%"])("%s: 400, whatever the body", (url) => {
    expect(requestRefusal(url, { "content-length": String(50 * 1024 * 1024) })).toMatchObject({
      status: 400,
      code: "invalid_input",
      message: expect.stringContaining("not valid percent-encoded UTF-8"),
    });
    expect(requestRefusal(url, { "transfer-encoding": "chunked" })?.status).toBe(400);
  });

  it("refuses a control character in the path or the query", () => {
    expect(requestRefusal("/api/v1/services/a%00b", {})?.message).toMatch(/control character/);
    expect(requestRefusal("/catalog?q=%00", {})?.message).toMatch(/control character/);
  });

  it("refuses a page or server action body over the server actions' limit, at its declared length", () => {
    expect(requestRefusal("/catalog/new", { "content-length": String(MAX_PAGE_BODY_BYTES + 1) })).toMatchObject({ status: 413, code: "payload_too_large" });
    expect(requestRefusal("/catalog/new", { "content-length": String(MAX_PAGE_BODY_BYTES) })).toBeNull();
  });

  it("leaves the API's bodies to its routes' own limits, and ordinary requests alone", () => {
    expect(requestRefusal("/api/v1/catalog/import/apply", { "content-length": String(10 * 1024 * 1024) })).toBeNull();
    expect(requestRefusal("/catalog/payments-api?q=pay%20ments&team=%E2%98%83", {})).toBeNull();
    expect(requestRefusal("/api/v1/services/caf%C3%A9", { "content-length": "20" })).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { attachment } from "@/lib/api/content-disposition";

describe("Content-Disposition for downloads", () => {
  it("names a plain file in both forms", () => {
    expect(attachment("payments.catalog-info.yaml")).toBe(`attachment; filename="payments.catalog-info.yaml"; filename*=UTF-8''payments.catalog-info.yaml`);
  });

  it("encodes a name outside ASCII (RFC 5987) so Node accepts the header", () => {
    const header = attachment("☃.catalog-info.yaml");
    expect(header).toBe(`attachment; filename="_.catalog-info.yaml"; filename*=UTF-8''%E2%98%83.catalog-info.yaml`);
    expect(() => new Headers({ "content-disposition": header })).not.toThrow();
    expect(attachment("café.yaml")).toContain(`filename="cafe.yaml"`);
  });

  it("lets no name add a parameter", () => {
    const header = attachment('payments"; filename=evil.html.catalog-info.yaml');
    expect(header).toBe(
      `attachment; filename="payments__ filename=evil.html.catalog-info.yaml"; filename*=UTF-8''payments%22%3B%20filename%3Devil.html.catalog-info.yaml`,
    );
    expect(header.match(/filename=/g)).toHaveLength(2);
    expect(attachment("a\\b\r\n%41")).toBe(`attachment; filename="a_b___41"; filename*=UTF-8''a%5Cb%0D%0A%2541`);
  });
});

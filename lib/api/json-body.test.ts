import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { jsonObjectBody, MAX_JSON_BODY_BYTES } from "@/lib/api/json-body";

// duplex "half" lets a request carry a stream (Node's fetch requires it); Next's RequestInit type does not name it.
const post = (body: BodyInit) =>
  new NextRequest(
    new Request("http://localhost/api/v1/teams", { method: "POST", body, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit),
  );

/** A body sent in chunks with no Content-Length, as a client streaming it would. */
function streamed(totalBytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

async function failureOf(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (error: unknown) => error as { code: string; status: number; message: string },
  );
}

describe("JSON request bodies", () => {
  it("reads a JSON object", async () => {
    expect(await jsonObjectBody(post(JSON.stringify({ slug: "payments" })), "a team")).toEqual({ slug: "payments" });
  });

  it("answers a 10 MB body 413, whether its length is declared or not", async () => {
    const tenMegabytes = `{"name":"${"x".repeat(10 * 1024 * 1024)}"}`;
    const declared = await failureOf(jsonObjectBody(post(tenMegabytes), "a team"));
    expect(declared).toMatchObject({ code: "payload_too_large", status: 413 });
    expect(declared?.message).toMatch(/larger than 1 MB; send a team as JSON/);
    expect(await failureOf(jsonObjectBody(post(streamed(10 * 1024 * 1024)), "a team"))).toMatchObject({ code: "payload_too_large", status: 413 });
  });

  it("takes a body of exactly the limit", async () => {
    const body = `{"a":"${"x".repeat(MAX_JSON_BODY_BYTES - 8)}"}`;
    expect(body.length).toBe(MAX_JSON_BODY_BYTES);
    expect(await jsonObjectBody(post(body), "a team")).toHaveProperty("a");
  });

  it("answers what is not a JSON object 400, saying what was expected", async () => {
    for (const body of ["not json", "[1]", "null", "42", '"text"', '{"a":', ""]) {
      expect(await failureOf(jsonObjectBody(post(body), "a team")), body).toMatchObject({
        code: "invalid_input",
        status: 400,
        message: expect.stringContaining("a team"),
      });
    }
    expect(await failureOf(jsonObjectBody(post(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), "a team"))).toMatchObject({
      code: "invalid_input",
    });
  });
});

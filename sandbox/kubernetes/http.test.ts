// How response bodies are written: small ones at once, large ones a TLS
// record at a time with their length declared, so a connection's TLS buffers
// stay small (see sendBody).
import { createServer, get, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sendBody, sendJsonText } from "./http";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** Serves one response through `send`, recording the size of each write; returns what a client received. */
async function serve(send: (res: ServerResponse) => void): Promise<{ writes: number[]; body: Buffer; headers: Record<string, unknown> }> {
  const writes: number[] = [];
  const server = createServer((_req, res) => {
    const write = res.write.bind(res) as (chunk: Buffer | string, ...rest: unknown[]) => boolean;
    res.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
      writes.push(Buffer.byteLength(chunk));
      return write(chunk, ...rest);
    }) as typeof res.write;
    send(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path: "/" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ writes, body: Buffer.concat(chunks), headers: res.headers }));
    }).on("error", reject);
  });
}

describe("sendBody", () => {
  it("writes a large body in pieces of at most 16 KiB, with its length, byte for byte", async () => {
    const text = JSON.stringify({ items: Array.from({ length: 3000 }, (_, n) => ({ name: `team-${n}`, note: "é✓" })) });
    const { writes, body, headers } = await serve((res) => sendJsonText(res, 200, text));
    expect(body.toString("utf8")).toBe(text);
    expect(headers["content-length"]).toBe(String(Buffer.byteLength(text)));
    expect(writes.length).toBeGreaterThan(5);
    expect(Math.max(...writes)).toBeLessThanOrEqual(16 * 1024);
  });

  it("sends parts (a cached list page between its envelope) as one body", async () => {
    const parts = [Buffer.from('{"items":'), Buffer.from(JSON.stringify(Array.from({ length: 5000 }, (_, n) => n))), Buffer.from("}")];
    const { body, headers } = await serve((res) => sendBody(res, 200, { "content-type": "application/json" }, parts));
    expect(body.equals(Buffer.concat(parts))).toBe(true);
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["content-length"]).toBe(String(Buffer.concat(parts).length));
  });

  it("sends a small body at once", async () => {
    const { writes, body } = await serve((res) => sendJsonText(res, 201, '{"kind":"Status"}'));
    expect(body.toString()).toBe('{"kind":"Status"}');
    expect(writes).toEqual([]);
  });
});

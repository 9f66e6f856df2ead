// Request and response plumbing shared by the API server's handlers.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { decodeProtobuf } from "./protobuf";
import { badRequest, KubeError, unsupportedMediaType, type Status } from "./status";

/** The API server's request body limit (3 MiB). */
const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      const error = badRequest("the request body is larger than the API server accepts (3 MiB)");
      error.status.code = 413;
      error.status.reason = "RequestEntityTooLarge";
      throw error;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Decodes JSON, or YAML for the media types the API server accepts as YAML (apply patches, `application/yaml`). */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const media = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  // kubectl's typed generator commands (`kubectl create namespace`) send protobuf; CBOR is not decoded.
  if (media === "application/vnd.kubernetes.protobuf") return decodeProtobuf(body, contentType ?? "");
  if (media.includes("protobuf") || media.includes("cbor")) throw unsupportedMediaType(contentType ?? "");
  const text = body.toString("utf8");
  if (text.trim() === "") throw badRequest("the request body is empty; send a JSON object");
  if (media === "application/yaml" || media === "application/apply-patch+yaml") {
    try {
      return parseYaml(text) as unknown;
    } catch (error) {
      throw badRequest(`error decoding YAML: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
  sendJsonText(res, code, JSON.stringify(body), warnings);
}

/** Sends JSON that is already serialized: text, or bytes in parts (a cached list page between its envelope). */
export function sendJsonText(res: ServerResponse, code: number, body: string | readonly Buffer[], warnings: string[] = []): void {
  const headers: Record<string, string | string[]> = { "content-type": "application/json", "cache-control": "no-cache, private" };
  // RFC 7234 warn-code 299, one header per warning, as kubectl prints them.
  if (warnings.length > 0) headers.warning = warnings.map((warning) => `299 - ${JSON.stringify(warning)}`);
  sendBody(res, code, headers, body);
}

/**
 * Large bodies go out a TLS record (16 KiB) at a time, each piece after the
 * last was handed to the socket. Node's TLS layer sizes its per-connection
 * output buffer to the largest single write and keeps it while the
 * connection stays open: one 1 MB list answer left ~1 MB of native memory on
 * each idle keep-alive connection (client-node opens a connection per request
 * and leaves it open until the server's keep-alive timeout), 70 MB after a
 * hundred lists, which glibc then kept as fragmented free memory.
 */
const pieceBytes = 16 * 1024;

export function sendBody(res: ServerResponse, code: number, headers: Record<string, string | string[]>, body: string | readonly Buffer[]): void {
  if (typeof body === "string" && body.length <= pieceBytes / 3) {
    res.writeHead(code, headers);
    res.end(body);
    return;
  }
  const parts = typeof body === "string" ? [Buffer.from(body)] : body;
  res.writeHead(code, { ...headers, "content-length": String(parts.reduce((total, part) => total + part.length, 0)) });
  let part = 0;
  let offset = 0;
  const next = (error?: Error | null): void => {
    if (error || res.destroyed) return;
    while (part < parts.length && offset >= (parts[part] as Buffer).length) {
      part += 1;
      offset = 0;
    }
    const current = parts[part];
    if (!current) {
      res.end();
      return;
    }
    const piece = current.subarray(offset, offset + pieceBytes);
    offset += piece.length;
    res.write(piece, next);
  };
  next();
}

export function sendStatus(res: ServerResponse, status: Status): void {
  sendJson(res, status.code, status);
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof KubeError) return sendStatus(res, error.status);
  console.error("[sandbox/k8s] request failed", error);
  sendStatus(res, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `Internal error occurred: ${String(error)}`,
    reason: "InternalError",
    code: 500,
  });
}

/** Splits `/api/v1/pods?limit=5` into path and query without URL-parsing the path (paths may hold `//`). */
export function splitRestPath(restPath: string): { path: string; query: URLSearchParams } {
  const index = restPath.indexOf("?");
  const path = index === -1 ? restPath : restPath.slice(0, index);
  const query = new URLSearchParams(index === -1 ? "" : restPath.slice(index + 1));
  return { path: path.replace(/\/+$/, "") || "/", query };
}

export function isTrue(value: string | null): boolean {
  return value === "true" || value === "1";
}

// Requests a browser or fetch cannot make, for the specs that check how the web
// server treats them (e2e/status-codes.spec.ts, e2e/security.spec.ts), and
// scripts/web-server.ts started on its own in Azure mode with made-up settings
// (e2e/status-codes.spec.ts, e2e/web-server.spec.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";

export interface RawAnswer {
  status: number;
  /** Names in lower case; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
  /** Bytes of the request body written when the answer came. */
  sent: number;
}

/** The head and whole body of the first response in `received`, or null while part of it is still to come. */
function parseAnswer(received: Buffer, sent: number): RawAnswer | null {
  const end = received.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const [statusLine, ...lines] = received.subarray(0, end).toString("latin1").split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = received.subarray(end + 4);
  const status = Number(statusLine!.split(" ")[1]);
  if (headers["transfer-encoding"]?.toLowerCase().includes("chunked")) {
    const parts: Buffer[] = [];
    for (let at = 0; ;) {
      const lineEnd = rest.indexOf("\r\n", at);
      if (lineEnd < 0) return null;
      const size = parseInt(rest.subarray(at, lineEnd).toString("latin1"), 16);
      if (size === 0) return { status, headers, body: Buffer.concat(parts).toString(), sent };
      if (rest.length < lineEnd + 2 + size + 2) return null;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = Number(headers["content-length"] ?? 0);
  return rest.length < length ? null : { status, headers, body: rest.subarray(0, length).toString(), sent };
}

/**
 * POSTs `total` bytes at most, 64 KB at a time, on a raw socket until the answer has arrived; declaring 10 MB, or chunked.
 * A server that answers before the body ends may close the connection under a client still writing; the answer read
 * before that counts (Node's own client reports the write error, EPIPE, and drops the answer).
 */
export function postUntilAnswered(url: string, options: { declared: boolean; total: number; cookie?: string }): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let received = Buffer.alloc(0);
    let answer: RawAnswer | null = null;
    const socket = connect({ host: target.hostname, port: Number(target.port) });
    const said = () => received.toString("latin1", 0, Math.min(received.length, 2_000));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      answer ??= parseAnswer(received, sent);
      if (!answer) return;
      socket.destroy();
      resolve(answer);
    });
    socket.on("error", (error) => (answer ? undefined : reject(new Error(`${error.message} after ${sent} bytes, having received: ${said()}`))));
    socket.on("close", () => (answer ? undefined : reject(new Error(`closed after ${sent} bytes, having received: ${said()}`))));
    const length = options.declared ? "content-length: 10485760" : "transfer-encoding: chunked";
    const cookie = options.cookie ? `cookie: ${options.cookie}\r\n` : "";
    socket.write(
      `POST ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\norigin: ${target.origin}\r\ncontent-type: application/json\r\n${cookie}${length}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(64 * 1024, " ");
    const framed = options.declared ? chunk : Buffer.concat([Buffer.from(`${chunk.byteLength.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    const write = () => {
      while (!answer && !socket.destroyed && sent < options.total) {
        sent += chunk.byteLength;
        if (!socket.write(framed)) return void socket.once("drain", write);
      }
    };
    socket.once("connect", write);
  });
}

export interface LoneWebServer {
  process: ChildProcess;
  /** What it printed so far, stdout and stderr together. */
  output: () => string;
}

/**
 * scripts/web-server.ts alone, from the e2e build, in Azure mode with made-up settings and no worker: it needs no
 * sandbox, and no database to answer its probe and sign-in page. `databaseUrl` is an address nothing listens on.
 */
export function startLoneWebServer(options: { port: number; databaseUrl: string; logLevel: string; env?: Record<string, string> }): LoneWebServer {
  const server = spawn(process.execPath, ["--import", "tsx", join("scripts", "web-server.ts")], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      PORT: String(options.port),
      WHARF_MODE: "azure",
      WHARF_WORKER: "off",
      LOG_LEVEL: options.logLevel,
      AZURE_TENANT_ID: "11111111-2222-4333-8444-555555555555",
      AZURE_CLIENT_ID: "66666666-7777-4888-8999-000000000000",
      AZURE_CLIENT_SECRET: "not-a-secret",
      AZURE_SUBSCRIPTION_IDS: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
      WHARF_ALLOWED_REGISTRIES: "contoso.azurecr.io",
      WHARF_SESSION_SECRET: "x".repeat(48),
      WHARF_PUBLIC_URL: `http://localhost:${options.port}`,
      DATABASE_URL: options.databaseUrl,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { process: server, output: () => output };
}

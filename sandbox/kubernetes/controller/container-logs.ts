// What the sandbox's containers write to stdout, kept by the kubelet as a
// real node keeps /var/log/pods: per container, the current instance and the
// one before it (what `kubectl logs --previous` reads), each a bounded ring
// of lines. The lines are believable for a Node.js service: start-up, ready,
// shutdown on SIGTERM, and for the `crash` tag the uncaught error that ends
// the process with exit code 1, so a crash loop can be explained from its log.
import { parseImage } from "./images";

/** What the lines are about: the pod and the container that writes them. */
export interface LogWriter {
  pod: string;
  namespace: string;
  container: string;
  image: string;
  port?: number;
  crashes: boolean;
}

/** Lines kept per container instance; older ones are dropped first, as log rotation would. */
export const maxLinesPerInstance = 1000;

export interface LogLine {
  /** RFC 3339 with nanoseconds, as the kubelet's `timestamps=true` prefixes lines. */
  time: string;
  text: string;
}

export class LogRing {
  private readonly lines: LogLine[] = [];
  private dropped = 0;

  append(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > maxLinesPerInstance) {
      this.lines.shift();
      this.dropped += 1;
    }
  }

  all(): readonly LogLine[] {
    return this.lines;
  }

  /** Lines rotated out of the ring, for tests. */
  get droppedLines(): number {
    return this.dropped;
  }
}

/** The two instances the kubelet keeps of each container's log. */
export interface ContainerLogs {
  current?: LogRing;
  previous?: LogRing;
}

/** A new instance of the container starts: the current log becomes the previous one, and the one before that is gone. */
export function startInstance(logs: ContainerLogs): LogRing {
  logs.previous = logs.current;
  logs.current = new LogRing();
  return logs.current;
}

let sequence = 0;

/** RFC 3339 with nine fractional digits; a counter keeps lines written in the same millisecond in order. */
export function logTime(ms: number): string {
  sequence = (sequence + 1) % 1_000_000;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(sequence).padStart(6, "0")}Z`;
}

function json(ms: number, level: number, msg: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ level, time: ms, pid: 1, hostname: "", msg, ...fields });
}

/** The service's name as its package would call it: the image repository's last segment. */
function serviceName(writer: LogWriter): string {
  return parseImage(writer.image).repository.split("/").pop() ?? writer.container;
}

/** What a Node.js service prints from `npm start` until it listens (or, for `crash`, until it dies). */
export function startupLines(writer: LogWriter, ms: number): string[] {
  const name = serviceName(writer);
  const version = parseImage(writer.image).tag ?? "latest";
  const port = writer.port ?? 8080;
  const lines = [
    "",
    `> ${name}@${version} start`,
    "> node dist/server.js",
    "",
    json(ms, 30, `starting ${name}`, { version, node: "v22.11.0", pod: writer.pod, namespace: writer.namespace }),
    json(ms, 30, "configuration loaded", { env: "production", port }),
  ];
  if (writer.crashes) {
    lines.push(json(ms, 30, "connecting to PostgreSQL", { host: `${name}-db.${writer.namespace}.svc.cluster.local`, port: 5432 }));
    return lines;
  }
  lines.push(json(ms, 30, `server listening on http://0.0.0.0:${port}`));
  return lines;
}

/** The uncaught error a `crash` image dies of: its database refuses the connection, so the process exits 1. */
export function crashLines(writer: LogWriter, ms: number): string[] {
  const address = `10.0.${(writer.pod.length * 7) % 250}.${(writer.container.length * 13) % 250}`;
  return [
    json(ms, 60, `cannot reach the database: connect ECONNREFUSED ${address}:5432`, { err: { type: "Error", code: "ECONNREFUSED" } }),
    "node:internal/process/promises:394",
    "    triggerUncaughtException(err, true /* fromPromise */);",
    "    ^",
    "",
    `Error: connect ECONNREFUSED ${address}:5432`,
    "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1637:16) {",
    "  errno: -111,",
    "  code: 'ECONNREFUSED',",
    "  syscall: 'connect',",
    `  address: '${address}',`,
    "  port: 5432",
    "}",
    "",
    "Node.js v22.11.0",
  ];
}

export function readyLines(ms: number): string[] {
  return [json(ms, 30, "readiness check passed", { path: "/ready", statusCode: 200 })];
}

export function shutdownLines(ms: number): string[] {
  return [json(ms, 30, "received SIGTERM, closing the server"), json(ms, 30, "server closed, exiting")];
}

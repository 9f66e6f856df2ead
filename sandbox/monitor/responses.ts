// Log Analytics' response envelope: JSON with a request id, and errors in its
// OneAPI shape, `{"error":{"code","message","innererror"?}}`, which the SDK
// turns into RestError.code and .message.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

export interface LogsError {
  code: string;
  message: string;
  correlationId?: string;
  innererror?: { code: string; message: string };
  details?: unknown[];
}

export function logsErrorBody(code: string, message: string, innererror?: LogsError["innererror"]): { error: LogsError } {
  return { error: { code, message, correlationId: randomUUID(), ...(innererror ? { innererror } : {}) } };
}

export function sendLogsJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-ms-request-id": randomUUID(), ...headers });
  res.end(JSON.stringify(body));
}

export function sendLogsError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  innererror?: LogsError["innererror"],
  headers: Record<string, string> = {},
): void {
  sendLogsJson(res, status, logsErrorBody(code, message, innererror), headers);
}

// ARM's response envelope: the headers every ARM answer carries and the
// `{"error":{"code","message"}}` body Azure SDKs turn into RestError.code.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

export function sendArmJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const requestId = randomUUID();
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-cache",
    pragma: "no-cache",
    expires: "-1",
    // Wharf logs these to correlate with Azure support tickets; the SDK surfaces x-ms-request-id on RestError.
    "x-ms-request-id": requestId,
    "x-ms-correlation-request-id": requestId,
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function sendArmError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendArmJson(res, status, { error: { code, message } }, headers);
}

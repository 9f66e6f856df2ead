// Integration: lib/azure/logs.ts against the sandbox's Log Analytics with the
// real LogsQueryClient: results and every failure come back as Wharf's own types.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type WharfConfig } from "@/lib/config";
import { observeLogsRequests, parseRetryAfter, queryBatch, queryWorkspace } from "@/lib/azure/logs";
import { sandboxWorkspaces } from "@/sandbox/workspaces";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";

const endpoints = readEndpoints();
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca: readFileSync(endpoints.caFile, "utf8"), method, body });
const [nonprod, prod] = sandboxWorkspaces;
let config: WharfConfig;

beforeAll(() => {
  config = loadConfig({ SANDBOX_ENDPOINTS_FILE: process.env.SANDBOX_ENDPOINTS_FILE, WHARF_DATA_DIR: mkdtempSync(join(tmpdir(), "wharf-logs-")) });
});

afterEach(async () => {
  await faults({}, "DELETE");
});

const query = (workspaceId: string, text = "AppRequests | summarize Requests = sum(ItemCount) | extend At = now()") => ({
  workspaceId,
  query: text,
  timespan: "PT15M",
});

describe("queryWorkspace", () => {
  it("answers tables in Wharf's shape, from the endpoint and scope endpoints.json names", async () => {
    expect(config.azure.logsEndpoint).toMatch(/^https:\/\/.+\/v1$/);
    const outcome = await queryWorkspace(config, query(nonprod!.customerId));
    expect(outcome.status).toBe("success");
    if (outcome.status !== "success") return;
    expect(outcome.tables[0]!.columns).toEqual([
      { name: "Requests", type: "long" },
      { name: "At", type: "datetime" },
    ]);
    expect(typeof outcome.tables[0]!.rows[0]![0]).toBe("number");
    expect(outcome.tables[0]!.rows[0]![1]).toBeInstanceOf(Date);
  });

  it("a query Log Analytics refuses is a bad-query error with the parser's message", async () => {
    const outcome = await queryWorkspace(config, query(nonprod!.customerId, "AppRequestz | take 1"));
    expect(outcome).toMatchObject({ status: "failed", error: { kind: "bad-query", httpStatus: 400, code: "BadArgumentError" } });
    if (outcome.status === "failed") expect(outcome.error.message).toContain("AppRequestz");
  });

  it("429 with Retry-After: one request only (no SDK retry), throttled with the seconds to wait", async () => {
    await faults({ rules: [{ api: "logs", workspace: nonprod!.name, errorRate: 1, errorStatus: 429, retryAfterSeconds: 42 }] });
    const sent: string[] = [];
    const stop = observeLogsRequests((request) => sent.push(request.url));
    try {
      const outcome = await queryWorkspace(config, query(nonprod!.customerId));
      expect(outcome).toMatchObject({ status: "failed", error: { kind: "throttled", httpStatus: 429, retryAfterSeconds: 42 } });
      expect(sent).toHaveLength(1);
      // The other workspace is not affected.
      expect((await queryWorkspace(config, query(prod!.customerId))).status).toBe("success");
    } finally {
      stop();
    }
  });

  it("a partial error keeps the tables and says what failed", async () => {
    await faults({ rules: [{ api: "logs", workspace: nonprod!.name, partialError: true }] });
    const outcome = await queryWorkspace(config, query(nonprod!.customerId));
    expect(outcome).toMatchObject({ status: "partial", error: { kind: "partial", code: "PartialError" } });
    if (outcome.status === "partial") expect(outcome.tables).toHaveLength(1);
  });

  it("a dropped connection and a 503 are unavailable", async () => {
    await faults({ rules: [{ api: "logs", workspace: nonprod!.name, errorRate: 1, drop: true }] });
    expect(await queryWorkspace(config, query(nonprod!.customerId))).toMatchObject({ status: "failed", error: { kind: "unavailable" } });
    await faults({ rules: [{ api: "logs", workspace: nonprod!.name, errorRate: 1, errorStatus: 503, retryAfterSeconds: 5 }] });
    expect(await queryWorkspace(config, query(nonprod!.customerId))).toMatchObject({
      status: "failed",
      error: { kind: "unavailable", httpStatus: 503, retryAfterSeconds: 5 },
    });
  });
});

describe("queryBatch", () => {
  it("answers in the order asked, a refused query failing on its own", async () => {
    const outcomes = await queryBatch(config, [query(prod!.customerId), query(nonprod!.customerId, "AppRequestz | take 1"), query(nonprod!.customerId)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["success", "failed", "success"]);
    expect(outcomes[1]).toMatchObject({ error: { kind: "bad-query", code: "BadArgumentError" } });
  });
});

describe("parseRetryAfter", () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] });
  it("reads seconds, an HTTP date, and the millisecond variants", () => {
    expect(parseRetryAfter(headers({ "retry-after": "30" }))).toBe(30);
    expect(parseRetryAfter(headers({ "retry-after": "Fri, 04 Dec 2026 14:01:00 GMT" }), Date.parse("2026-12-04T14:00:00Z"))).toBe(60);
    expect(parseRetryAfter(headers({ "retry-after-ms": "1500" }))).toBe(2);
    expect(parseRetryAfter(headers({}))).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after": "soon" }))).toBeUndefined();
  });
});

// runQuery (what POST /v1/workspaces/{id}/query runs after authentication and quotas) when the evaluator stops a query
// that does not fit the sandbox's heap (kql/memory.ts): that query's own 400, in Log Analytics' error shape, and the
// process goes on answering.
import { describe, expect, it } from "vitest";
import { Faults } from "../faults";
import { ClusterStore } from "../kubernetes/store";
import { sandboxWorkspaces } from "../workspaces";
import { KqlMemoryError } from "./kql/memory";
import type { RunKql } from "./kql/types";
import { parsePrefer, runQuery, type QueryContext } from "./query";

const workspace = sandboxWorkspaces[0]!;
const context = (runKql: RunKql): QueryContext => ({
  runKql,
  // Empty clusters: no workload, no telemetry (the evaluator here is a stand-in anyway).
  storeOf: (name) => new ClusterStore(name),
  faults: new Faults(),
  seed: "query-test",
  clock: () => new Date("2026-12-07T12:00:00Z"),
});

describe("a query that runs out of the sandbox's heap", () => {
  it("is answered 400 InsufficientMemoryError with what to do; the next query is answered as usual", async () => {
    const tooBig: RunKql = () => {
      throw new KqlMemoryError(245, 280);
    };
    const answer = await runQuery(context(tooBig), { workspace }, { query: "AppRequests | take 1", timespan: "PT1H" }, parsePrefer(undefined));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: {
        code: "InsufficientMemoryError",
        message: expect.stringMatching(/^The sandbox's Log Analytics ran out of memory for this query: its heap held 245 MB of 280 MB .*SANDBOX_MAX_HEAP_MB/),
      },
    });
    const fine: RunKql = () => [{ name: "PrimaryResult", columns: [{ name: "n", type: "long" }], rows: [[1]] }];
    const next = await runQuery(context(fine), { workspace }, { query: "AppRequests | count", timespan: "PT1H" }, parsePrefer(undefined));
    expect(next.status).toBe(200);
  });
});

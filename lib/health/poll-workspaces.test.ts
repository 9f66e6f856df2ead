// Integration (the sandbox's Log Analytics, embedded PostgreSQL): a workspace
// is asked for the map's edges even when no service with a role name runs
// yet, so the map shows what telemetry reports (roles no catalog entry claims
// among them) before anything is deployed through Wharf; with nothing to ask,
// no request is sent.
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { observeLogsRequests } from "@/lib/azure/logs";
import { discoverTelemetry } from "@/lib/health/discover-telemetry";
import { pollWorkspaces, type PolledWorkspace } from "@/lib/health/poll-workspaces";

let workspace: PolledWorkspace;

beforeAll(async () => {
  await discoverTelemetry(getConfig());
  // The sandbox's non-production workspace (other test files store made-up workspaces beside it).
  const found = await getPrisma().telemetryWorkspace.findFirstOrThrow({ where: { missingSince: null, name: "log-wharf-nonprod" } });
  // As if never polled: due now, whatever an earlier test file's cycle did to the stored row.
  workspace = { ...found, lastPolledAt: null, nextPollAt: null, failures: 0 };
});

describe("pollWorkspaces without a role", () => {
  it("sends the map's queries alone and returns their edges, with no health figures", async () => {
    const requests: string[][] = [];
    const stop = observeLogsRequests((request) => requests.push(request.workspaces));
    try {
      const results = await pollWorkspaces({
        config: getConfig(),
        workspaces: [workspace],
        roles: [],
        windowMinutes: 15,
        now: new Date(),
        mapWindowsFor: () => ["1h"],
      });
      const polled = results.get(workspace.id)!;
      expect(polled.queried).toBe(true);
      expect(polled.workspace.lastError, "the workspace's error").toBeNull();
      expect(polled.result).toEqual({ window: [], minutes: [], availability: [] });
      expect(polled.mapEdges?.["1h"]).toEqual({ rows: expect.any(Array) });
      expect(requests).toHaveLength(1);
    } finally {
      stop();
    }
  });

  it("sends nothing when neither a role nor a map window is due", async () => {
    const requests: string[][] = [];
    const stop = observeLogsRequests((request) => requests.push(request.workspaces));
    try {
      const results = await pollWorkspaces({
        config: getConfig(),
        workspaces: [workspace],
        roles: [],
        windowMinutes: 15,
        now: new Date(),
        mapWindowsFor: () => [],
      });
      expect(results.get(workspace.id)).toMatchObject({ queried: false });
      expect(requests).toHaveLength(0);
    } finally {
      stop();
    }
  });
});

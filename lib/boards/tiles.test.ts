import { describe, expect, it } from "vitest";
import { gridRows, newTile, tilesSchema } from "./tiles";

const fleet = { kind: "fleet-health", id: "a", x: 0, y: 0, w: 6, h: 4 };
const kql = { kind: "kql", id: "k", x: 0, y: 0, w: 6, h: 4, workspace: "log-wharf-prod", query: "AppRequests | summarize count() by bin(TimeGenerated, 5m)" };

describe("tilesSchema", () => {
  it("accepts every kind of tile with its options", () => {
    const tiles = [
      { ...fleet, team: "payments", environment: "prod" },
      { kind: "service-health", id: "b", x: 6, y: 0, w: 6, h: 4, service: "checkout-api" },
      { kind: "rollouts", id: "c", x: 0, y: 4, w: 4, h: 4 },
      { kind: "approvals", id: "d", x: 4, y: 4, w: 4, h: 4, team: "payments" },
      { kind: "clock", id: "e", x: 8, y: 4, w: 4, h: 2, timeZone: "Europe/Amsterdam" },
      { kind: "cost", id: "f", x: 0, y: 8, w: 4, h: 3, team: "payments" },
      { kind: "cost", id: "g", x: 4, y: 8, w: 4, h: 3 },
      { kind: "map", id: "h", x: 8, y: 8, w: 4, h: 4, team: "payments", environment: "prod", window: "24h" },
      { ...kql, id: "i", x: 0, y: 12, chart: "bar", timespan: "7d" },
    ];
    expect(tilesSchema.parse(tiles)).toHaveLength(9);
  });

  it.each([
    [[{ ...fleet, kind: "gauge" }], [0, "kind"], "kind must be one of"],
    [[{ ...kql, query: "   " }], [0, "query"], "Write the KQL query"],
    [[{ ...kql, query: `AppRequests | take 1 // ${"x".repeat(4_000)}` }], [0, "query"], "at most 4000 characters"],
    [[{ ...kql, query: "AppRequests\u0000 | take 1" }], [0, "query"], "control character"],
    [[{ ...kql, query: "AppRequests | where Name == '\u001b[31m'" }], [0, "query"], "control character"],
    [[{ ...kql, chart: "pie" }], [0, "chart"], "chart must be one of line, bar, table"],
    [[{ ...kql, timespan: "30d" }], [0, "timespan"], "timespan must be one of 1h, 24h, 7d"],
    [[{ ...kql, workspace: "" }], [0, "workspace"], "Pick the Log Analytics workspace"],
    [[{ ...fleet, x: 8 }], [0, "w"], "runs past the grid"],
    [[fleet, { ...fleet, id: "b", x: 3, y: 2 }], [1], 'Tiles "a" and "b" overlap'],
    [[fleet, { ...fleet, y: 4 }], [1, "id"], 'Two tiles have the id "a"'],
    [[{ ...fleet, environment: "staging" }], [0, "environment"], "environment must be one of dev, test, prod"],
    [[{ kind: "service-health", id: "s", x: 0, y: 0, w: 2, h: 2 }], [0, "service"], ""],
    [[{ kind: "clock", id: "c", x: 0, y: 0, w: 2, h: 2, timeZone: "Mars/Olympus" }], [0, "timeZone"], "IANA time zone"],
    [[{ ...fleet, w: 0 }], [0, "w"], "at least 1 column"],
    [[{ kind: "cost", id: "c", x: 0, y: 0, w: 2, h: 2, team: "Payments Team" }], [0, "team"], "team must be a slug"],
    [[{ kind: "map", id: "m", x: 0, y: 0, w: 2, h: 2, window: "30d" }], [0, "window"], "window must be one of 1h, 24h, 7d"],
    [[{ kind: "map", id: "m", x: 0, y: 0, w: 2, h: 2, environment: "qa" }], [0, "environment"], "environment must be one of"],
  ])("refuses %j at %j", (tiles, path, message) => {
    const result = tilesSchema.safeParse(tiles);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(path);
    expect(result.error!.issues[0]!.message).toContain(message);
  });

  it("accepts line breaks and tabs in a KQL query and fills the chart and span", () => {
    const [tile] = tilesSchema.parse([{ ...kql, query: "AppRequests\n\t| take 5", chart: undefined }]);
    expect(tile).toMatchObject({ query: "AppRequests\n\t| take 5", chart: "line", timespan: "24h" });
  });

  it("places a new tile below the others, and counts the rows", () => {
    const tiles = tilesSchema.parse([fleet]);
    const added = newTile("clock", tiles, "z");
    expect(added).toMatchObject({ kind: "clock", x: 0, y: 4, w: 3, h: 2 });
    expect(gridRows([...tiles, added])).toBe(6);
    expect(gridRows([])).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { mapWindowIntervalsMs, mapWindowsDue } from "@/lib/appmap/map-cadence";

const now = new Date("2026-12-04T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("mapWindowsDue", () => {
  it("asks every window the first time, then 1 h every cycle and the long windows at their interval", () => {
    expect(mapWindowsDue("ws-1", {}, now)).toEqual(["1h", "24h", "7d"]);
    expect(mapWindowsDue("ws-1", { "1h": ago(60_000), "24h": ago(60_000), "7d": ago(60_000) }, now)).toEqual(["1h"]);
    expect(mapWindowsDue("ws-1", { "1h": ago(60_000), "24h": ago(mapWindowIntervalsMs["24h"]), "7d": ago(60_000) }, now)).toEqual(["1h", "24h"]);
    expect(mapWindowsDue("ws-1", { "24h": ago(60_000), "7d": ago(mapWindowIntervalsMs["7d"]) }, now)).toEqual(["1h", "7d"]);
  });

  it("spreads workspaces over the last tenth of the interval, so long scans do not all go out in one cycle", () => {
    const justBefore = ago(mapWindowIntervalsMs["7d"] * 0.95);
    const due = Array.from({ length: 200 }, (_, index) => mapWindowsDue(`ws-${index}`, { "24h": now, "7d": justBefore }, now).includes("7d"));
    const dueCount = due.filter(Boolean).length;
    expect(dueCount).toBeGreaterThan(40);
    expect(dueCount).toBeLessThan(160);
    // The same workspace is always shifted the same way.
    expect(mapWindowsDue("ws-7", { "24h": now, "7d": justBefore }, now)).toEqual(mapWindowsDue("ws-7", { "24h": now, "7d": justBefore }, now));
  });
});

import { describe, expect, it } from "vitest";
import { parseIsoDuration, resolveTimespan, TimespanError } from "./timespan";

const now = new Date("2026-12-04T12:00:00.000Z");
const retention = 30 * 24 * 3_600_000;

describe("timespans as @azure/monitor-query-logs sends them", () => {
  it.each([
    ["PT1H", "2026-12-04T11:00:00.000Z", "2026-12-04T12:00:00.000Z"],
    ["P1DT2H30M", "2026-12-03T09:30:00.000Z", "2026-12-04T12:00:00.000Z"],
    ["PT90S", "2026-12-04T11:58:30.000Z", "2026-12-04T12:00:00.000Z"],
    ["2026-12-01T00:00:00.000Z/2026-12-02T00:00:00.000Z", "2026-12-01T00:00:00.000Z", "2026-12-02T00:00:00.000Z"],
    ["2026-12-01T00:00:00.000Z/PT6H", "2026-12-01T00:00:00.000Z", "2026-12-01T06:00:00.000Z"],
    ["PT6H/2026-12-02T00:00:00.000Z", "2026-12-01T18:00:00.000Z", "2026-12-02T00:00:00.000Z"],
  ])("%s", (timespan, start, end) => {
    expect(resolveTimespan(timespan, now, retention)).toEqual({ start: new Date(start), end: new Date(end) });
  });

  it("without one, the whole retention", () => {
    expect(resolveTimespan(undefined, now, retention).start).toEqual(new Date(now.getTime() - retention));
  });

  it.each(["yesterday", "P", "PT", "1H", "PT1H/PT2H", "2026-12-02T00:00:00Z/2026-12-01T00:00:00Z", "a/b/c"])("refuses %s", (timespan) => {
    expect(() => resolveTimespan(timespan, now, retention)).toThrow(TimespanError);
  });

  it("reads weeks and fractions", () => {
    expect(parseIsoDuration("P1W")).toBe(7 * 24 * 3_600_000);
    expect(parseIsoDuration("PT0.5S")).toBe(500);
  });
});

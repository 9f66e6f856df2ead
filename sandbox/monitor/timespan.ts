// The `timespan` of a Log Analytics query as @azure/monitor-query-logs sends
// it: an ISO 8601 duration ending now ("PT1H", "P1DT2H"), or an interval
// ("start/end", "start/duration", "duration/end"). No timespan: everything the
// workspace keeps.
import type { KqlTimeRange } from "./kql/types";

const durationPattern = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** Milliseconds of an ISO 8601 duration (weeks, days, hours, minutes, seconds; no months or years), or undefined. */
export function parseIsoDuration(text: string): number | undefined {
  const match = durationPattern.exec(text.trim());
  if (!match || text.trim().toUpperCase() === "P" || text.trim().toUpperCase().endsWith("T")) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return ((((weeks ?? 0) * 7 + (days ?? 0)) * 24 + (hours ?? 0)) * 60 + (minutes ?? 0)) * 60_000 + (seconds ?? 0) * 1000;
}

function parseInstant(text: string): number | undefined {
  // A date-time with a zone; a bare date is UTC midnight, as the service reads it.
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text.trim())) return undefined;
  const at = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || !text.includes("T") ? text : `${text}Z`);
  return Number.isNaN(at) ? undefined : at;
}

export class TimespanError extends Error {}

export function resolveTimespan(timespan: string | undefined, now: Date, retentionMs: number): KqlTimeRange {
  const end = now.getTime();
  if (timespan === undefined || timespan.trim() === "") return { start: new Date(end - retentionMs), end: now };
  const explain = `timespan '${timespan}' is not an ISO 8601 duration (PT1H, P1D) or interval (start/end, start/duration, duration/end)`;
  const parts = timespan.split("/");
  if (parts.length === 1) {
    const length = parseIsoDuration(parts[0]!);
    if (length === undefined) throw new TimespanError(explain);
    return { start: new Date(end - length), end: now };
  }
  if (parts.length !== 2) throw new TimespanError(explain);
  const [left = "", right = ""] = parts;
  const [fromInstant, toInstant] = [parseInstant(left), parseInstant(right)];
  const [fromLength, toLength] = [parseIsoDuration(left), parseIsoDuration(right)];
  let range: [number, number] | undefined;
  if (fromInstant !== undefined && toInstant !== undefined) range = [fromInstant, toInstant];
  else if (fromInstant !== undefined && toLength !== undefined) range = [fromInstant, fromInstant + toLength];
  else if (fromLength !== undefined && toInstant !== undefined) range = [toInstant - fromLength, toInstant];
  if (!range) throw new TimespanError(explain);
  if (range[0] > range[1]) throw new TimespanError(`timespan '${timespan}' ends before it starts`);
  return { start: new Date(range[0]), end: new Date(range[1]) };
}

// How the evaluator holds KQL values between operators, and how they go out
// on the wire. Inside, datetime and timespan are plain numbers of milliseconds
// (datetime since the Unix epoch) so arithmetic and comparison need no
// objects; strings are never null (KQL has no null string, only ""); the other
// scalars are JS numbers and booleans, dynamic is a JSON value; null is null.
import type { KqlColumn, KqlColumnType } from "../app-insights-schema";
import { KqlError } from "./types";

export type Row = unknown[];

/**
 * A table between operators. `rows` may be a one-shot stream (a generator):
 * where, project, extend and the source scan pass rows on without keeping
 * them, so 250k source rows die young instead of all living until summarize.
 * Use `materialize` before iterating twice or indexing.
 */
export interface Table {
  columns: KqlColumn[];
  rows: Iterable<Row>;
  /**
   * Optional: hands the same rows in the same order to `sink`, one call each,
   * but one array may be reused for every row (a source scan fills one
   * buffer), for a consumer that keeps nothing of a row once `sink` returns
   * (`summarize` with aggregates that keep values, not rows): no array and no
   * iterator step made per source row.
   */
  each?: (sink: (row: Row) => void) => void;
}

export function materialize(rows: Iterable<Row>): Row[] {
  return Array.isArray(rows) ? rows : Array.from(rows);
}

export const MS_PER_DAY = 86_400_000;
/** Milliseconds between 0001-01-01 (where KQL's ticks start, and bin() aligns) and 1970-01-01. */
export const TICKS_EPOCH_OFFSET_MS = 62_135_596_800_000;

/** A value read from a table source, in the evaluator's representation for its column type. */
export function fromSource(value: unknown, type: KqlColumnType): unknown {
  if (value === undefined || value === null) return type === "string" || type === "guid" ? "" : null;
  switch (type) {
    case "datetime":
      if (value instanceof Date) return value.getTime();
      if (typeof value === "number") return value;
      return parseDatetime(String(value));
    case "timespan":
      return typeof value === "number" ? value : parseTimespan(String(value));
    case "string":
    case "guid":
      return typeof value === "string" ? value : String(value);
    case "int":
    case "long":
    case "real":
    case "decimal":
      return typeof value === "number" ? value : toNumberOrNull(value);
    case "bool":
      return typeof value === "boolean" ? value : toBoolOrNull(value);
    case "dynamic":
      return value;
  }
}

/** A value in Log Analytics' JSON wire form for its column type. */
export function toWire(value: unknown, type: KqlColumnType): unknown {
  if (value === null || value === undefined) return type === "string" || type === "guid" ? "" : null;
  switch (type) {
    case "datetime":
      return formatDatetime(value as number);
    case "timespan":
      return formatTimespan(value as number);
    case "real":
    case "decimal":
    case "int":
    case "long": {
      const n = value as number;
      // JSON has no NaN or infinities; Kusto writes them as strings.
      if (Number.isFinite(n)) return n;
      return Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
    }
    default:
      return value;
  }
}

export function toNumberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (trimmed === "") return null;
    const n = Number(trimmed);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

export function toBoolOrNull(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") {
    const lower = value.trim().toLowerCase();
    if (lower === "true" || lower === "1") return true;
    if (lower === "false" || lower === "0") return false;
  }
  return null;
}

/** KQL datetime text (ISO 8601, with or without T and zone; no zone means UTC) → ms, or null. */
export function parseDatetime(text: string): number | null {
  let t = text.trim();
  if (t === "" || t === "null") return null;
  t = t.replace(" ", "T");
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) t += "Z";
  // Date.parse reads at most milliseconds; KQL allows 7 fraction digits.
  t = t.replace(/(\.\d{3})\d+/, "$1");
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

const timespanUnits: Readonly<Record<string, number>> = {
  d: MS_PER_DAY,
  day: MS_PER_DAY,
  days: MS_PER_DAY,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  microsecond: 0.001,
  microseconds: 0.001,
  tick: 0.0001,
  ticks: 0.0001,
};

/** KQL timespan text ("1h", "100ms", "1.5d", "1.02:03:04.5", "00:05:00") → ms, or null. */
export function parseTimespan(text: string): number | null {
  const t = text.trim();
  if (t === "" || t === "null") return null;
  const unit = /^([+-]?\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  if (unit) {
    const factor = timespanUnits[unit[2]!.toLowerCase()];
    return factor === undefined ? null : Number(unit[1]) * factor;
  }
  const clock = /^([+-])?(?:(\d+)\.)?(\d+):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(t);
  if (clock) {
    const sign = clock[1] === "-" ? -1 : 1;
    const ms =
      Number(clock[2] ?? 0) * MS_PER_DAY +
      Number(clock[3]) * 3_600_000 +
      Number(clock[4]) * 60_000 +
      Number(clock[5] ?? 0) * 1000 +
      Number(clock[6] ?? 0) * 1000;
    return sign * ms;
  }
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) return Number(t) * MS_PER_DAY;
  return null;
}

/** "2024-01-02T03:04:05Z", with a 7-digit fraction when there is one, as Kusto writes datetimes. */
export function formatDatetime(ms: number): string {
  // Result columns repeat a few datetimes (a minute per role): the last ones written are kept.
  const known = formattedDatetimes.get(ms);
  if (known !== undefined) return known;
  const text = formatDatetimeOnce(ms);
  if (formattedDatetimes.size >= 1024) formattedDatetimes.clear();
  formattedDatetimes.set(ms, text);
  return text;
}

const formattedDatetimes = new Map<number, string>();

function formatDatetimeOnce(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  const base = iso.slice(0, 19);
  const fractionTicks = Math.round((ms - Math.floor(ms / 1000) * 1000) * 10_000);
  return fractionTicks === 0 ? `${base}Z` : `${base}.${String(fractionTicks).padStart(7, "0")}Z`;
}

/** "[-][d.]hh:mm:ss[.fffffff]", as Kusto writes timespans. */
export function formatTimespan(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let ticks = Math.round(Math.abs(ms) * 10_000);
  const days = Math.floor(ticks / 864_000_000_000);
  ticks -= days * 864_000_000_000;
  const hours = Math.floor(ticks / 36_000_000_000);
  ticks -= hours * 36_000_000_000;
  const minutes = Math.floor(ticks / 600_000_000);
  ticks -= minutes * 600_000_000;
  const seconds = Math.floor(ticks / 10_000_000);
  ticks -= seconds * 10_000_000;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${sign}${days > 0 ? `${days}.` : ""}${pad(hours)}:${pad(minutes)}:${pad(seconds)}${ticks > 0 ? `.${String(ticks).padStart(7, "0")}` : ""}`;
}

/** tostring(): how KQL renders a value of a given type as text. */
export function toKqlString(value: unknown, type: KqlColumnType | undefined): string {
  if (value === null || value === undefined) return "";
  switch (type) {
    case "datetime":
      return formatDatetime(value as number);
    case "timespan":
      return formatTimespan(value as number);
    case "dynamic":
      return typeof value === "string" ? value : JSON.stringify(value);
    default:
      return typeof value === "object" ? JSON.stringify(value) : String(value);
  }
}

/** Ordering of two non-null values of one type (numbers, strings ordinally, booleans false < true). */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A key under which equal values (as KQL compares them for grouping, joining and distinct) meet. */
export function keyOf(value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== "object") return value;
  return `\u0000json:${JSON.stringify(value)}`;
}

/** One key for several values. */
export function compositeKey(values: readonly unknown[]): string {
  let key = "";
  for (const value of values) {
    if (value === null || value === undefined) key += "\u0001n";
    else if (typeof value === "object") key += `\u0001j${JSON.stringify(value)}`;
    else key += `\u0001${typeof value === "string" ? "s" : typeof value === "number" ? "d" : "b"}${String(value)}`;
  }
  return key;
}

export function unsupported(what: string): KqlError {
  return new KqlError("UnsupportedOperator", `${what} is not supported by the Wharf sandbox`);
}

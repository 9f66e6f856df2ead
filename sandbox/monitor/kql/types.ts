// The contract between the sandbox's KQL evaluator (sandbox/monitor/kql/) and
// what feeds it rows (sandbox/monitor/telemetry/) and serves it over HTTP
// (sandbox/monitor/). The evaluator knows nothing of HTTP or of how rows are made.
import type { AppInsightsTableName, KqlColumn } from "../app-insights-schema";

/** A row as the evaluator reads it: column name → value (Date for datetime, number, boolean, string, object for dynamic, null). */
export type KqlRow = Readonly<Record<string, unknown>>;

/** The time range a query may see: the request's timespan, resolved against "now". */
export interface KqlTimeRange {
  start: Date;
  end: Date;
}

/**
 * Where tables' rows come from. `rows` is asked once per table reference in a
 * query, with the request's time range, so a generator can make only the time
 * buckets inside it (30 days of history are never all in memory).
 */
export interface KqlTableSource {
  rows(table: AppInsightsTableName, range: KqlTimeRange): Iterable<KqlRow>;
  /**
   * Optional, the fast path the evaluator prefers: the same rows as `rows`
   * (same range, same order), but only `columns`, column by column in
   * batches, so no object is made per row. `range` may be narrower than the
   * query's (a leading `where TimeGenerated > …` pushed down); the evaluator
   * still applies the query's range and every filter itself.
   */
  columns?(table: AppInsightsTableName, range: KqlTimeRange, columns: readonly string[]): Iterable<KqlColumnBatch>;
}

/**
 * `length` rows of a table: `values[i][r]` is column i of row r, in the
 * order the columns were asked for (a datetime as a Date or milliseconds
 * since the epoch, the other values as in a KqlRow).
 */
export interface KqlColumnBatch {
  length: number;
  values: readonly ArrayLike<unknown>[];
}

export interface KqlQueryOptions {
  /** What `now()` and `ago()` are relative to; fixed per request. */
  now: Date;
  /** Rows outside it are invisible to the query, as in Log Analytics. */
  range: KqlTimeRange;
}

/** One result table, already in Log Analytics' wire shape (datetime as ISO strings, dynamic as JSON values). */
export interface KqlResultTable {
  name: string;
  columns: KqlColumn[];
  rows: unknown[][];
}

/**
 * Why a query was refused. `SyntaxError` and `SemanticError` carry the
 * parser's own message (unknown table or column among them); `UnsupportedOperator`
 * names the operator or function the sandbox does not evaluate. All three are
 * answered 400 BadArgumentError with this as the innererror.
 */
export class KqlError extends Error {
  constructor(
    readonly code: "SyntaxError" | "SemanticError" | "UnsupportedOperator",
    message: string,
  ) {
    super(message);
    this.name = "KqlError";
  }
}

/** Parses with Microsoft's parser, then evaluates; throws KqlError. Implemented in ./evaluate.ts. */
export type RunKql = (query: string, source: KqlTableSource, options: KqlQueryOptions) => KqlResultTable[];

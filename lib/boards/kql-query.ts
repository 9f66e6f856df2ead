// A KQL tile's query, checked with Microsoft's parser (Kusto.Language from
// @kusto/language-service-next) when a board is saved, and capped before the
// poller sends it. Syntax only: Wharf does not know every workspace's tables,
// so an unknown table or column is Log Analytics' to report at run time (it is
// stored and shown on the tile).
//
// The parser runs in its own thread (kql-thread.mjs, decision 0050), never in
// the calling isolate's heap: loading it holds the event loop for a second or
// more and keeps ≈40 MB of heap, which took the web process out of memory. The
// thread is started on the first check, checks one query at a time, and ends
// after ten minutes without one (bench/kql-parser.ts).
// Not marked "server-only": the worker (tsx, outside Next) runs KQL tiles through run-kql-tiles.ts and loads it too.
import { AppError } from "@/lib/errors";
import { SerialThread, threadScript } from "@/lib/threads/serial-thread";

export type KqlCheck =
  | { ok: true; /** Where the one tabular expression ends: the row cap is appended there. */ end: number }
  | { ok: false; /** What to change, with the parser's message and where when the parser refused it. */ message: string };

/** A check's time bound, the parser's first load included (seconds on a busy machine). */
export const kqlCheckTimeoutMs = 30_000;
/** The parser's thread ends after this long without a check. */
export const kqlThreadIdleMs = 10 * 60_000;

const parserThread = new SerialThread<string, KqlCheck>({
  name: "wharf-kql-parser",
  script: () => threadScript(import.meta.url, "lib/boards/kql-thread.mjs"),
  idleMs: kqlThreadIdleMs,
  // The parser keeps ≈40 MB; a query of the longest length a tile allows parses in far less than the rest.
  resourceLimits: { maxOldGenerationSizeMb: 128 },
  failure: (reason, detail) =>
    new AppError(
      "dependency_unavailable",
      reason === "timeout"
        ? `Checking the KQL query with Microsoft's parser took longer than ${kqlCheckTimeoutMs / 1000} s; try again in a moment.`
        : `Wharf could not check the KQL query: its parser failed (${detail}); try again in a moment.`,
      { retryAfterSeconds: 5 },
    ),
});

/**
 * Whether Log Analytics could run `query` as a tile's: it parses, and ends in exactly one tabular expression (lets before it
 * are fine). Rejects with an AppError `dependency_unavailable` when the parser's thread fails or takes too long.
 */
export function checkKqlQuery(query: string): Promise<KqlCheck> {
  return parserThread.run(query, kqlCheckTimeoutMs);
}

/**
 * The query as the poller sends it: at most `rows` + 1 rows come back (one more than kept, to say the result was cut).
 * Throws an Error with the parser's message when the query is refused; an AppError when the parser could not run.
 */
export async function cappedKqlQuery(query: string, rows: number): Promise<string> {
  const check = await checkKqlQuery(query);
  if (!check.ok) throw new Error(check.message);
  return `${query.slice(0, check.end)}\n| take ${rows + 1}`;
}

/** Ends the parser's thread if one runs (scripts and tests that want to exit promptly). */
export function stopKqlThread(): Promise<void> {
  return parserThread.stop();
}

/** Whether the parser's thread runs now. */
export function kqlThreadRunning(): boolean {
  return parserThread.running;
}

// A KQL tile's query, checked with Microsoft's parser (Kusto.Language from
// @kusto/language-service-next) when a board is saved, and capped before the
// poller sends it. On a board for everyone, syntax only: Wharf does not know
// every workspace's tables, so an unknown table or column is Log Analytics' to
// report at run time (it is stored and shown on the tile). On a team's board,
// scoped to the team's App Insights roles (decision 0067, kql-team-scope.ts).
//
// The parser runs in its own thread (kql-thread.mjs, decision 0050), never in
// the calling isolate's heap: loading it holds the event loop for a second or
// more and keeps ≈40 MB of heap, which took the web process out of memory. The
// thread is started on the first check, checks one query at a time, and ends
// after ten minutes without one (bench/kql-parser.ts).
// Not marked "server-only": the worker (tsx, outside Next) runs KQL tiles through run-kql-tiles.ts and loads it too.
import { AppError } from "@/lib/errors";
import { SerialThread, threadScript } from "@/lib/threads/serial-thread";
import { teamKqlTables, teamScopePrefix } from "./kql-team-scope";

export type KqlCheck =
  | {
      ok: true;
      /** Where the one tabular expression ends: the row cap is appended there. */
      end: number;
      /** A team's query only: the App tables it reads (each shadowed by a view of the team's roles when it runs). */
      tables?: string[];
    }
  | { ok: false; /** What to change, with the parser's message and where when the parser refused it. */ message: string };

/** A check's time bound, the parser's first load included (seconds on a busy machine). */
export const kqlCheckTimeoutMs = 30_000;
/** The parser's thread ends after this long without a check. */
export const kqlThreadIdleMs = 10 * 60_000;

const parserThread = new SerialThread<{ query: string; team: Readonly<Record<string, string>> | null }, KqlCheck>({
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
 * are fine). With `team`, also that it reads only the App tables a team's tile may read, by name (decision 0067).
 * Rejects with an AppError `dependency_unavailable` when the parser's thread fails or takes too long.
 */
export function checkKqlQuery(query: string, { team = false }: { team?: boolean } = {}): Promise<KqlCheck> {
  return parserThread.run({ query, team: team ? teamKqlTables : null }, kqlCheckTimeoutMs);
}

/**
 * The query as the poller sends it: at most `rows` + 1 rows come back (one more than kept, to say the result was cut). With
 * `teamRoles` (a team's tile), each App table it reads is shadowed by a view of those App Insights role names, and nothing
 * else of the workspace is visible to it (`teamScopePrefix`).
 * Throws an Error with the parser's message when the query is refused; an AppError when the parser could not run.
 */
export async function cappedKqlQuery(query: string, rows: number, teamRoles: readonly string[] | null = null): Promise<string> {
  const check = await checkKqlQuery(query, { team: teamRoles !== null });
  if (!check.ok) throw new Error(check.message);
  const prefix = teamRoles === null ? "" : teamScopePrefix(check.tables ?? [], teamRoles);
  return `${prefix}${query.slice(0, check.end)}\n| take ${rows + 1}`;
}

/** Ends the parser's thread if one runs (scripts and tests that want to exit promptly). */
export function stopKqlThread(): Promise<void> {
  return parserThread.stop();
}

/** Whether the parser's thread runs now. */
export function kqlThreadRunning(): boolean {
  return parserThread.running;
}

// A KQL tile's query, checked with Microsoft's parser (Kusto.Language from
// @kusto/language-service-next) when a board is saved, and capped before the
// poller sends it. Syntax only: Wharf does not know every workspace's tables,
// so an unknown table or column is Log Analytics' to report at run time (it is
// stored and shown on the tile). The package is two Bridge.NET scripts that
// define globals (`Bridge`, `Kusto`), ≈5 MB: loaded on the first check, kept.
// Not marked "server-only": the worker (tsx, outside Next) runs KQL tiles through run-kql-tiles.ts and loads it too.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { runInThisContext } from "node:vm";

/** The few parts of Kusto.Language read here, typed by hand (the package's typings declare one global namespace for everything). */
interface KustoList<T> {
  readonly Count: number;
  getItem(index: number): T;
}
interface KustoDiagnostic {
  readonly Severity: string;
  readonly Message: string;
  readonly Start: number;
}
interface KustoNode {
  readonly ChildCount: number;
  GetChild(index: number): KustoNode | null;
  readonly TextStart: number;
  readonly Width: number;
}
interface KustoCode {
  readonly Syntax: KustoNode & { readonly Statements?: KustoList<{ readonly Element: KustoNode }> };
  GetDiagnostics(): KustoList<KustoDiagnostic>;
}
interface Kusto {
  code: { Parse(text: string): KustoCode };
  typeName(node: unknown): string;
}

let loaded: Kusto | undefined;

function kusto(): Kusto {
  if (loaded) return loaded;
  const global = globalThis as unknown as {
    Kusto?: { Language: { KustoCode: Kusto["code"] } };
    Bridge?: { getTypeName(value: unknown): string };
  };
  // Once per process: the globals outlive this module, and a second run of the scripts throws ("Class … is already defined").
  // Next bundles route handlers and server actions apart (each with its own copy of this module), and the sandbox, in the
  // same process in development and e2e, loads the same package.
  if (!global.Kusto || !global.Bridge) {
    // Resolved from the project at run time, not through the bundler: the scripts only need to see the global object.
    const require = createRequire(join(process.cwd(), "package.json"));
    for (const file of ["bridge.min.js", "Kusto.Language.Bridge.min.js"]) {
      const path = require.resolve(["@kusto", "language-service-next", file].join("/"));
      runInThisContext(readFileSync(path, "utf8"), { filename: path });
    }
  }
  if (!global.Kusto || !global.Bridge) throw new Error("@kusto/language-service-next did not define the globals Kusto and Bridge");
  const bridge = global.Bridge;
  loaded = { code: global.Kusto.Language.KustoCode, typeName: (node) => bridge.getTypeName(node).split("[")[0]!.split(".").at(-1)! };
  return loaded;
}

export type KqlCheck =
  | { ok: true; /** Where the one tabular expression ends: the row cap is appended there. */ end: number }
  | { ok: false; /** What to change, with the parser's message and where when the parser refused it. */ message: string };

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

function contains(node: KustoNode, name: string, typeName: (node: unknown) => string): boolean {
  if (typeName(node) === name) return true;
  for (let index = 0; index < node.ChildCount; index++) {
    const child = node.GetChild(index);
    if (child && contains(child, name, typeName)) return true;
  }
  return false;
}

/** Whether Log Analytics could run `query` as a tile's: it parses, and ends in exactly one tabular expression (lets before it are fine). */
export function checkKqlQuery(query: string): KqlCheck {
  const { code, typeName } = kusto();
  const parsed = code.Parse(query);
  const diagnostics = parsed.GetDiagnostics();
  for (let index = 0; index < diagnostics.Count; index++) {
    const diagnostic = diagnostics.getItem(index);
    if (diagnostic.Severity === "Error")
      return { ok: false, message: `The KQL query does not parse: ${diagnostic.Message} (at ${lineAndColumn(query, diagnostic.Start)})` };
  }
  const statements = parsed.Syntax.Statements;
  const expressions: KustoNode[] = [];
  for (let index = 0; index < (statements?.Count ?? 0); index++) {
    const statement = statements!.getItem(index).Element;
    if (typeName(statement) === "ExpressionStatement") expressions.push(statement);
  }
  if (expressions.length !== 1)
    return {
      ok: false,
      message:
        expressions.length === 0
          ? "The query has no tabular expression to chart; end it with one, such as AppRequests | summarize count() by bin(TimeGenerated, 5m)."
          : `The query has ${expressions.length} tabular expressions; a tile charts one, so keep only the last (lets before it are fine).`,
    };
  const last = expressions[0]!;
  if (last !== statements!.getItem(statements!.Count - 1).Element)
    return { ok: false, message: "The query must end with its tabular expression; move the let statements before it." };
  if (contains(last, "RenderOperator", typeName)) return { ok: false, message: "Leave out render: pick the tile's chart (line, bar or table) instead." };
  return { ok: true, end: last.TextStart + last.Width };
}

/** The query as the poller sends it: at most `rows` + 1 rows come back (one more than kept, to say the result was cut). */
export function cappedKqlQuery(query: string, rows: number): string {
  const check = checkKqlQuery(query);
  if (!check.ok) throw new Error(check.message);
  return `${query.slice(0, check.end)}\n| take ${rows + 1}`;
}

// Microsoft's KQL parser (Kusto.Language from @kusto/language-service-next)
// on a KQL tile's query, in a worker_threads Worker (decision 0050): the
// package is two Bridge.NET scripts, ≈5 MB, that define globals (`Bridge`,
// `Kusto`); loading them holds the event loop for a second or more and keeps
// ≈40 MB of heap, which the web process cannot spare. In the thread the globals
// are the thread's own, loaded once per thread. Plain JavaScript on purpose: it
// runs as is under tsx, vitest and the web server alike.
//
// Protocol (lib/threads/serial-thread.ts): { id, input } in, the input a query;
// { id, output } out, the output { ok: true, end } (where the one tabular
// expression ends) or { ok: false, message } (what to change), or { id, error }.
// Syntax only: Wharf does not know every workspace's tables, so an unknown
// table or column is Log Analytics' to report at run time.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { runInThisContext } from "node:vm";
import { parentPort } from "node:worker_threads";

const require = createRequire(import.meta.url);
for (const file of ["bridge.min.js", "Kusto.Language.Bridge.min.js"]) {
  const path = require.resolve(`@kusto/language-service-next/${file}`);
  runInThisContext(readFileSync(path, "utf8"), { filename: path });
}
if (!globalThis.Kusto || !globalThis.Bridge) throw new Error("@kusto/language-service-next did not define the globals Kusto and Bridge");
const KustoCode = globalThis.Kusto.Language.KustoCode;
const typeName = (node) => globalThis.Bridge.getTypeName(node).split("[")[0].split(".").at(-1);

function lineAndColumn(text, offset) {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before.at(-1).length + 1}`;
}

function contains(node, name) {
  if (typeName(node) === name) return true;
  for (let index = 0; index < node.ChildCount; index++) {
    const child = node.GetChild(index);
    if (child && contains(child, name)) return true;
  }
  return false;
}

/** Whether Log Analytics could run `query` as a tile's: it parses, and ends in exactly one tabular expression (lets before it are fine). */
function check(query) {
  const parsed = KustoCode.Parse(query);
  const diagnostics = parsed.GetDiagnostics();
  for (let index = 0; index < diagnostics.Count; index++) {
    const diagnostic = diagnostics.getItem(index);
    if (diagnostic.Severity === "Error")
      return { ok: false, message: `The KQL query does not parse: ${diagnostic.Message} (at ${lineAndColumn(query, diagnostic.Start)})` };
  }
  const statements = parsed.Syntax.Statements;
  const count = statements ? statements.Count : 0;
  const expressions = [];
  for (let index = 0; index < count; index++) {
    const statement = statements.getItem(index).Element;
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
  const last = expressions[0];
  if (last !== statements.getItem(count - 1).Element)
    return { ok: false, message: "The query must end with its tabular expression; move the let statements before it." };
  if (contains(last, "RenderOperator")) return { ok: false, message: "Leave out render: pick the tile's chart (line, bar or table) instead." };
  return { ok: true, end: last.TextStart + last.Width };
}

parentPort.on("message", ({ id, input }) => {
  try {
    parentPort.postMessage({ id, output: check(input) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});

// Microsoft's KQL parser (Kusto.Language from @kusto/language-service-next)
// on a KQL tile's query, in a worker_threads Worker (decision 0050): the
// package is two Bridge.NET scripts, ≈5 MB, that define globals (`Bridge`,
// `Kusto`); loading them holds the event loop for a second or more and keeps
// ≈40 MB of heap, which the web process cannot spare. In the thread the globals
// are the thread's own, loaded once per thread. Plain JavaScript on purpose: it
// runs as is under tsx, vitest and the web server alike.
//
// Protocol (lib/threads/serial-thread.ts): { id, input } in, the input
// { query, team } (team: null, or the tables a team's tile may read with their
// schemas, lib/boards/kql-team-scope.ts); { id, output } out, the output
// { ok: true, end, tables } (where the one tabular expression ends, and for a
// team's query the App tables it reads) or { ok: false, message } (what to
// change), or { id, error }.
// Syntax only for a board for everyone: Wharf does not know every workspace's
// tables, so an unknown table or column is Log Analytics' to report at run
// time. A team's query is analyzed against the App tables and every name must
// resolve (decision 0067).
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
function syntaxCheck(query) {
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

// The functions that name another workspace, application, resource, cluster, database, table, graph or stored result at run time.
const crossResource = {
  workspace: "workspace()",
  app: "app()",
  resource: "resource()",
  cluster: "cluster()",
  database: "database()",
  table: "table()",
  external_table: "external_table()",
  materialized_view: "materialized_view()",
  graph: "graph()",
  stored_query_result: "stored_query_result()",
};

/** A construct that reads beyond the App tables a team's tile may read, and what to write instead; or null. */
function escaping(node) {
  switch (typeName(node)) {
    case "WildcardedName":
      return (
        `"${node.ToString(2)}" (a wildcard table reference) reads every matching table of the workspace; ` +
        "name the tables, such as union AppRequests, AppDependencies."
      );
    case "SearchOperator":
      return 'search reads every table of the workspace; start from a table and filter it, such as AppRequests | where Name has "checkout".';
    case "FindOperator":
      return "find reads every table of the workspace; start from a table and filter it, " + 'such as AppExceptions | where OuterMessage has "timeout".';
    case "ExternalDataExpression":
      return "externaldata reads from outside the workspace; a team's tile reads its own telemetry only.";
    case "EvaluateOperator":
      return "evaluate runs a plugin, which may read beyond the team's telemetry; use summarize, extend or project instead.";
    case "MacroExpandOperator":
      return "macro-expand reads an entity group of other clusters or databases; name the tables instead.";
    case "FunctionCallExpression": {
      const name = node.Name?.ToString(2);
      if (name && Object.hasOwn(crossResource, name))
        return (
          `${crossResource[name]} reads another workspace, application or table by name at run time; ` +
          "write the table's name, such as AppRequests, which reads the team's own rows."
        );
      return null;
    }
    default:
      return null;
  }
}

function firstEscaping(node) {
  const found = escaping(node);
  if (found) return found;
  for (let index = 0; index < node.ChildCount; index++) {
    const child = node.GetChild(index);
    const inner = child && firstEscaping(child);
    if (inner) return inner;
  }
  return null;
}

function tableNames(node, names) {
  if (typeName(node) === "NameReference" && node.ReferencedSymbol && typeName(node.ReferencedSymbol) === "TableSymbol") names.add(node.ReferencedSymbol.Name);
  for (let index = 0; index < node.ChildCount; index++) {
    const child = node.GetChild(index);
    if (child) tableNames(child, names);
  }
  return names;
}

function firstUnresolved(node) {
  if (typeName(node) === "NameReference" && !node.ReferencedSymbol) return node;
  for (let index = 0; index < node.ChildCount; index++) {
    const child = node.GetChild(index);
    const inner = child && firstUnresolved(child);
    if (inner) return inner;
  }
  return null;
}

let teamGlobals;

function teamState(tables) {
  const key = JSON.stringify(tables);
  if (teamGlobals?.key === key) return teamGlobals.globals;
  const language = globalThis.Kusto.Language;
  const symbols = Object.entries(tables).map(([name, schema]) => new language.Symbols.TableSymbol.$ctor7(name, schema, null));
  const database = new language.Symbols.DatabaseSymbol.ctor("workspace", symbols);
  teamGlobals = { key, globals: language.GlobalState.Default.WithDatabase(database) };
  return teamGlobals.globals;
}

const teamNote = (tables) => `On a team's board a query reads only the team's own rows of ${Object.keys(tables).join(", ")}`;

/**
 * A team's tile (decision 0067): the syntax check, then no construct that reads beyond the App tables, only let and tabular
 * statements, and every name resolving to one of those tables, their columns, the query's lets or a built-in function.
 */
function teamCheck(query, tables) {
  const syntax = syntaxCheck(query);
  if (!syntax.ok) return syntax;
  const code = KustoCode.ParseAndAnalyze(query, teamState(tables));
  const statements = code.Syntax.Statements;
  for (let index = 0; index < statements.Count; index++) {
    const statement = statements.getItem(index).Element;
    const kind = typeName(statement);
    const declared = kind === "LetStatement" ? statement.Name.ToString(2) : null;
    // The poller declares a view of each table's name before the query; a second let of that name is Kusto's error.
    if (declared && Object.hasOwn(tables, declared))
      return {
        ok: false,
        message:
          `${teamNote(tables)}: "let ${declared} = …" takes the table's own name, which the team's view of it has; ` +
          `name it otherwise, such as let requests = ${declared} | where ….`,
      };
    if (kind !== "LetStatement" && kind !== "ExpressionStatement")
      return {
        ok: false,
        message:
          `${teamNote(tables)}: "${statement.ToString(2).split(/\s/)[0]}" statements are not allowed there; ` +
          "keep let statements and one tabular expression.",
      };
  }
  const found = firstEscaping(code.Syntax);
  if (found) return { ok: false, message: `${teamNote(tables)}. ${found}` };
  const diagnostics = code.GetDiagnostics();
  for (let index = 0; index < diagnostics.Count; index++) {
    const diagnostic = diagnostics.getItem(index);
    if (diagnostic.Severity === "Error")
      return { ok: false, message: `${teamNote(tables)}, by name: ${diagnostic.Message} (at ${lineAndColumn(query, diagnostic.Start)})` };
  }
  // An unknown name the parser only warns about (a table in `union isfuzzy=true …`) is refused too: it may be any table.
  const unresolved = firstUnresolved(code.Syntax);
  if (unresolved)
    return {
      ok: false,
      message:
        `${teamNote(tables)}, by name: "${unresolved.ToString(2)}" is none of them, nor one of their columns, a let or a function ` +
        `(at ${lineAndColumn(query, unresolved.TextStart)}); name only those tables.`,
    };
  return { ok: true, end: syntax.end, tables: [...tableNames(code.Syntax, new Set())].sort() };
}

function check({ query, team }) {
  return team ? teamCheck(query, team) : syntaxCheck(query);
}

parentPort.on("message", ({ id, input }) => {
  try {
    parentPort.postMessage({ id, output: check(input) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});

// Microsoft's KQL parser (Kusto.Language, shipped as a Bridge.NET build in
// @kusto/language-service-next) run against the App Insights tables. The
// package is not a module: `bridge.js` defines a global `Bridge`, then
// `Kusto.Language.Bridge.js` defines a global `Kusto` on top of it. Both are
// large (≈5 MB minified, ≈150 ms and ≈60 MB of heap to load), so they are
// loaded on first use and kept.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { runInThisContext } from "node:vm";
import { appInsightsTableNames, appInsightsTables } from "../app-insights-schema";
import type { KqlColumn, KqlColumnType } from "../app-insights-schema";

/**
 * The few parts of Kusto.Language the sandbox reads, typed by hand: the
 * package's own typings declare a global namespace for the whole project and
 * its Bridge.NET collection types are awkward to use from TypeScript.
 */
export interface KustoList<T> {
  readonly Count: number;
  getItem(index: number): T;
}

export interface KustoDiagnostic {
  readonly Code: string;
  readonly Severity: string;
  readonly Message: string;
  readonly Start: number;
  readonly Length: number;
}

export interface KustoTypeSymbol {
  readonly Name: string;
}

export interface KustoColumnSymbol {
  readonly Name: string;
  readonly Type: KustoTypeSymbol;
}

export interface KustoSymbol {
  readonly Name: string;
  /** Present on table symbols. */
  readonly Columns?: KustoList<KustoColumnSymbol>;
  /** Present on column and variable symbols. */
  readonly Type?: KustoSymbol;
}

/** A node of the parser's syntax tree; its class name (see `syntaxClass`) says which kind. */
export interface KustoSyntaxNode {
  readonly ChildCount: number;
  GetChild(index: number): KustoSyntaxNode | null;
  readonly TextStart: number;
  readonly Width: number;
  readonly ResultType: KustoSymbol | null;
  readonly ReferencedSymbol: KustoSymbol | null;
  /** 0 = all trivia, 1 = trivia between tokens only, 2 = minimal. */
  ToString(includeTrivia: number): string;
  /** Every other property the evaluator reads by name (Left, Right, Expression, …). */
  readonly [property: string]: unknown;
}

export interface KustoCode {
  readonly Syntax: KustoSyntaxNode;
  readonly ResultType: KustoSymbol | null;
  GetDiagnostics(): KustoList<KustoDiagnostic>;
}

interface KustoLanguage {
  Binding: { Binder: { GetExpressionResultName(expression: unknown, defaultName: string, row: unknown): string | null } };
  KustoCode: { ParseAndAnalyze(text: string, globals: unknown): KustoCode };
  GlobalState: { Default: { WithDatabase(database: unknown): unknown } };
  Symbols: {
    TableSymbol: { $ctor7: new (name: string, schema: string, description: string | null) => unknown };
    DatabaseSymbol: { ctor: new (name: string, members: unknown[]) => unknown };
  };
}

interface BridgeRuntime {
  getTypeName(value: unknown): string;
}

interface LoadedKusto {
  language: KustoLanguage;
  bridge: BridgeRuntime;
  globals: unknown;
}

let loaded: LoadedKusto | undefined;

function kusto(): LoadedKusto {
  if (loaded) return loaded;
  // Run as plain scripts rather than through require(): under tsx (the
  // sandbox's runner) require() hands each file to its transformer, which
  // takes ~2 s on these 5 MB; the scripts only need to see the global object.
  const require = createRequire(import.meta.url);
  for (const file of ["bridge.min.js", "Kusto.Language.Bridge.min.js"]) {
    const path = require.resolve(`@kusto/language-service-next/${file}`);
    runInThisContext(readFileSync(path, "utf8"), { filename: path });
  }
  const global = globalThis as unknown as { Kusto?: { Language: KustoLanguage }; Bridge?: BridgeRuntime };
  if (!global.Kusto || !global.Bridge) throw new Error("@kusto/language-service-next did not define the globals Kusto and Bridge");
  const language = global.Kusto.Language;
  const tables = appInsightsTableNames.map((name) => new language.Symbols.TableSymbol.$ctor7(name, schemaOf(appInsightsTables[name]), null));
  const database = new language.Symbols.DatabaseSymbol.ctor("workspace", tables);
  loaded = { language, bridge: global.Bridge, globals: language.GlobalState.Default.WithDatabase(database) };
  return loaded;
}

function schemaOf(columns: readonly KqlColumn[]): string {
  return `(${columns.map((column) => `['${column.name}']:${column.type}`).join(", ")})`;
}

export interface KqlDiagnostic {
  code: string;
  severity: string;
  message: string;
}

export interface ParsedKql {
  code: KustoCode;
  /** Error diagnostics only (warnings and suggestions do not stop a query in Log Analytics). */
  errors: KqlDiagnostic[];
}

/**
 * The last queries parsed, by text: a poller sends the same query every cycle
 * (Wharf's health query over 2,000 roles is 48 KB, ≈0.4 s to parse and
 * analyze), and the sandbox reads it twice (to prepare the rows, then to
 * evaluate). The parser's result is immutable and only read.
 */
const parsed = new Map<string, ParsedKql>();
const parsedKept = 8;

/** Parses and analyzes `query` against the App Insights tables. */
export function parseKql(query: string): ParsedKql {
  const known = parsed.get(query);
  if (known) {
    parsed.delete(query);
    parsed.set(query, known);
    return known;
  }
  const { language, globals } = kusto();
  const code = language.KustoCode.ParseAndAnalyze(query, globals);
  const result = { code, errors: errorsOf(code) };
  parsed.set(query, result);
  if (parsed.size > parsedKept) parsed.delete(parsed.keys().next().value!);
  return result;
}

/**
 * Loads the parser and runs a first query through it (≈1–2 s and ≈60 MB of
 * heap on the first call), for a server that would rather pay that at start
 * than on its first request. Optional: everything here loads on first use.
 */
export function preloadKql(): void {
  parseKql("AppRequests | where TimeGenerated > ago(1h) | summarize count() by AppRoleName");
}

/** Every error the parser reports for `query` (an unknown table or column among them). */
export function kqlDiagnostics(query: string): KqlDiagnostic[] {
  return [...parseKql(query).errors];
}

function errorsOf(code: KustoCode): KqlDiagnostic[] {
  const diagnostics = code.GetDiagnostics();
  const errors: KqlDiagnostic[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    if (d.Severity === "Error") errors.push({ code: d.Code, severity: d.Severity, message: d.Message });
  }
  return errors;
}

/** The syntax node's class without its namespace: "PipeExpression", "FilterOperator", "SyntaxList`1", … */
export function syntaxClass(node: unknown): string {
  const full = kusto().bridge.getTypeName(node);
  const generic = full.indexOf("[");
  const name = generic < 0 ? full : full.slice(0, generic);
  return name.slice(name.lastIndexOf(".") + 1);
}

/**
 * The column name the parser gives an expression in a projection (`x = …` → x,
 * `tostring(Id)` → Id, `Properties.a` → Properties_a), or "" when it makes one
 * up (Column1, …).
 */
export function expressionResultName(node: KustoSyntaxNode): string {
  return kusto().language.Binding.Binder.GetExpressionResultName(node, "", null) ?? "";
}

/** The parser's type names (bool, int, long, real, string, datetime, timespan, dynamic, guid, decimal). */
const columnTypes: ReadonlySet<string> = new Set<KqlColumnType>([
  "bool",
  "datetime",
  "dynamic",
  "int",
  "long",
  "real",
  "string",
  "guid",
  "decimal",
  "timespan",
]);

/** The scalar type of a parser type symbol as Log Analytics names it, or undefined for a non-scalar one. */
export function columnTypeOf(type: KustoSymbol | null | undefined): KqlColumnType | undefined {
  if (!type) return undefined;
  const name = type.Name;
  if (columnTypes.has(name)) return name as KqlColumnType;
  // Dynamic sub-types (array, bag) display as "dynamic(...)".
  if (name.startsWith("dynamic")) return "dynamic";
  return undefined;
}

/** A table symbol's columns as Log Analytics would name and type them. */
export function columnsOf(table: KustoSymbol | null | undefined): KqlColumn[] | undefined {
  const columns = table?.Columns;
  if (!columns) return undefined;
  const result: KqlColumn[] = [];
  for (let i = 0; i < columns.Count; i++) {
    const column = columns.getItem(i);
    result.push({ name: column.Name, type: columnTypeOf(column.Type) ?? "dynamic" });
  }
  return result;
}

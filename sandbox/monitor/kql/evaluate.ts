// The sandbox's KQL evaluator: Microsoft's parser checks and analyzes the
// query (its diagnostics are the errors a real workspace would give), then the
// parser's syntax tree is evaluated over rows from a KqlTableSource. What the
// sandbox cannot evaluate is refused with UnsupportedOperator naming it, never
// answered approximately.
import { appInsightsTables } from "../app-insights-schema";
import type { AppInsightsTableName, KqlColumn } from "../app-insights-schema";
import { applyOperator, keywordOf } from "./operators";
import type { OperatorContext } from "./operators";
import { parseKql } from "./parse";
import { columnsOf } from "./parse";
import type { KustoSyntaxNode } from "./parse";
import { evaluateConstant } from "./scalar";
import type { LetBinding, Scope } from "./scalar";
import { child, elements, kindOf, requiredChild, simpleName, symbolKind, textOf, tokenText, typeOf } from "./syntax";
import type { Node } from "./syntax";
import { KqlError } from "./types";
import type { KqlQueryOptions, KqlTableSource, KqlTimeRange, RunKql } from "./types";
import { checkQueryHeap, rowsBetweenChecks } from "./memory";
import { fromSource, materialize, toWire, unsupported } from "./values";
import type { Row, Table } from "./values";

export const runKql: RunKql = (query, source, options) => {
  const { code, errors } = parseKql(query);
  if (errors.length > 0) {
    const syntax = (code.Syntax as unknown as { ContainsSyntaxDiagnostics: boolean }).ContainsSyntaxDiagnostics;
    throw new KqlError(syntax ? "SyntaxError" : "SemanticError", [...new Set(errors.map((e) => e.message))].join(" "));
  }
  const evaluator = new QueryEvaluator(code.Syntax, source, options);
  return evaluator.run().map((table, i) => ({
    name: i === 0 ? "PrimaryResult" : `Table_${i}`,
    columns: table.columns,
    rows: Array.from(table.rows, (row) => table.columns.map((column, c) => toWire(fromSource(row[c], column.type), column.type))),
  }));
};

class QueryEvaluator {
  private readonly lets = new Map<string, LetBinding>();
  /** After a `restrict access to (…)` statement: where it ends and the lets it leaves visible (no source table is). */
  private restricted: { after: number; visible: ReadonlySet<string>; hidden: ReadonlySet<LetBinding> } | undefined;
  private readonly now: number;
  private readonly start: number;
  private readonly end: number;
  /** Source columns whose values the query can use or show; the others are left null. */
  private readonly needed: Set<string>;
  /** How often each name other than a column's is referenced in the query. */
  private readonly uses: ReadonlyMap<string, number>;
  private readonly context: OperatorContext;

  constructor(
    private readonly root: KustoSyntaxNode,
    private readonly source: KqlTableSource,
    private readonly options: KqlQueryOptions,
  ) {
    this.now = options.now.getTime();
    this.start = options.range.start.getTime();
    this.end = options.range.end.getTime();
    const { needed, uses } = analyze(root);
    this.needed = needed;
    this.uses = uses;
    this.context = {
      evaluate: (node) => this.tabular(node),
      scope: (columns) => this.scope(columns),
    };
  }

  run(): Table[] {
    const results: Table[] = [];
    if (elements(child(this.root, "Directives")).length > 0) throw unsupported("A query directive");
    for (const statement of elements(child(this.root, "Statements"))) {
      switch (kindOf(statement)) {
        case "LetStatement":
          this.let(statement);
          break;
        case "RestrictStatement":
          this.restrict(statement);
          break;
        case "ExpressionStatement": {
          const expression = requiredChild(statement, "Expression");
          const table = this.tabular(expression);
          // The parser's schema is the contract; a difference is a bug here, not an answer to give.
          const expected = columnsOf(expression.ResultType)
            ?.map((c) => `${c.name}:${c.type}`)
            .join(", ");
          const actual = table.columns.map((c) => `${c.name}:${c.type}`).join(", ");
          if (expected !== actual) throw new Error(`KQL evaluator produced columns [${actual}], the parser expects [${expected}]`);
          results.push(table);
          break;
        }
        default:
          throw unsupported(`The statement '${textOf(statement).split(/\s/)[0]}'`);
      }
    }
    return results;
  }

  private scope(columns: readonly KqlColumn[]): Scope {
    const map = new Map<string, number>();
    columns.forEach((c, i) => map.set(c.name, i));
    return { columns: map, lets: this.lets, now: this.now };
  }

  private let(statement: Node): void {
    const name = simpleName(requiredChild(statement, "Name"));
    let expression = requiredChild(statement, "Expression");
    if (kindOf(expression) === "FunctionDeclaration") expression = this.view(name, expression);
    // (A second let of a name already declared is the parser's error, "A variable with the name … has already been declared".)
    const evaluate = (): Table => this.tabular(expression);
    if (expression.ResultType?.Columns) {
      if (streamable(expression)) {
        // A table filtered, projected or extended row by row: evaluated again
        // at each use (the source gives the same rows every time) rather than
        // kept, which for `let req = AppRequests | where …` used twice is a
        // million rows held at once.
        this.lets.set(name, { kind: "table", table: evaluate });
        return;
      }
      if ((this.uses.get(name) ?? 0) <= 1) {
        // Used once: evaluated there, as if written out, its rows passed on rather than kept for a second use that never comes.
        this.lets.set(name, { kind: "table", table: () => this.tabular(expression) });
        return;
      }
      let cached: Table | undefined;
      // A let may be referenced more than once: keep its rows, not a one-shot stream.
      this.lets.set(name, {
        kind: "table",
        table: () => {
          if (!cached) {
            const table = evaluate();
            cached = { columns: table.columns, rows: materialize(table.rows) };
          }
          return cached;
        },
      });
      return;
    }
    this.lets.set(name, { kind: "scalar", value: evaluateConstant(expression, this.scope([])) });
  }

  /** `let V = view () { <tabular expression> }`: the view's expression, evaluated as a tabular let's. Other functions are refused. */
  private view(name: string, declaration: Node): Node {
    const parameters = elements(child(requiredChild(declaration, "Parameters"), "Parameters"));
    const body = requiredChild(declaration, "Body");
    const expression = child(body, "Expression");
    if (parameters.length > 0 || elements(child(body, "Statements")).length > 0 || !expression?.ResultType?.Columns)
      throw unsupported(`The user-defined function '${name}'`);
    return expression;
  }

  /**
   * `restrict access to (V, …)`: the statements after it see only those lets (views), no source table, as in Kusto's
   * row-level security for middle tiers. Views defined before it still read their tables.
   */
  private restrict(statement: Node): void {
    const visible = new Set<string>();
    (statement as unknown as { WalkNodes(action: (node: Node) => void): void }).WalkNodes((n) => {
      if (kindOf(n) === "NameReference") visible.add(simpleName(n));
      else if (kindOf(n) === "WildcardedName") throw unsupported("A wildcard in restrict access to");
    });
    for (const name of visible) if (this.lets.get(name)?.kind !== "table") throw unsupported(`restrict access to '${name}' (not a tabular let)`);
    const hidden = new Set([...this.lets].flatMap(([name, binding]) => (visible.has(name) ? [] : [binding])));
    this.restricted = { after: statement.TextStart + statement.Width, visible, hidden };
  }

  /** A source table's name read at `node`, refused after a restrict statement. */
  private visibleTable(node: Node, name: string): void {
    if (this.restricted && node.TextStart >= this.restricted.after)
      throw new KqlError("SemanticError", `'${name}' is not accessible: a restrict statement limits the query to ${[...this.restricted.visible].join(", ")}.`);
  }

  private tabular(node: Node): Table {
    switch (kindOf(node)) {
      case "ParenthesizedExpression":
        return this.tabular(requiredChild(node, "Expression"));
      case "NameReference":
        return this.named(node);
      case "PipeExpression": {
        const operator = requiredChild(node, "Operator");
        const input = requiredChild(node, "Expression");
        return applyOperator(operator, this.filteredTable(input, operator) ?? this.tabular(input), this.context);
      }
      case "UnionOperator":
        return applyOperator(node, null, this.context);
      case "FunctionCallExpression": {
        const name = simpleName(requiredChild(node, "Name"));
        const args = elements(child(requiredChild(node, "ArgumentList"), "Expressions"));
        if (name === "materialize" && args.length === 1) return this.tabular(args[0]!);
        throw unsupported(`The function '${name}()'`);
      }
      default:
        if (kindOf(node).endsWith("Operator")) throw unsupported(`The operator '${keywordOf(node)}'`);
        throw unsupported(`The tabular expression '${textOf(node)}'`);
    }
  }

  private named(node: Node): Table {
    const name = simpleName(node);
    if (symbolKind(node) === "TableSymbol" && name in appInsightsTables) {
      this.visibleTable(node, name);
      return this.table(name as AppInsightsTableName);
    }
    const binding = this.lets.get(name);
    // A let defined before the restrict statement and not listed is hidden after it; one defined after it is the query's own.
    if (binding && this.restricted?.hidden.has(binding)) this.visibleTable(node, name);
    if (binding?.kind === "table") return binding.table();
    throw unsupported(`The reference '${name}'`);
  }

  /**
   * `Table | where <condition on TimeGenerated>`: the table's rows asked of
   * the source over only the time the condition allows (a pushdown: a
   * generating source then makes only those buckets). The where itself still
   * runs on every row, so the answer is the same as without it.
   */
  private filteredTable(input: Node, operator: Node): Table | undefined {
    if (kindOf(input) !== "NameReference" || kindOf(operator) !== "FilterOperator") return undefined;
    const name = simpleName(input);
    if (symbolKind(input) !== "TableSymbol" || !(name in appInsightsTables)) return undefined;
    this.visibleTable(input, name);
    const bounds = timeBounds(requiredChild(operator, "Condition"), (node) => this.constant(node));
    if (bounds.start === undefined && bounds.end === undefined) return undefined;
    return this.table(name as AppInsightsTableName, {
      start: new Date(Math.max(this.start, bounds.start ?? -Infinity)),
      end: new Date(Math.min(this.end, bounds.end ?? Infinity)),
    });
  }

  /** A datetime the expression always has (a literal, `ago(1h)`, a scalar let), or undefined if it reads a column or is not a datetime. */
  private constant(node: Node): number | undefined {
    let columns = false;
    (node as unknown as { WalkNodes(action: (node: Node) => void): void }).WalkNodes((n) => {
      if (kindOf(n) === "NameReference" && symbolKind(n) === "ColumnSymbol") columns = true;
    });
    if (columns || typeOf(node) !== "datetime") return undefined;
    const value = evaluateConstant(node, this.scope([]));
    return typeof value === "number" ? value : undefined;
  }

  /** A source table's rows inside the query's time range (or the narrower `range` of a pushed-down where), as rows of the evaluator's values, streamed. */
  private table(name: AppInsightsTableName, range: KqlTimeRange = this.options.range): Table {
    // Only the columns the query can use or show: a row of 6 values instead of
    // 42 is most of the scan's cost on 250k rows.
    const columns = sourceColumns(name, this.needed);
    if (!this.source.columns) return { columns, rows: this.scan(name, columns, range) };
    return { columns, rows: this.scanColumns(name, columns, range), each: (sink) => this.eachColumns(name, columns, range, sink) };
  }

  /** The source's column batches as rows: no object per source row, only the evaluator's array. */
  private *scanColumns(name: AppInsightsTableName, columns: KqlColumn[], range: KqlTimeRange): Generator<Row> {
    const names = columns.map((c) => c.name);
    const types = columns.map((c) => c.type);
    const time = names.indexOf("TimeGenerated");
    const read = columns.flatMap((_, i) => (i !== time ? [i] : []));
    const width = columns.length;
    const { start, end } = this;
    for (const batch of this.source.columns!(name, range, names)) {
      const values = batch.values;
      const times = values[time]!;
      for (let r = 0; r < batch.length; r++) {
        if (r % rowsBetweenChecks === 0) checkQueryHeap();
        const t = fromSource(times[r], "datetime");
        // Log Analytics shows a query only the rows inside its timespan.
        if (typeof t !== "number" || t < start || t > end) continue;
        const row = new Array<unknown>(width);
        row[time] = t;
        for (let k = 0; k < read.length; k++) {
          const i = read[k]!;
          row[i] = fromSource(values[i]![r], types[i]!);
        }
        yield row;
      }
    }
  }

  /** The same rows as `scanColumns`, handed to `sink` in one array filled again for each row (Table.each). */
  private eachColumns(name: AppInsightsTableName, columns: KqlColumn[], range: KqlTimeRange, sink: (row: Row) => void): void {
    const names = columns.map((c) => c.name);
    const types = columns.map((c) => c.type);
    const time = names.indexOf("TimeGenerated");
    const read = columns.flatMap((_, i) => (i !== time ? [i] : []));
    const { start, end } = this;
    const row = new Array<unknown>(columns.length);
    for (const batch of this.source.columns!(name, range, names)) {
      const values = batch.values;
      const times = values[time]!;
      for (let r = 0; r < batch.length; r++) {
        if (r % rowsBetweenChecks === 0) checkQueryHeap();
        const t = fromSource(times[r], "datetime");
        if (typeof t !== "number" || t < start || t > end) continue;
        row[time] = t;
        for (let k = 0; k < read.length; k++) {
          const i = read[k]!;
          row[i] = fromSource(values[i]![r], types[i]!);
        }
        sink(row);
      }
    }
  }

  private *scan(name: AppInsightsTableName, columns: KqlColumn[], range: KqlTimeRange): Generator<Row> {
    const names = columns.map((c) => c.name);
    const types = columns.map((c) => c.type);
    const time = names.indexOf("TimeGenerated");
    const read = columns.flatMap((_, i) => (i !== time ? [i] : []));
    const width = columns.length;
    const { start, end } = this;
    let seen = 0;
    for (const record of this.source.rows(name, range)) {
      if (seen++ % rowsBetweenChecks === 0) checkQueryHeap();
      const t = fromSource(record.TimeGenerated, "datetime");
      // Log Analytics shows a query only the rows inside its timespan.
      if (typeof t !== "number" || t < start || t > end) continue;
      const row = new Array<unknown>(width);
      row[time] = t;
      for (let k = 0; k < read.length; k++) {
        const i = read[k]!;
        row[i] = fromSource(record[names[i]!], types[i]!);
      }
      yield row;
    }
  }
}

const rowByRowOperators = new Set([
  "FilterOperator",
  "ProjectOperator",
  "ExtendOperator",
  "ProjectAwayOperator",
  "ProjectKeepOperator",
  "ProjectRenameOperator",
  "ProjectReorderOperator",
]);

/** A source table with only operators that map each row on its own: nothing is gained by keeping its result. */
function streamable(node: Node): boolean {
  switch (kindOf(node)) {
    case "ParenthesizedExpression":
      return streamable(requiredChild(node, "Expression"));
    case "NameReference":
      return symbolKind(node) === "TableSymbol" && simpleName(node) in appInsightsTables;
    case "PipeExpression":
      return rowByRowOperators.has(kindOf(requiredChild(node, "Operator"))) && streamable(requiredChild(node, "Expression"));
    default:
      return false;
  }
}

/** A table's columns a query can read (`needed`), TimeGenerated always, in the schema's order. */
function sourceColumns(table: AppInsightsTableName, needed: ReadonlySet<string>): KqlColumn[] {
  return appInsightsTables[table].filter((c) => needed.has(c.name) || c.name === "TimeGenerated");
}

/**
 * The columns of each table the evaluator will ask a source's `columns` for
 * when it runs `query` (empty if the query does not parse): for a source
 * that prepares its rows ahead of the query.
 */
export function kqlSourceColumns(query: string): Map<AppInsightsTableName, string[]> {
  const { code, errors } = parseKql(query);
  const result = new Map<AppInsightsTableName, string[]>();
  if (errors.length > 0) return result;
  const needed = neededColumns(code.Syntax);
  for (const table of Object.keys(appInsightsTables) as AppInsightsTableName[])
    result.set(
      table,
      sourceColumns(table, needed).map((c) => c.name),
    );
  return result;
}

type Bounds = { start?: number; end?: number };

/**
 * The time range a where condition confines TimeGenerated to: from
 * `TimeGenerated >= x`, `> x`, `<= x`, `< x` (either way round), `between`,
 * and conjunctions of them with anything else. Bounds are inclusive (a
 * strict `>` still runs as written); anything else bounds nothing.
 */
function timeBounds(node: Node, constant: (node: Node) => number | undefined): Bounds {
  const isTime = (n: Node) => kindOf(n) === "NameReference" && symbolKind(n) === "ColumnSymbol" && simpleName(n) === "TimeGenerated";
  switch (kindOf(node)) {
    case "ParenthesizedExpression":
      return timeBounds(requiredChild(node, "Expression"), constant);
    case "BinaryExpression": {
      const operator = tokenText(node, "Operator");
      const left = requiredChild(node, "Left");
      const right = requiredChild(node, "Right");
      if (operator === "and") {
        const a = timeBounds(left, constant);
        const b = timeBounds(right, constant);
        return { start: maxOf(a.start, b.start), end: minOf(a.end, b.end) };
      }
      const flipped: Record<string, string> = { ">": "<", ">=": "<=", "<": ">", "<=": ">=" };
      let op = operator;
      let value: number | undefined;
      if (isTime(left)) value = constant(right);
      else if (isTime(right)) {
        value = constant(left);
        op = flipped[operator] ?? "";
      }
      if (value === undefined) return {};
      if (op === ">" || op === ">=") return { start: value };
      if (op === "<" || op === "<=") return { end: value };
      return {};
    }
    case "BetweenExpression": {
      if (tokenText(node, "Operator") !== "between" || !isTime(requiredChild(node, "Left"))) return {};
      const range = requiredChild(node, "Right");
      // A datetime high bound only: `between (start .. 1h)` (a timespan) bounds nothing here.
      return { start: constant(requiredChild(range, "First")), end: constant(requiredChild(range, "Second")) };
    }
    default:
      return {};
  }
}

const maxOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
const minOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/**
 * The source columns a query can need: every column it names, every column
 * in its results (a join's `AppRoleName1` or an outer union's `Name_string`
 * shows an unnamed source column), or all of them when it uses `*`.
 */
function neededColumns(root: Node): Set<string> {
  return analyze(root).needed;
}

/** `neededColumns`, and how often each name that is not a column's (a let, a table) is referenced, in one walk. */
function analyze(root: Node): { needed: Set<string>; uses: Map<string, number> } {
  const names = new Set<string>();
  const uses = new Map<string, number>();
  let star = false;
  (root as unknown as { WalkNodes(action: (node: Node) => void): void }).WalkNodes((node) => {
    const kind = kindOf(node);
    if (kind === "StarExpression") star = true;
    else if (kind === "NameReference" && symbolKind(node) === "ColumnSymbol") names.add(simpleName(node));
    else if (kind === "NameReference") uses.set(simpleName(node), (uses.get(simpleName(node)) ?? 0) + 1);
    else if (kind === "ExpressionStatement") {
      for (const column of columnsOf(requiredChild(node, "Expression").ResultType) ?? []) {
        names.add(column.name);
        names.add(column.name.replace(/\d+$/, ""));
        names.add(column.name.replace(/_(bool|datetime|dynamic|int|long|real|string|guid|decimal|timespan)$/, ""));
      }
    }
  });
  if (star) for (const columns of Object.values(appInsightsTables)) for (const c of columns) names.add(c.name);
  return { needed: names, uses };
}

// The tabular operators the sandbox evaluates. Output column names and types
// come from the parser's analysis of each operator (so `count_`,
// `sum_ItemCount`, `percentile_DurationMs_95`, `AppRoleName1` are the
// parser's names, not re-derived here); the values are computed here.
import type { KqlColumn } from "../app-insights-schema";
import { columnsOf, expressionResultName } from "./parse";
import { compileAggregate, emptyValue } from "./aggregates";
import type { AccumulatorFactory } from "./aggregates";
import { compileScalar, evaluateConstant, functionName } from "./scalar";
import type { Compiled, Scope } from "./scalar";
import { child, elements, kindOf, namedParameters, requiredChild, simpleName, textOf, tokenText } from "./syntax";
import type { Node } from "./syntax";
import { compareValues, compositeKey, keyOf, materialize, unsupported } from "./values";
import type { Row, Table } from "./values";

/** Evaluates a tabular expression (table, let name, pipe, union, …). */
export type TabularEvaluator = (node: Node) => Table;

export interface OperatorContext {
  evaluate: TabularEvaluator;
  /** Scope for expressions over `columns` (lets and now() included). */
  scope(columns: readonly KqlColumn[]): Scope;
}

export function applyOperator(op: Node, input: Table | null, context: OperatorContext): Table {
  const kind = kindOf(op);
  if (kind === "UnionOperator") return union(op, input, context);
  if (!input) throw unsupported(`The operator '${keywordOf(op)}' at the start of a query`);
  switch (kind) {
    case "FilterOperator":
      return filter(op, input, context);
    case "ProjectOperator":
      return project(op, input, context);
    case "ExtendOperator":
      return extend(op, input, context);
    case "ProjectAwayOperator":
    case "ProjectKeepOperator":
    case "ProjectReorderOperator":
    case "ProjectRenameOperator":
      return reshape(op, input);
    case "SummarizeOperator":
      return summarize(op, input, context);
    case "SortOperator":
      return sort(op, input, context);
    case "TopOperator":
      return top(op, input, context);
    case "TakeOperator":
      return take(op, input, context);
    case "DistinctOperator":
      return distinct(op, input, context);
    case "CountOperator": {
      let n = 0;
      for (const _ of input.rows) n++;
      return { columns: resultColumns(op), rows: [[n]] };
    }
    case "JoinOperator":
      return join(op, input, context);
    default:
      throw unsupported(`The operator '${keywordOf(op)}'`);
  }
}

/** The operator's first token: "mv-expand", "parse", "render", … */
export function keywordOf(node: Node): string {
  let current: Node | null = node;
  while (current && current.ChildCount > 0) current = current.GetChild(0);
  const text = (current as { Text?: string } | null)?.Text;
  return text || kindOf(node);
}

function resultColumns(op: Node): KqlColumn[] {
  const columns = columnsOf(op.ResultType);
  if (!columns) throw new Error(`the parser gave no result schema for ${kindOf(op)}`);
  return columns;
}

function indexOf(columns: readonly KqlColumn[], name: string): number {
  const index = columns.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`column ${name} is not in [${columns.map((c) => c.name).join(", ")}]`);
  return index;
}

function refuseParameters(op: Node, allowed: readonly string[]): Map<string, string> {
  const parameters = namedParameters(op);
  for (const name of parameters.keys()) {
    if (!allowed.includes(name) && !name.startsWith("hint.")) throw unsupported(`The parameter '${name}' of '${keywordOf(op)}'`);
  }
  return parameters;
}

function filter(op: Node, input: Table, context: OperatorContext): Table {
  refuseParameters(op, []);
  const condition = compileScalar(requiredChild(op, "Condition"), context.scope(input.columns));
  const each = input.each;
  return {
    columns: input.columns,
    rows: filtered(input.rows, condition),
    // A condition reads the row and keeps nothing of it: a reused buffer passes through as it is.
    ...(each
      ? {
          each: (sink: (row: Row) => void) =>
            each((row) => {
              if (condition(row) === true) sink(row);
            }),
        }
      : {}),
  };
}

function* filtered(rows: Iterable<Row>, condition: Compiled): Generator<Row> {
  for (const row of rows) if (condition(row) === true) yield row;
}

function* mapped(rows: Iterable<Row>, map: (row: Row) => Row): Generator<Row> {
  for (const row of rows) yield map(row);
}

/** The expression a (possibly named) column expression computes. */
function unnamed(node: Node): Node {
  const kind = kindOf(node);
  if (kind === "SimpleNamedExpression") return requiredChild(node, "Expression");
  if (kind === "CompoundNamedExpression") throw unsupported(`The tuple assignment '${textOf(node)}'`);
  return node;
}

function project(op: Node, input: Table, context: OperatorContext): Table {
  const columns = resultColumns(op);
  const expressions = elements(child(op, "Expressions"));
  if (expressions.length !== columns.length) throw unsupported(`'project' producing ${columns.length} columns from ${expressions.length} expressions`);
  const scope = context.scope(input.columns);
  const compiled = expressions.map((e) => compileScalar(unnamed(e), scope));
  const n = compiled.length;
  const rows = mapped(input.rows, (row) => {
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = compiled[i]!(row);
    return out;
  });
  return { columns, rows };
}

function extend(op: Node, input: Table, context: OperatorContext): Table {
  const result = resultColumns(op);
  const inputNames = new Set(input.columns.map((c) => c.name));
  const expressions = elements(child(op, "Expressions"));
  const declared = new Set(expressions.map(expressionResultName).filter((name) => name !== ""));
  const generated = result.map((c) => c.name).filter((name) => !inputNames.has(name) && !declared.has(name));
  // Every expression sees the input row (the parser rejects a reference to a
  // column made earlier in the same extend), so all compile against the input.
  const scope = context.scope(input.columns);
  const working: KqlColumn[] = [...input.columns];
  const steps: { index: number; compute: Compiled }[] = [];
  for (const expression of expressions) {
    let name = expressionResultName(expression);
    if (!name) {
      const next = generated.shift();
      if (!next) throw unsupported(`The extend expression '${textOf(expression)}'`);
      name = next;
    }
    const compute = compileScalar(unnamed(expression), scope);
    let index = working.findIndex((c) => c.name === name);
    if (index < 0) {
      index = working.length;
      working.push({ name, type: "dynamic" });
    }
    steps.push({ index, compute });
  }
  const width = working.length;
  // Source columns the query never uses were left out of the scan (see neededColumns); they are not here either.
  const columns = result.filter((c) => working.some((w) => w.name === c.name));
  const order = columns.map((c) => indexOf(working, c.name));
  const identity = order.every((index, i) => index === i) && order.length === width;
  const rows = mapped(input.rows, (row) => {
    const out = row.slice();
    out.length = width;
    for (const step of steps) out[step.index] = step.compute(row);
    return identity ? out : order.map((i) => out[i]);
  });
  return { columns, rows };
}

function reshape(op: Node, input: Table): Table {
  const columns = resultColumns(op);
  const renames = new Map<string, string>();
  if (kindOf(op) === "ProjectRenameOperator") {
    for (const e of elements(child(op, "Expressions"))) {
      if (kindOf(e) !== "SimpleNamedExpression") continue;
      renames.set(simpleName(requiredChild(e, "Name")), simpleName(requiredChild(e, "Expression")));
    }
  }
  const present = columns.filter((c) => input.columns.some((i) => i.name === (renames.get(c.name) ?? c.name)));
  const sources = present.map((c) => indexOf(input.columns, renames.get(c.name) ?? c.name));
  return { columns: present, rows: mapped(input.rows, (row) => sources.map((i) => row[i])) };
}

// ---------------------------------------------------------------- summarize

interface AggregateOutput {
  /** Columns this output fills. */
  width: number;
  /** Reads this output's value(s) from the group's accumulator results. */
  finish(results: unknown[]): unknown;
}

function summarize(op: Node, input: Table, context: OperatorContext): Table {
  refuseParameters(op, []);
  const columns = resultColumns(op);
  const scope = context.scope(input.columns);
  const byClause = child(op, "ByClause");
  const byExpressions = elements(byClause ? child(byClause, "Expressions") : null);
  const byCompiled = byExpressions.map((e) => compileScalar(unnamed(e), scope));

  const factories: AccumulatorFactory[] = [];
  const emptyValues: unknown[] = [];
  const outputs: AggregateOutput[] = [];
  for (const expression of elements(child(op, "Aggregates"))) {
    const inner = unnamed(expression);
    const tuple = inner.ResultType?.Columns ? columnsOf(inner.ResultType)?.map((c) => c.name) : undefined;
    if (tuple && kindOf(inner) === "FunctionCallExpression") {
      const slot = factories.length;
      const name = functionName(inner);
      factories.push(compileAggregate(inner, name, scope, tuple));
      emptyValues.push(tuple.map(() => null));
      outputs.push({ width: tuple.length, finish: (results) => results[slot] });
      continue;
    }
    // Any expression over aggregates: sum(DurationMs * ItemCount) / sum(ItemCount).
    const aggregateScope: Scope = {
      ...scope,
      aggregate: (call, name, callScope) => {
        const slot = factories.length;
        factories.push(compileAggregate(call, name, callScope, undefined));
        emptyValues.push(emptyValue(name));
        return (results) => results[slot];
      },
    };
    const compute = compileScalar(inner, aggregateScope);
    outputs.push({ width: 1, finish: compute });
  }
  const width = outputs.reduce((n, o) => n + o.width, byCompiled.length);
  if (width !== columns.length) throw new Error(`summarize produces ${width} columns, the parser expects ${columns.length}`);

  // One Map level per by-expression, not a composite string key per row: on a
  // million rows, building `role|resource id|minute` strings was most of the
  // operator's time and garbage. Groups keep first-seen order, as before.
  type Group = { keys: unknown[]; accumulators: ReturnType<AccumulatorFactory>[] };
  const groups: Group[] = [];
  const root = new Map<unknown, unknown>();
  const last = byCompiled.length - 1;
  const values = new Array<unknown>(byCompiled.length);
  const newGroup = (): Group => {
    const group = { keys: values.slice(), accumulators: factories.map((f) => f()) };
    groups.push(group);
    return group;
  };
  const add = (row: Row): void => {
    let group: Group | undefined;
    if (last < 0) group = groups[0] ?? newGroup();
    else {
      let level = root;
      for (let i = 0; i < last; i++) {
        const value = (values[i] = byCompiled[i]!(row));
        const key = keyOf(value ?? null);
        let next = level.get(key) as Map<unknown, unknown> | undefined;
        if (!next) level.set(key, (next = new Map()));
        level = next;
      }
      const value = (values[last] = byCompiled[last]!(row));
      const key = keyOf(value ?? null);
      group = level.get(key) as Group | undefined;
      if (!group) level.set(key, (group = newGroup()));
    }
    const accumulators = group.accumulators;
    for (let i = 0; i < accumulators.length; i++) accumulators[i]!.add(row);
  };
  // Aggregates that keep values, never the row itself (all but arg_max, arg_min and any), read a reused buffer as well as fresh rows.
  if (input.each && !factories.some((f) => f.keepsRows)) input.each(add);
  else for (const row of input.rows) add(row);
  const rows: Row[] = [];
  const emit = (keys: unknown[], results: unknown[]) => {
    const out: unknown[] = keys.slice();
    for (const output of outputs) {
      const value = output.finish(results);
      if (output.width === 1) out.push(value);
      else out.push(...(value as unknown[]));
    }
    rows.push(out);
  };
  for (const group of groups)
    emit(
      group.keys,
      group.accumulators.map((a) => a.result()),
    );
  // Without by, an empty input still gives one row of the aggregates' defaults.
  if (byCompiled.length === 0 && groups.length === 0) emit([], emptyValues);
  return { columns, rows };
}

// ---------------------------------------------------------------- ordering

interface SortKey {
  value: Compiled;
  descending: boolean;
  nullsFirst: boolean;
}

function sortKey(node: Node, scope: Scope): SortKey {
  let expression = node;
  let direction = "";
  let nulls = "";
  if (kindOf(node) === "OrderedExpression") {
    expression = requiredChild(node, "Expression");
    const ordering = child(node, "Ordering");
    if (ordering) {
      direction = tokenText(ordering, "AscOrDescKeyword");
      const nullsClause = child(ordering, "NullsClause");
      if (nullsClause) nulls = tokenText(nullsClause, "FirstOrLastKeyword");
    }
  }
  // KQL sorts descending unless told otherwise; nulls go first ascending and last descending.
  const descending = direction !== "asc";
  const nullsFirst = nulls ? nulls === "first" : !descending;
  return { value: compileScalar(expression, scope), descending, nullsFirst };
}

function sortRows(rows: Row[], keys: SortKey[]): Row[] {
  const decorated = rows.map((row, position) => ({ row, position, values: keys.map((k) => k.value(row)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const x = a.values[i];
      const y = b.values[i];
      const xNull = x === null || x === undefined;
      const yNull = y === null || y === undefined;
      if (xNull || yNull) {
        if (xNull && yNull) continue;
        return xNull === key.nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c !== 0) return key.descending ? -c : c;
    }
    return a.position - b.position;
  });
  return decorated.map((d) => d.row);
}

function sort(op: Node, input: Table, context: OperatorContext): Table {
  refuseParameters(op, []);
  const scope = context.scope(input.columns);
  const keys = elements(child(op, "Expressions")).map((e) => sortKey(e, scope));
  return { columns: input.columns, rows: sortRows(materialize(input.rows), keys) };
}

function count(node: Node, context: OperatorContext, what: string): number {
  const value = evaluateConstant(node, context.scope([]));
  if (typeof value !== "number" || value < 0) throw unsupported(`A ${what} count that is not a non-negative constant ('${textOf(node)}')`);
  return Math.floor(value);
}

function top(op: Node, input: Table, context: OperatorContext): Table {
  refuseParameters(op, []);
  const n = count(requiredChild(op, "Expression"), context, "top");
  const key = sortKey(requiredChild(op, "ByExpression"), context.scope(input.columns));
  return { columns: input.columns, rows: sortRows(materialize(input.rows), [key]).slice(0, n) };
}

function take(op: Node, input: Table, context: OperatorContext): Table {
  refuseParameters(op, []);
  const n = count(requiredChild(op, "Expression"), context, "take");
  return { columns: input.columns, rows: firstRows(input.rows, n) };
}

function* firstRows(rows: Iterable<Row>, n: number): Generator<Row> {
  if (n <= 0) return;
  let taken = 0;
  for (const row of rows) {
    yield row;
    if (++taken >= n) return;
  }
}

function distinct(op: Node, input: Table, context: OperatorContext): Table {
  refuseParameters(op, []);
  const columns = resultColumns(op);
  const expressions = elements(child(op, "Expressions"));
  const star = expressions.some((e) => kindOf(e) === "StarExpression");
  const scope = context.scope(input.columns);
  const compiled = star
    ? columns.map((c) => {
        const index = indexOf(input.columns, c.name);
        return (row: Row) => row[index];
      })
    : expressions.map((e) => compileScalar(unnamed(e), scope));
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const row of input.rows) {
    const values = compiled.map((f) => f(row));
    const key = compositeKey(values);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(values);
  }
  return { columns, rows };
}

// ---------------------------------------------------------------- join and union

const joinKinds = new Set(["inner", "innerunique", "leftouter", "leftsemi", "leftanti"]);

function join(op: Node, left: Table, context: OperatorContext): Table {
  const parameters = refuseParameters(op, ["kind"]);
  const kind = parameters.get("kind") ?? "innerunique";
  if (!joinKinds.has(kind)) throw unsupported(`The join kind '${kind}'`);
  const right = context.evaluate(requiredChild(op, "Expression"));
  const condition = requiredChild(op, "ConditionClause");
  if (kindOf(condition) !== "JoinOnClause") throw unsupported(`The join condition '${textOf(condition)}' (only 'on')`);

  const leftKeys: Compiled[] = [];
  const rightKeys: Compiled[] = [];
  for (const key of elements(child(condition, "Expressions"))) {
    if (kindOf(key) === "NameReference") {
      const name = simpleName(key);
      leftKeys.push(columnReader(left.columns, name));
      rightKeys.push(columnReader(right.columns, name));
      continue;
    }
    if (kindOf(key) === "BinaryExpression" && tokenText(key, "Operator") === "==") {
      const sides = [requiredChild(key, "Left"), requiredChild(key, "Right")].map((side) => sideOf(side));
      const l = sides.find((s) => s.side === "$left");
      const r = sides.find((s) => s.side === "$right");
      if (l && r) {
        leftKeys.push(columnReader(left.columns, l.column));
        rightKeys.push(columnReader(right.columns, r.column));
        continue;
      }
    }
    throw unsupported(`The join key '${textOf(key)}' (only a column name or $left.X == $right.Y)`);
  }

  const keyFor = (readers: Compiled[], row: Row): unknown => {
    if (readers.length === 1) {
      const v = readers[0]!(row);
      return v === null || v === undefined ? undefined : keyOf(v);
    }
    const values = readers.map((f) => f(row));
    return values.some((v) => v === null || v === undefined) ? undefined : compositeKey(values);
  };

  // One right row per key is kept as itself, a list only from the second: the map query's right side is ~700,000
  // (operation, parent) pairs at 2,000 roles, nearly all unique.
  const index = new Map<unknown, Row | Row[]>();
  const many = new Set<Row[]>();
  for (const row of right.rows) {
    const key = keyFor(rightKeys, row);
    if (key === undefined) continue;
    const found = index.get(key);
    if (found === undefined) index.set(key, row);
    else if (many.has(found as Row[])) (found as Row[]).push(row);
    else {
      const list = [found as Row, row];
      many.add(list);
      index.set(key, list);
    }
  }
  const matchesOf = (key: unknown): Row[] | undefined => {
    if (key === undefined) return undefined;
    const found = index.get(key);
    return found === undefined ? undefined : many.has(found as Row[]) ? (found as Row[]) : [found as Row];
  };

  const columns = resultColumns(op);
  const nullRight = new Array<unknown>(right.columns.length).fill(null);
  // Streamed to the next operator (a summarize, as in the map query) rather than kept: the joined rows outnumber both inputs' kept ones.
  function* joined(): Generator<Row> {
    const seenLeft = new Set<unknown>();
    for (const row of left.rows) {
      const key = keyFor(leftKeys, row);
      const matches = matchesOf(key);
      switch (kind) {
        case "leftsemi":
          if (matches) yield row;
          break;
        case "leftanti":
          if (!matches) yield row;
          break;
        case "leftouter":
          if (matches) for (const match of matches) yield row.concat(match);
          else yield row.concat(nullRight);
          break;
        case "innerunique":
          // innerunique keeps one left row per key value before matching.
          if (key === undefined || seenLeft.has(key)) break;
          seenLeft.add(key);
          if (matches) for (const match of matches) yield row.concat(match);
          break;
        default:
          if (matches) for (const match of matches) yield row.concat(match);
      }
    }
  }
  const rows = joined();
  if (kind === "leftsemi" || kind === "leftanti") return { columns: left.columns, rows };
  // The parser's columns are the left input's full schema, then the right's
  // (clashing names suffixed 1); the inputs may lack source columns the query
  // never uses, so each present column finds its place by name.
  const rightFull = columnsOf(requiredChild(op, "Expression").ResultType);
  if (!rightFull) throw new Error("the parser gave no schema for the right side of the join");
  const leftCount = columns.length - rightFull.length;
  const leftNames = columns.slice(0, leftCount).map((c) => c.name);
  const rightNames = rightFull.map((c) => c.name);
  const placed = [...left.columns.map((c) => columns[leftNames.indexOf(c.name)]), ...right.columns.map((c) => columns[leftCount + rightNames.indexOf(c.name)])];
  if (placed.some((c) => c === undefined)) throw new Error("join inputs do not match the parser's schema");
  return { columns: placed as KqlColumn[], rows };
}

function sideOf(node: Node): { side: string; column: string } {
  if (kindOf(node) !== "PathExpression") return { side: "", column: "" };
  const target = requiredChild(node, "Expression");
  return { side: simpleName(target), column: simpleName(requiredChild(node, "Selector")) };
}

function columnReader(columns: readonly KqlColumn[], name: string): Compiled {
  const index = indexOf(columns, name);
  return (row) => row[index];
}

function union(op: Node, input: Table | null, context: OperatorContext): Table {
  const parameters = refuseParameters(op, ["kind", "isfuzzy"]);
  const kind = parameters.get("kind") ?? "outer";
  if (kind !== "outer" && kind !== "inner") throw unsupported(`The union kind '${kind}'`);
  const tables = [...(input ? [input] : []), ...elements(child(op, "Expressions")).map((e) => context.evaluate(e))];
  const matches = (table: Table, column: KqlColumn) => table.columns.findIndex((c) => c.name === column.name || `${c.name}_${c.type}` === column.name);
  const columns = resultColumns(op).filter((column) => tables.some((table) => matches(table, column) >= 0));
  const parts = tables.map((table) => ({
    rows: table.rows,
    sources: columns.map((column) => {
      let index = table.columns.findIndex((c) => c.name === column.name);
      if (index < 0) {
        // An outer union names clashing columns Name_type.
        index = table.columns.findIndex((c) => `${c.name}_${c.type}` === column.name);
      }
      return index;
    }),
  }));
  // Passed on as a stream, table after table, like where and extend: the next operator's rows, not a copy of them all, are what is kept.
  return { columns, rows: unioned(parts) };
}

function* unioned(parts: readonly { rows: Iterable<Row>; sources: number[] }[]): Generator<Row> {
  for (const { rows, sources } of parts) for (const row of rows) yield sources.map((i) => (i < 0 ? null : row[i]));
}

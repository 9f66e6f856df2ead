// Aggregation functions for summarize. Each aggregate call compiles once into
// a factory; every group gets its own accumulator. Nulls are skipped, as in
// KQL; on no values count/countif/dcount/sum/sumif give 0, make_set/make_list
// [] and every other aggregate null (the summarize operator's documented
// defaults).
import { callArguments, compileScalar } from "./scalar";
import type { Compiled, Scope } from "./scalar";
import { kindOf } from "./syntax";
import type { Node } from "./syntax";
import { compareValues, keyOf, unsupported } from "./values";
import type { Row } from "./values";

export interface Accumulator {
  add(row: Row): void;
  /** One value, or for a multi-column aggregate (percentiles, arg_max, any) one per column. */
  result(): unknown;
}

export interface AccumulatorFactory {
  (): Accumulator;
  /** Its accumulators keep a row they were given (arg_max, arg_min, any), so rows must not be reused buffers. */
  keepsRows?: boolean;
}

function keepingRows(factory: () => Accumulator): AccumulatorFactory {
  return Object.assign(factory, { keepsRows: true });
}

const always: Compiled = () => true;

/**
 * Compiles `call` (an aggregate function call) over rows of `scope`.
 * `outputs` is the number of columns it yields per the parser (tuple results
 * for percentiles, arg_max, arg_min, any with several arguments or *).
 */
export function compileAggregate(call: Node, name: string, scope: Scope, tupleColumns: readonly string[] | undefined): AccumulatorFactory {
  const args = callArguments(call);
  const arg = (i: number) => compileScalar(args[i]!, scope);
  switch (name) {
    case "count":
      return countOf(always);
    case "countif":
      return countOf(arg(0));
    case "sum":
      return sumOf(arg(0), always);
    case "sumif":
      return sumOf(arg(0), arg(1));
    case "avg":
      return avgOf(arg(0), always);
    case "avgif":
      return avgOf(arg(0), arg(1));
    case "min":
      return extremeOf(arg(0), always, (c) => c < 0);
    case "minif":
      return extremeOf(arg(0), arg(1), (c) => c < 0);
    case "max":
      return extremeOf(arg(0), always, (c) => c > 0);
    case "maxif":
      return extremeOf(arg(0), arg(1), (c) => c > 0);
    case "dcount":
      return dcountOf(arg(0), always);
    case "dcountif":
      return dcountOf(arg(0), arg(1));
    case "make_set":
      return collectOf(arg(0), args[1] ? constantNumber(args[1], scope) : Infinity, true);
    case "make_list":
      return collectOf(arg(0), args[1] ? constantNumber(args[1], scope) : Infinity, false);
    case "percentile":
      return percentilesOf(arg(0), null, [constantNumber(args[1]!, scope)], false);
    case "percentiles":
      return percentilesOf(
        arg(0),
        null,
        args.slice(1).map((a) => constantNumber(a, scope)),
        true,
      );
    case "percentilew":
      return percentilesOf(arg(0), arg(1), [constantNumber(args[2]!, scope)], false);
    case "percentilesw":
      return percentilesOf(
        arg(0),
        arg(1),
        args.slice(2).map((a) => constantNumber(a, scope)),
        true,
      );
    case "arg_max":
    case "arg_min":
      return argExtremeOf(args, scope, tupleColumns, name === "arg_max" ? (c) => c > 0 : (c) => c < 0);
    case "any":
    case "take_any":
      return anyOf(args, scope, tupleColumns);
    default:
      throw unsupported(`The aggregate '${name}()'`);
  }
}

/** The result type an aggregate's single column has when there were no values. */
export function emptyValue(name: string): unknown {
  switch (name) {
    case "count":
    case "countif":
    case "dcount":
    case "dcountif":
    case "sum":
    case "sumif":
      return 0;
    case "make_set":
    case "make_list":
      return [];
    default:
      return null;
  }
}

function constantNumber(node: Node, scope: Scope): number {
  const value = compileScalar(node, scope)([]);
  if (typeof value !== "number") throw unsupported(`A non-constant aggregate parameter ('${kindOf(node)}')`);
  return value;
}

// The most used accumulators are classes: a group then costs one small
// object, not an object and two closures (113,000 groups of the health
// query's per-minute summarize were most of a query's heap).
class Count implements Accumulator {
  private n = 0;
  constructor(private readonly predicate: Compiled) {}
  add(row: Row): void {
    if (this.predicate(row) === true) this.n++;
  }
  result(): unknown {
    return this.n;
  }
}

function countOf(predicate: Compiled): AccumulatorFactory {
  return () => new Count(predicate);
}

class Sum implements Accumulator {
  private total = 0;
  constructor(
    private readonly value: Compiled,
    private readonly predicate: Compiled,
  ) {}
  add(row: Row): void {
    if (this.predicate(row) !== true) return;
    const v = this.value(row);
    if (typeof v === "number") this.total += v;
  }
  result(): unknown {
    return this.total;
  }
}

function sumOf(value: Compiled, predicate: Compiled): AccumulatorFactory {
  return () => new Sum(value, predicate);
}

function avgOf(value: Compiled, predicate: Compiled): AccumulatorFactory {
  return () => {
    let total = 0;
    let n = 0;
    return {
      add(row) {
        if (predicate(row) !== true) return;
        const v = value(row);
        if (typeof v === "number") {
          total += v;
          n++;
        }
      },
      result() {
        return n === 0 ? null : total / n;
      },
    };
  };
}

function extremeOf(value: Compiled, predicate: Compiled, better: (c: number) => boolean): AccumulatorFactory {
  return () => {
    let best: unknown = null;
    return {
      add(row) {
        if (predicate(row) !== true) return;
        const v = value(row);
        if (v === null || v === undefined) return;
        if (best === null || better(compareValues(v, best))) best = v;
      },
      result() {
        return best;
      },
    };
  };
}

function dcountOf(value: Compiled, predicate: Compiled): AccumulatorFactory {
  return () => {
    const seen = new Set<unknown>();
    return {
      add(row) {
        if (predicate(row) !== true) return;
        const v = value(row);
        if (v !== null && v !== undefined) seen.add(keyOf(v));
      },
      result() {
        return seen.size;
      },
    };
  };
}

function collectOf(value: Compiled, max: number, distinct: boolean): AccumulatorFactory {
  return () => {
    const values: unknown[] = [];
    const seen = new Set<unknown>();
    return {
      add(row) {
        if (values.length >= max) return;
        const v = value(row);
        if (v === null || v === undefined) return;
        if (distinct) {
          const key = keyOf(v);
          if (seen.has(key)) return;
          seen.add(key);
        }
        values.push(v);
      },
      result() {
        return values;
      },
    };
  };
}

/**
 * Nearest-rank percentiles, weighted when `weight` is given: the smallest
 * value whose cumulative weight reaches p% of the total. Kusto estimates with
 * T-Digest, which on small inputs returns the same sample values.
 */
class Percentiles implements Accumulator {
  private readonly values: number[] = [];
  private readonly weights: number[] = [];
  constructor(
    private readonly value: Compiled,
    private readonly weight: Compiled | null,
    private readonly percents: number[],
    private readonly tuple: boolean,
  ) {}
  add(row: Row): void {
    const v = this.value(row);
    if (typeof v !== "number" || Number.isNaN(v)) return;
    if (this.weight) {
      const w = this.weight(row);
      if (typeof w !== "number" || w <= 0) return;
      this.weights.push(w);
    }
    this.values.push(v);
  }
  result(): unknown {
    const results = this.percents.map((p) => nearestRank(this.values, this.weight ? this.weights : null, p));
    return this.tuple ? results : results[0];
  }
}

function percentilesOf(value: Compiled, weight: Compiled | null, percents: number[], tuple: boolean): AccumulatorFactory {
  return () => new Percentiles(value, weight, percents, tuple);
}

function nearestRank(values: number[], weights: number[] | null, percent: number): number | null {
  const n = values.length;
  if (n === 0) return null;
  if (n === 1) return values[0]!;
  const order = sortedOrder(values);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights ? weights[i]! : 1;
  const target = (Math.min(Math.max(percent, 0), 100) / 100) * total;
  let cumulative = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    cumulative += weights ? weights[i]! : 1;
    if (cumulative >= target && cumulative > 0) return values[i]!;
  }
  return values[order[n - 1]!]!;
}

/** Up to this many values are ordered by insertion into a reused buffer: most groups (a role's minute) hold a dozen. */
const smallSort = 64;
let scratch = new Int32Array(smallSort);

/**
 * The positions of `values` from the smallest value up, equal values in
 * their order of arrival (a stable sort): for a small group in a buffer
 * reused for every group (valid until the next call), else a new array.
 */
function sortedOrder(values: readonly number[]): ArrayLike<number> {
  const n = values.length;
  if (n > smallSort) {
    const order = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => values[a]! - values[b]!);
  }
  if (scratch.length < n) scratch = new Int32Array(n);
  const order = scratch;
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    let j = i;
    // Only past strictly greater values: an equal one that came first stays first.
    while (j > 0 && values[order[j - 1]!]! > value) {
      order[j] = order[j - 1]!;
      j--;
    }
    order[j] = i;
  }
  return order;
}

/** The column compilers for the arguments after the first of arg_max/arg_min/any, expanding `*` by the parser's tuple. */
function extraColumns(args: Node[], scope: Scope, tupleColumns: readonly string[], skip: number): Compiled[] {
  const star = args.slice(skip).some((a) => kindOf(a) === "StarExpression");
  if (!star) return args.slice(skip).map((a) => compileScalar(a, scope));
  if (args.length !== skip + 1) throw unsupported("'*' together with other columns in arg_max/arg_min/any");
  return tupleColumns.slice(skip === 1 ? 1 : 0).map((name) => {
    const index = scope.columns.get(name);
    if (index === undefined) throw new Error(`column ${name} of * is not in scope`);
    return (row: Row) => row[index];
  });
}

function argExtremeOf(args: Node[], scope: Scope, tupleColumns: readonly string[] | undefined, better: (c: number) => boolean): AccumulatorFactory {
  const value = compileScalar(args[0]!, scope);
  const columns = extraColumns(args, scope, tupleColumns ?? [], 1);
  return keepingRows(() => {
    let best: unknown = null;
    let bestRow: Row | null = null;
    return {
      add(row) {
        const v = value(row);
        if (v === null || v === undefined) return;
        if (best === null || better(compareValues(v, best))) {
          best = v;
          bestRow = row;
        }
      },
      result() {
        const row = bestRow;
        return [best, ...columns.map((c) => (row ? c(row) : null))];
      },
    };
  });
}

function anyOf(args: Node[], scope: Scope, tupleColumns: readonly string[] | undefined): AccumulatorFactory {
  const columns = extraColumns(args, scope, tupleColumns ?? [], 0);
  const single = !tupleColumns;
  return keepingRows(() => {
    let first: Row | null = null;
    return {
      add(row) {
        if (first === null) first = row;
      },
      result() {
        const row = first;
        const values = columns.map((c) => (row ? c(row) : null));
        return single ? values[0] : values;
      },
    };
  });
}

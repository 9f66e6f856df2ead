// Scalar expressions compiled once per operator into closures over a row, so
// a where or extend over 250k rows does no tree walking per row.
import type { KqlColumnType } from "../app-insights-schema";
import type { Table } from "./values";
import {
  MS_PER_DAY,
  TICKS_EPOCH_OFFSET_MS,
  compareValues,
  parseDatetime,
  parseTimespan,
  toBoolOrNull,
  toKqlString,
  toNumberOrNull,
  unsupported,
} from "./values";
import type { Row } from "./values";
import { child, elements, kindOf, requiredChild, simpleName, symbolKind, textOf, tokenText, typeOf } from "./syntax";
import type { Node } from "./syntax";

export type Compiled = (row: Row) => unknown;

export type LetBinding = { kind: "scalar"; value: unknown } | { kind: "table"; table: () => Table };

export interface Scope {
  /** Column name → index in the row. */
  columns: ReadonlyMap<string, number>;
  lets: ReadonlyMap<string, LetBinding>;
  now: number;
  /** Inside summarize: compiles an aggregate call (sum(…), count(), …) into a read of its result. */
  aggregate?: (call: Node, name: string, scope: Scope) => Compiled;
  /** Inside a join's on clause: where $left.X and $right.Y are in the combined row. */
  join?: { left: ReadonlyMap<string, number>; right: ReadonlyMap<string, number> };
}

export const aggregateNames: ReadonlySet<string> = new Set([
  "count",
  "countif",
  "sum",
  "sumif",
  "avg",
  "avgif",
  "min",
  "max",
  "minif",
  "maxif",
  "dcount",
  "dcountif",
  "percentile",
  "percentiles",
  "percentilew",
  "percentilesw",
  "arg_max",
  "arg_min",
  "any",
  "take_any",
  "make_set",
  "make_list",
]);

const isIntegral = (type: KqlColumnType | undefined) => type === "int" || type === "long";

export function compileScalar(node: Node, scope: Scope): Compiled {
  switch (kindOf(node)) {
    case "LiteralExpression": {
      const value = literalValue(node);
      return () => value;
    }
    case "DynamicExpression": {
      const value = dynamicLiteral(node);
      return () => value;
    }
    case "ParenthesizedExpression":
      return compileScalar(requiredChild(node, "Expression"), scope);
    case "NameReference":
      return compileName(node, scope);
    case "BinaryExpression":
      return compileBinary(node, scope);
    case "InExpression":
      return compileIn(node, scope);
    case "BetweenExpression":
      return compileBetween(node, scope);
    case "PrefixUnaryExpression": {
      const operand = compileScalar(requiredChild(node, "Expression"), scope);
      const op = tokenText(node, "Operator");
      if (op === "-") return (row) => negate(operand(row));
      return operand;
    }
    case "FunctionCallExpression":
      return compileCall(node, scope);
    case "PathExpression":
      return compilePath(node, scope);
    case "ElementExpression": {
      const target = compileScalar(requiredChild(node, "Expression"), scope);
      const selector = compileScalar(requiredChild(requiredChild(node, "Selector"), "Expression"), scope);
      return (row) => dynamicMember(target(row), selector(row));
    }
    case "BracketedExpression":
      return compileScalar(requiredChild(node, "Expression"), scope);
    case "ToScalarExpression":
      throw unsupported("The function 'toscalar()'");
    default: {
      // has_any, has_all, …: name the operator the user wrote.
      const operator = tokenText(node, "Operator");
      throw unsupported(operator ? `The operator '${operator}'` : `The expression '${textOf(node)}' (${kindOf(node)})`);
    }
  }
}

function negate(value: unknown): unknown {
  return typeof value === "number" ? -value : null;
}

function compileName(node: Node, scope: Scope): Compiled {
  const name = simpleName(node);
  const symbol = symbolKind(node);
  if (symbol === "ColumnSymbol") {
    const index = scope.columns.get(name);
    if (index === undefined) throw new Error(`column ${name} is not in scope`);
    return (row) => row[index];
  }
  const binding = scope.lets.get(name);
  if (binding?.kind === "scalar") {
    const value = binding.value;
    return () => value;
  }
  throw unsupported(`The reference '${name}' (${symbol || "unknown symbol"}) in an expression`);
}

function compilePath(node: Node, scope: Scope): Compiled {
  const target = requiredChild(node, "Expression");
  const selector = requiredChild(node, "Selector");
  const side = kindOf(target) === "NameReference" ? simpleName(target) : "";
  if ((side === "$left" || side === "$right") && scope.join) {
    const index = (side === "$left" ? scope.join.left : scope.join.right).get(simpleName(selector));
    if (index === undefined) throw new Error(`${side}.${simpleName(selector)} is not in scope`);
    return (row) => row[index];
  }
  const compiledTarget = compileScalar(target, scope);
  const member = kindOf(selector) === "BracketedExpression" ? textOf(requiredChild(selector, "Expression")) : simpleName(selector);
  return (row) => dynamicMember(compiledTarget(row), member);
}

function dynamicMember(value: unknown, member: unknown): unknown {
  if (value === null || value === undefined || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    if (typeof member !== "number") return null;
    const index = member < 0 ? value.length + member : member;
    return value[index] ?? null;
  }
  const result = (value as Record<string, unknown>)[String(member)];
  return result === undefined ? null : result;
}

// ---------------------------------------------------------------- literals

function literalValue(node: Node): unknown {
  const type = typeOf(node);
  const text = textOf(node);
  const inner = /^[a-z]+\((.*)\)$/is.exec(text)?.[1]?.trim();
  if (inner !== undefined && inner.toLowerCase() === "null") return type === "string" ? "" : null;
  switch (type) {
    case "string": {
      const info = node["LiteralValueInfo"] as { Value?: unknown } | null;
      return typeof info?.Value === "string" ? info.Value : "";
    }
    case "bool":
      return (inner ?? text).toLowerCase() === "true";
    case "int":
    case "long":
    case "real":
    case "decimal": {
      const source = (inner ?? text).toLowerCase();
      if (source === "nan") return NaN;
      if (source === "+inf" || source === "inf") return Infinity;
      if (source === "-inf") return -Infinity;
      const n = Number(source);
      if (Number.isNaN(n)) throw unsupported(`The literal '${text}'`);
      return n;
    }
    case "datetime": {
      const ms = parseDatetime(inner ?? text);
      if (ms === null) throw unsupported(`The datetime literal '${text}'`);
      return ms;
    }
    case "timespan": {
      const ms = parseTimespan(inner ?? text);
      if (ms === null) throw unsupported(`The timespan literal '${text}'`);
      return ms;
    }
    default:
      throw unsupported(`The literal '${text}'`);
  }
}

function dynamicLiteral(node: Node): unknown {
  const inner = textOf(requiredChild(node, "Expression"));
  if (inner === "null") return null;
  try {
    return JSON.parse(inner) as unknown;
  } catch {
    throw unsupported(`The dynamic literal '${textOf(node)}' (only JSON values)`);
  }
}

// ---------------------------------------------------------------- operators

type Binary = (a: unknown, b: unknown) => unknown;

const lower = (v: unknown) => (typeof v === "string" ? v : toKqlString(v, undefined)).toLowerCase();
const str = (v: unknown) => (typeof v === "string" ? v : toKqlString(v, undefined));

function hasTerm(haystack: string, needle: string, caseSensitive: boolean): boolean {
  if (needle === "") return true;
  const h = caseSensitive ? haystack : haystack.toLowerCase();
  const n = caseSensitive ? needle : needle.toLowerCase();
  let from = 0;
  for (;;) {
    const at = h.indexOf(n, from);
    if (at < 0) return false;
    const before = at === 0 ? "" : h[at - 1]!;
    const after = at + n.length >= h.length ? "" : h[at + n.length]!;
    if (!/[\p{L}\p{N}_]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) return true;
    from = at + 1;
  }
}

/** String operators: null-free (KQL strings are never null), true/false on their text. */
const stringOperators: Readonly<Record<string, Binary>> = {
  "=~": (a, b) => lower(a) === lower(b),
  "!~": (a, b) => lower(a) !== lower(b),
  contains: (a, b) => lower(a).includes(lower(b)),
  "!contains": (a, b) => !lower(a).includes(lower(b)),
  contains_cs: (a, b) => str(a).includes(str(b)),
  "!contains_cs": (a, b) => !str(a).includes(str(b)),
  has: (a, b) => hasTerm(str(a), str(b), false),
  "!has": (a, b) => !hasTerm(str(a), str(b), false),
  has_cs: (a, b) => hasTerm(str(a), str(b), true),
  "!has_cs": (a, b) => !hasTerm(str(a), str(b), true),
  startswith: (a, b) => lower(a).startsWith(lower(b)),
  "!startswith": (a, b) => !lower(a).startsWith(lower(b)),
  startswith_cs: (a, b) => str(a).startsWith(str(b)),
  "!startswith_cs": (a, b) => !str(a).startsWith(str(b)),
  endswith: (a, b) => lower(a).endsWith(lower(b)),
  "!endswith": (a, b) => !lower(a).endsWith(lower(b)),
  endswith_cs: (a, b) => str(a).endsWith(str(b)),
  "!endswith_cs": (a, b) => !str(a).endsWith(str(b)),
};

function equalValues(a: unknown, b: unknown): boolean {
  if (typeof a === "object" || typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function compileBinary(node: Node, scope: Scope): Compiled {
  const op = tokenText(node, "Operator");
  const left = compileScalar(requiredChild(node, "Left"), scope);
  const right = compileScalar(requiredChild(node, "Right"), scope);
  switch (op) {
    case "and":
      return (row) => {
        const a = left(row);
        if (a === false) return false;
        const b = right(row);
        if (b === false) return false;
        return a === true && b === true ? true : null;
      };
    case "or":
      return (row) => {
        const a = left(row);
        if (a === true) return true;
        const b = right(row);
        if (b === true) return true;
        return a === false && b === false ? false : null;
      };
    case "==":
      return (row) => {
        const a = left(row);
        const b = right(row);
        return a === null || b === null ? null : equalValues(a, b);
      };
    case "!=":
    case "<>":
      return (row) => {
        const a = left(row);
        const b = right(row);
        return a === null || b === null ? null : !equalValues(a, b);
      };
    case "<":
      return (row) => compareOrNull(left(row), right(row), (c) => c < 0);
    case "<=":
      return (row) => compareOrNull(left(row), right(row), (c) => c <= 0);
    case ">":
      return (row) => compareOrNull(left(row), right(row), (c) => c > 0);
    case ">=":
      return (row) => compareOrNull(left(row), right(row), (c) => c >= 0);
    case "+":
      return numeric(left, right, (a, b) => a + b);
    case "-":
      return numeric(left, right, (a, b) => a - b);
    case "*":
      return numeric(left, right, (a, b) => a * b);
    case "/":
      // Dividing longs (or ints) is integer division in KQL, truncating toward zero.
      if (isIntegral(typeOf(node))) return numeric(left, right, (a, b) => (b === 0 ? null : Math.trunc(a / b)));
      return numeric(left, right, (a, b) => a / b);
    case "%":
      return numeric(left, right, (a, b) => (b === 0 ? null : a % b));
    case "matches regex": {
      const pattern = constantRegex(requiredChild(node, "Right"), scope, "");
      return (row) => pattern.test(str(left(row)));
    }
    default: {
      const operator = stringOperators[op];
      if (!operator) throw unsupported(`The operator '${op}'`);
      return (row) => operator(left(row), right(row));
    }
  }
}

function compareOrNull(a: unknown, b: unknown, test: (c: number) => boolean): boolean | null {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  return test(compareValues(a, b));
}

function numeric(left: Compiled, right: Compiled, apply: (a: number, b: number) => number | null): Compiled {
  return (row) => {
    const a = left(row);
    if (typeof a !== "number") return null;
    const b = right(row);
    if (typeof b !== "number") return null;
    return apply(a, b);
  };
}

function compileIn(node: Node, scope: Scope): Compiled {
  const op = tokenText(node, "Operator");
  const left = compileScalar(requiredChild(node, "Left"), scope);
  const listNodes = elements(child(requiredChild(node, "Right"), "Expressions"));
  const caseInsensitive = op.endsWith("~");
  const negated = op.startsWith("!");
  const values: unknown[] = [];
  for (const item of listNodes) {
    const kind = typeOf(item);
    if (!isConstant(item)) throw unsupported(`'${op}' with a non-constant list ('${textOf(item)}')`);
    const value = compileScalar(item, scope)([]);
    // A dynamic array in the list contributes its elements.
    if (kind === "dynamic" && Array.isArray(value)) values.push(...(value as unknown[]));
    else values.push(value);
  }
  const set = new Set(values.map((v) => (caseInsensitive ? lower(v) : typeof v === "object" && v !== null ? JSON.stringify(v) : v)));
  return (row) => {
    const value = left(row);
    if (value === null) return negated ? null : false;
    const key = caseInsensitive ? lower(value) : value;
    return negated ? !set.has(key) : set.has(key);
  };
}

function compileBetween(node: Node, scope: Scope): Compiled {
  const negated = tokenText(node, "Operator").startsWith("!");
  const left = compileScalar(requiredChild(node, "Left"), scope);
  const couple = requiredChild(node, "Right");
  const low = compileScalar(requiredChild(couple, "First"), scope);
  const high = compileScalar(requiredChild(couple, "Second"), scope);
  const leftType = typeOf(requiredChild(node, "Left"));
  const secondType = typeOf(requiredChild(couple, "Second"));
  // datetime between (start .. 1h) means start .. start+1h.
  const relative = leftType === "datetime" && secondType === "timespan";
  return (row) => {
    const value = left(row);
    const from = low(row);
    let to = high(row);
    if (value === null || from === null || to === null) return null;
    if (relative) to = (from as number) + (to as number);
    const inside = compareValues(value, from) >= 0 && compareValues(value, to) <= 0;
    return negated ? !inside : inside;
  };
}

/** Whether a node is a literal or built only from literals and lets (so it can be evaluated once). */
function isConstant(node: Node): boolean {
  switch (kindOf(node)) {
    case "LiteralExpression":
    case "DynamicExpression":
      return true;
    case "NameReference":
      return symbolKind(node) !== "ColumnSymbol";
    case "ParenthesizedExpression":
    case "PrefixUnaryExpression":
      return isConstant(requiredChild(node, "Expression"));
    case "BinaryExpression":
      return isConstant(requiredChild(node, "Left")) && isConstant(requiredChild(node, "Right"));
    case "FunctionCallExpression":
      return elements(child(requiredChild(node, "ArgumentList"), "Expressions")).every(isConstant);
    default:
      return false;
  }
}

function constantRegex(node: Node, scope: Scope, flags: string): RegExp {
  if (!isConstant(node)) throw unsupported(`A regular expression that is not a constant ('${textOf(node)}')`);
  return new RegExp(str(compileScalar(node, scope)([])), flags);
}

// ---------------------------------------------------------------- functions

export function callArguments(node: Node): Node[] {
  return elements(child(requiredChild(node, "ArgumentList"), "Expressions"));
}

export function functionName(node: Node): string {
  return node.ReferencedSymbol?.Name ?? simpleName(requiredChild(node, "Name"));
}

type FunctionCompiler = (args: Node[], scope: Scope, call: Node) => Compiled;

function compileCall(node: Node, scope: Scope): Compiled {
  const name = functionName(node);
  if (aggregateNames.has(name)) {
    if (!scope.aggregate) throw unsupported(`The aggregate '${name}()' outside summarize`);
    return scope.aggregate(node, name, scope);
  }
  const compiler = scalarFunctions[name];
  if (!compiler) throw unsupported(`The function '${name}()'`);
  return compiler(callArguments(node), scope, node);
}

function unary(apply: (value: unknown, type: KqlColumnType | undefined) => unknown): FunctionCompiler {
  return (args, scope) => {
    const arg = args[0]!;
    const compiled = compileScalar(arg, scope);
    const type = typeOf(arg);
    return (row) => apply(compiled(row), type);
  };
}

function math(apply: (value: number) => number): FunctionCompiler {
  return unary((value) => (typeof value === "number" ? apply(value) : null));
}

function binFunction(args: Node[], scope: Scope): Compiled {
  const value = compileScalar(args[0]!, scope);
  const size = compileScalar(args[1]!, scope);
  const datetime = typeOf(args[0]!) === "datetime";
  return (row) => {
    const v = value(row);
    const s = size(row);
    if (typeof v !== "number" || typeof s !== "number" || s <= 0) return null;
    if (datetime) return Math.floor((v + TICKS_EPOCH_OFFSET_MS) / s) * s - TICKS_EPOCH_OFFSET_MS;
    return Math.floor(v / s) * s;
  };
}

/** KQL rounds half away from zero. */
function roundTo(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const sign = value < 0 ? -1 : 1;
  const shifted = Number(`${Math.abs(value)}e${digits}`);
  return sign * Number(`${Math.round(shifted)}e${-digits}`);
}

function trimFunction(start: boolean, end: boolean): FunctionCompiler {
  return (args, scope) => {
    const pattern = constantRegex(args[0]!, scope, "").source;
    const leading = new RegExp(`^(?:${pattern})+`, "u");
    const trailing = new RegExp(`(?:${pattern})+$`, "u");
    const text = compileScalar(args[1]!, scope);
    return (row) => {
      let s = str(text(row));
      if (start) s = s.replace(leading, "");
      if (end) s = s.replace(trailing, "");
      return s;
    };
  };
}

function toIntegral(value: unknown, type: KqlColumnType | undefined): number | null {
  if (type === "datetime" || type === "timespan") return typeof value === "number" ? Math.trunc(value * 10_000) : null;
  const n = toNumberOrNull(value);
  return n === null || !Number.isFinite(n) ? null : Math.trunc(n);
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

function extreme(pick: (c: number) => boolean): FunctionCompiler {
  return (args, scope) => {
    const compiled = args.map((arg) => compileScalar(arg, scope));
    return (row) => {
      let best: unknown = null;
      for (const f of compiled) {
        const v = f(row);
        if (v === null) continue;
        if (best === null || pick(compareValues(v, best))) best = v;
      }
      return best;
    };
  };
}

const scalarFunctions: Readonly<Record<string, FunctionCompiler>> = {
  now: (args, scope) => {
    const offset = args[0] ? (compileScalar(args[0], scope)([]) as number) : 0;
    const value = scope.now + offset;
    return () => value;
  },
  ago: (args, scope) => {
    const span = compileScalar(args[0]!, scope);
    const now = scope.now;
    return (row) => {
      const s = span(row);
      return typeof s === "number" ? now - s : null;
    };
  },
  bin: binFunction,
  floor: binFunction,
  iff: iffFunction,
  iif: iffFunction,
  case: (args, scope) => {
    const compiled = args.map((arg) => compileScalar(arg, scope));
    const otherwise = compiled[compiled.length - 1]!;
    return (row) => {
      for (let i = 0; i + 1 < compiled.length; i += 2) if (compiled[i]!(row) === true) return compiled[i + 1]!(row);
      return otherwise(row);
    };
  },
  coalesce: (args, scope) => {
    const compiled = args.map((arg) => compileScalar(arg, scope));
    const strings = args.map((arg) => typeOf(arg) === "string");
    return (row) => {
      for (let i = 0; i < compiled.length; i++) {
        const v = compiled[i]!(row);
        if (v !== null && !(strings[i] && v === "")) return v;
      }
      return strings[0] ? "" : null;
    };
  },
  not: unary((v) => (typeof v === "boolean" ? !v : null)),
  round: (args, scope) => {
    const value = compileScalar(args[0]!, scope);
    const digits = args[1] ? compileScalar(args[1], scope) : () => 0;
    return (row) => {
      const v = value(row);
      const d = digits(row);
      return typeof v === "number" && typeof d === "number" ? roundTo(v, d) : null;
    };
  },
  strcat: (args, scope) => {
    const compiled = args.map((arg) => compileScalar(arg, scope));
    const types = args.map(typeOf);
    return (row) => {
      let s = "";
      for (let i = 0; i < compiled.length; i++) s += toKqlString(compiled[i]!(row), types[i]);
      return s;
    };
  },
  isempty: unary((v) => v === null || v === ""),
  isnotempty: unary((v) => v !== null && v !== ""),
  isnull: unary((v) => v === null),
  isnotnull: unary((v) => v !== null),
  tostring: unary((v, type) => toKqlString(v, type)),
  todouble: unary((v) => toNumberOrNull(v)),
  toreal: unary((v) => toNumberOrNull(v)),
  toint: unary((v, type) => toIntegral(v, type)),
  tolong: unary((v, type) => toIntegral(v, type)),
  tobool: unary((v) => toBoolOrNull(v)),
  toboolean: unary((v) => toBoolOrNull(v)),
  todatetime: unary((v, type) => (type === "datetime" ? v : typeof v === "string" ? parseDatetime(v) : null)),
  trim: trimFunction(true, true),
  trim_start: trimFunction(true, false),
  trim_end: trimFunction(false, true),
  tolower: unary((v) => str(v).toLowerCase()),
  toupper: unary((v) => str(v).toUpperCase()),
  strlen: unary((v) => codePointLength(str(v))),
  substring: (args, scope) => {
    const text = compileScalar(args[0]!, scope);
    const start = compileScalar(args[1]!, scope);
    const length = args[2] ? compileScalar(args[2], scope) : undefined;
    return (row) => {
      const chars = Array.from(str(text(row)));
      const s = start(row);
      if (typeof s !== "number") return "";
      const from = Math.max(0, s < 0 ? chars.length + s : s);
      const n = length ? length(row) : chars.length;
      if (typeof n !== "number" || n < 0) return "";
      return chars.slice(from, from + n).join("");
    };
  },
  startofday: (args, scope) => {
    const value = compileScalar(args[0]!, scope);
    const offset = args[1] ? compileScalar(args[1], scope) : () => 0;
    return (row) => {
      const v = value(row);
      const o = offset(row);
      if (typeof v !== "number" || typeof o !== "number") return null;
      return Math.floor(v / MS_PER_DAY) * MS_PER_DAY + o * MS_PER_DAY;
    };
  },
  max_of: extreme((c) => c > 0),
  min_of: extreme((c) => c < 0),
  abs: math(Math.abs),
  sqrt: math(Math.sqrt),
  log: math(Math.log),
  log10: math(Math.log10),
  exp: math(Math.exp),
  pow: (args, scope) => numeric(compileScalar(args[0]!, scope), compileScalar(args[1]!, scope), Math.pow),
};

function iffFunction(args: Node[], scope: Scope): Compiled {
  const condition = compileScalar(args[0]!, scope);
  const then = compileScalar(args[1]!, scope);
  const otherwise = compileScalar(args[2]!, scope);
  return (row) => (condition(row) === true ? then(row) : otherwise(row));
}

/** Evaluates a constant expression (a let value, a take count). */
export function evaluateConstant(node: Node, scope: Scope): unknown {
  return compileScalar(node, scope)([]);
}

// Reading the parser's syntax tree: its nodes are Bridge.NET objects whose
// properties (Left, Expression, Expressions, …) are read by name, and whose
// kind is their class name.
import type { KqlColumnType } from "../app-insights-schema";
import { columnTypeOf, syntaxClass } from "./parse";
import type { KustoSyntaxNode } from "./parse";

export type Node = KustoSyntaxNode;

export function kindOf(node: Node): string {
  return syntaxClass(node);
}

/** A child node by property name, or null. */
export function child(node: Node, property: string): Node | null {
  const value = node[property];
  return value === null || value === undefined ? null : (value as Node);
}

export function requiredChild(node: Node, property: string): Node {
  const value = child(node, property);
  if (!value) throw new Error(`${kindOf(node)} has no ${property}`);
  return value;
}

/** The elements of a SyntaxList (unwrapping SeparatedElement). */
export function elements(list: Node | null): Node[] {
  if (!list) return [];
  const items = list as unknown as { Count: number; getItem(index: number): Node };
  const result: Node[] = [];
  for (let i = 0; i < items.Count; i++) {
    const item = items.getItem(i);
    const element = item["Element"];
    result.push(element !== undefined ? (element as Node) : item);
  }
  return result;
}

/** The text of a token child ("asc", "==", "leftouter"), or "" when absent. */
export function tokenText(node: Node, property: string): string {
  const token = node[property] as { Text?: string } | null | undefined;
  return token?.Text ?? "";
}

/** The declared name of a NameDeclaration / the referenced name of a NameReference. */
export function simpleName(node: Node): string {
  const name = node["SimpleName"];
  return typeof name === "string" ? name : "";
}

export function typeOf(node: Node): KqlColumnType | undefined {
  return columnTypeOf(node.ResultType);
}

export function symbolKind(node: Node): string {
  return node.ReferencedSymbol ? syntaxClass(node.ReferencedSymbol) : "";
}

/** The query text of a node, for messages. */
export function textOf(node: Node): string {
  // IncludeTrivia.Interior: keep the spaces between tokens, drop leading and trailing ones.
  return node.ToString(1).trim();
}

/** Named parameters (kind=leftouter, withsource=T, hint.x=y) as name → value text. */
export function namedParameters(node: Node): Map<string, string> {
  const result = new Map<string, string>();
  for (const parameter of elements(child(node, "Parameters"))) {
    const name = simpleName(requiredChild(parameter, "Name"));
    result.set(name, textOf(requiredChild(parameter, "Expression")));
  }
  return result;
}

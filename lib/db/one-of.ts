// Narrows a text column that a CHECK constraint limits to `values`, instead of
// casting it. The constraint makes a stranger impossible; if one appears all the
// same (a constraint dropped by hand, a value list edited on one side only),
// this says which column holds what rather than letting it flow on mistyped.
export function oneOf<const T extends readonly string[]>(values: T, value: string, column: string): T[number] {
  if ((values as readonly string[]).includes(value)) return value as T[number];
  throw new Error(`${column} holds "${value}", which is not one of ${values.join(", ")}; the database's CHECK constraint and the code disagree.`);
}

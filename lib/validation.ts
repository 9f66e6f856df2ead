import type { z } from "zod";
import { AppError } from "@/lib/errors";

// C0 controls and DEL, except tab, line feed and carriage return, which
// multi-line text (descriptions, justifications, YAML) legitimately holds.
// PostgreSQL refuses NUL in text (22021), and none of them belongs in a name.
const controlCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

type Path = (string | number)[];

/** The path of the first string in `input` (at any depth) that holds a control character, or null. */
export function findControlCharacter(input: unknown, path: Path = []): Path | null {
  if (typeof input === "string") return controlCharacter.test(input) ? path : null;
  if (Array.isArray(input)) {
    for (const [index, item] of input.entries()) {
      const found = findControlCharacter(item, [...path, index]);
      if (found) return found;
    }
    return null;
  }
  if (typeof input === "object" && input !== null && Object.getPrototypeOf(input) === Object.prototype) {
    for (const [key, value] of Object.entries(input)) {
      const found = findControlCharacter(key, [...path, key]) ?? findControlCharacter(value, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** Refuses text with control characters (400, naming the field) before it reaches a schema, PostgreSQL or a header. */
export function refuseControlCharacters(input: unknown): void {
  const path = findControlCharacter(input);
  if (!path) return;
  const field = path.length > 0 ? path.join(".") : "The text";
  throw new AppError("invalid_input", `${field} contains a control character (such as NUL); remove it and send the text again.`, { path });
}

/**
 * Parses input or throws the first problem as an AppError naming the field.
 * Every use case's input passes here, so control characters are refused in
 * one place for every string field, whatever its schema says.
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  refuseControlCharacters(input);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((part) => (typeof part === "symbol" ? String(part) : part));
  throw new AppError("invalid_input", issue.message, { path });
}

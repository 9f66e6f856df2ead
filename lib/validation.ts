import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** Parses input or throws the first problem as an AppError naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((part) => (typeof part === "symbol" ? String(part) : part));
  throw new AppError("invalid_input", issue.message, { path });
}

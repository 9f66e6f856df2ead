// Guessing a Wharf dependency kind from a Backstage resource name, for files
// that do not carry wharf.io/dependency-kinds. Only a first or last name part
// that says what it is counts ("orders-sql", "redis-sessions"); anything
// vaguer, such as "orders-db", is left to the user.
import { externalKinds } from "@/lib/catalog/service-input";

export type ExternalKind = (typeof externalKinds)[number];

const kindByWord: Record<string, ExternalKind> = {
  sql: "sql",
  sqldb: "sql",
  mssql: "sql",
  azuresql: "sql",
  mysql: "sql",
  postgres: "sql",
  postgresql: "sql",
  redis: "redis",
  servicebus: "servicebus",
  cosmosdb: "cosmosdb",
  cosmos: "cosmosdb",
  mongodb: "mongodb",
  mongo: "mongodb",
};

export function isExternalKind(value: unknown): value is ExternalKind {
  return typeof value === "string" && (externalKinds as readonly string[]).includes(value);
}

/** The kind the name's first or last part names, or null when neither does or they disagree. */
export function guessExternalKind(resourceName: string): ExternalKind | null {
  const words = resourceName.toLowerCase().split(/[-_.]/);
  const kinds = new Set([words[0], words.at(-1)].flatMap((word) => (word !== undefined && Object.hasOwn(kindByWord, word) ? [kindByWord[word]!] : [])));
  return kinds.size === 1 ? [...kinds][0]! : null;
}

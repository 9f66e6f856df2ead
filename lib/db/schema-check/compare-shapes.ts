// Lists every way the database differs from what schema.prisma asks for, one
// readable line each, so a failing test says what to fix.
import type { DatabaseShape, TableShape } from "./schema-shape";

export function compareShapes(expected: DatabaseShape, actual: DatabaseShape): string[] {
  const differences: string[] = [];
  for (const name of union(Object.keys(expected), Object.keys(actual))) {
    const want = expected[name];
    const have = actual[name];
    if (!want) differences.push(`table ${name}: in the database but not in schema.prisma`);
    else if (!have) differences.push(`table ${name}: in schema.prisma but not in the database`);
    else differences.push(...compareTables(name, want, have));
  }
  return differences;
}

function compareTables(table: string, want: TableShape, have: TableShape): string[] {
  const differences: string[] = [];
  for (const name of union(Object.keys(want.columns), Object.keys(have.columns))) {
    const a = want.columns[name];
    const b = have.columns[name];
    if (!a) differences.push(`column ${table}.${name}: in the database but not in schema.prisma`);
    else if (!b) differences.push(`column ${table}.${name}: in schema.prisma but not in the database`);
    else {
      if (a.type !== b.type) differences.push(`column ${table}.${name}: type ${a.type} expected, database has ${b.type}`);
      if (a.notNull !== b.notNull)
        differences.push(`column ${table}.${name}: ${a.notNull ? "NOT NULL" : "nullable"} expected, database has ${b.notNull ? "NOT NULL" : "nullable"}`);
      if (a.default !== b.default) differences.push(`column ${table}.${name}: default ${a.default ?? "none"} expected, database has ${b.default ?? "none"}`);
    }
  }
  differences.push(...compareNamed(`${table} primary key`, want.primaryKey ? [want.primaryKey] : [], have.primaryKey ? [have.primaryKey] : []));
  differences.push(...compareNamed(`${table} index`, want.indexes, have.indexes));
  differences.push(...compareNamed(`${table} foreign key`, want.foreignKeys, have.foreignKeys));
  return differences;
}

function compareNamed<T extends { name: string }>(what: string, want: T[], have: T[]): string[] {
  const differences: string[] = [];
  for (const name of union(
    want.map((item) => item.name),
    have.map((item) => item.name),
  )) {
    const a = want.find((item) => item.name === name);
    const b = have.find((item) => item.name === name);
    if (!a) differences.push(`${what} ${name}: in the database but not in schema.prisma (${JSON.stringify(b)})`);
    else if (!b) differences.push(`${what} ${name}: in schema.prisma but not in the database (${JSON.stringify(a)})`);
    else if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${what} ${name}: ${JSON.stringify(a)} expected, database has ${JSON.stringify(b)}`);
  }
  return differences;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

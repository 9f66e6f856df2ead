// Proves the committed migrations build exactly the database schema.prisma
// describes, as Prisma itself reads the schema. Edit one without the other
// and this fails, naming what differs.
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { applyMigrations } from "./migrate";
import { compareShapes } from "./schema-check/compare-shapes";
import { shapeFromDatabase } from "./schema-check/database-shape";
import { getDmmf } from "./schema-check/prisma-dmmf";
import { shapeFromDmmf, type DatabaseShape } from "./schema-check/schema-shape";
import { createScratchDatabase, type ScratchDatabase } from "./testing/scratch-database";

const schemaText = readFileSync("prisma/schema.prisma", "utf8");

let scratch: ScratchDatabase;
let migrated: DatabaseShape;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  await applyMigrations(scratch.url);
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  try {
    migrated = await shapeFromDatabase(client);
  } finally {
    await client.end();
  }
});

afterAll(() => scratch?.drop());

test("the migrated database matches prisma/schema.prisma", () => {
  const expected = shapeFromDmmf(getDmmf(schemaText));
  // Guard against two empty shapes agreeing.
  expect(Object.keys(expected)).toEqual(expect.arrayContaining(["AuditEvent", "Service", "ServiceDependency", "Session", "Team", "User"]));
  expect(expected.AuditEvent?.columns.id).toEqual({ type: "bigint", notNull: true, default: "autoincrement" });
  expect(expected.User?.columns.groupIds).toEqual({ type: "text[]", notNull: false, default: null });

  expect(compareShapes(expected, migrated)).toEqual([]);
});

// Each edit is one kind of drift; the check must name it.
describe("a schema that differs from the migrations is detected", () => {
  const cases: [string, string, string, string][] = [
    [
      "an extra field",
      "  costCenter    String?\n",
      "  costCenter    String?\n  extraField    String\n",
      "column Team.extraField: in schema.prisma but not in the database",
    ],
    ["an extra model", "/// Append-only", "model Extra {\n  id Int @id\n}\n\n/// Append-only", "table Extra: in schema.prisma but not in the database"],
    ["a dropped field", "  detail       String?\n", "", "column AuditEvent.detail: in the database but not in schema.prisma"],
    [
      "another native type",
      "lastSeenAt DateTime  @db.Timestamptz(3)",
      "lastSeenAt DateTime  @db.Timestamptz(6)",
      "column Session.lastSeenAt: type timestamp(6) with time zone expected",
    ],
    ["a text column as uuid", "  resourceId   String?\n", "  resourceId   String?  @db.Uuid\n", "column AuditEvent.resourceId: type uuid expected"],
    ["other nullability", "  actorName    String\n", "  actorName    String?\n", "column AuditEvent.actorName: nullable expected"],
    ["a removed default", "  at           DateTime @default(now())", "  at           DateTime", "column AuditEvent.at: default none expected"],
    ["a B-tree instead of GIN index", "@@index([groupIds], type: Gin)", "@@index([groupIds])", "User index User_groupIds_idx"],
    ["an index on other columns", "@@index([actorId, at])", "@@index([actorId])", "AuditEvent index AuditEvent_actorId_idx: in schema.prisma"],
    [
      "a missing unique",
      "  slug          String    @unique\n",
      "  slug          String\n",
      "Team index Team_slug_key: in the database but not in schema.prisma",
    ],
    ["another delete action", "onDelete: Cascade", "onDelete: Restrict", "Session foreign key Session_userId_fkey"],
    ["another primary key", "  tokenHash  String    @id\n", "  tokenHash  String\n  sessionId  Int @id\n", "Session primary key Session_pkey"],
  ];

  test.each(cases)("%s", (_label, from, to, difference) => {
    expect(schemaText, `the test edit needs ${JSON.stringify(from)} in schema.prisma`).toContain(from);
    const drifted = shapeFromDmmf(getDmmf(schemaText.replace(from, to)));
    expect(compareShapes(drifted, migrated)).toContainEqual(expect.stringContaining(difference));
  });
});

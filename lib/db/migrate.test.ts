import { createHash, randomBytes } from "node:crypto";
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, expect, test } from "vitest";
import { applyMigrations, migrationStatus } from "./migrate";
import { createScratchDatabase, type ScratchDatabase } from "./testing/scratch-database";

const INIT = "20261126000000_init";

/** The committed migrations; tests must not assume how many there are. */
async function committed(): Promise<string[]> {
  return (await readdir("prisma/migrations", { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

let scratch: ScratchDatabase;
let migrationsDir: string;

beforeEach(async () => {
  scratch = await createScratchDatabase();
  // A private copy each test may edit.
  migrationsDir = path.join(".data", "test", `migrations-${randomBytes(6).toString("hex")}`);
  await cp("prisma/migrations", migrationsDir, { recursive: true });
});

afterEach(async () => {
  await scratch.drop();
  await rm(migrationsDir, { recursive: true, force: true });
});

async function query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function addMigration(name: string, sql: string): Promise<void> {
  await mkdir(path.join(migrationsDir, name));
  await writeFile(path.join(migrationsDir, name, "migration.sql"), sql);
}

test("applies every migration to an empty database and records each as Prisma Migrate does", async () => {
  const folders = (await readdir("prisma/migrations", { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  expect(await migrationStatus(scratch.url, { migrationsDir })).toEqual({ pending: folders, applied: [] });

  expect(await applyMigrations(scratch.url, { migrationsDir })).toEqual({ applied: folders });

  const rows = await query<{
    id: string;
    checksum: string;
    migration_name: string;
    finished_at: Date | null;
    rolled_back_at: Date | null;
    logs: string | null;
    applied_steps_count: number;
    started_at: Date;
  }>("SELECT * FROM _prisma_migrations ORDER BY started_at");
  expect(rows.map((row) => row.migration_name)).toEqual(folders);
  const init = rows[0];
  const bytes = await readFile(path.join("prisma/migrations", INIT, "migration.sql"));
  expect(init).toMatchObject({
    checksum: createHash("sha256").update(bytes).digest("hex"),
    rolled_back_at: null,
    logs: null,
    applied_steps_count: 1,
  });
  expect(init?.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(init?.finished_at?.getTime()).toBeGreaterThanOrEqual(init?.started_at.getTime() ?? Infinity);
  expect(await migrationStatus(scratch.url, { migrationsDir })).toEqual({ pending: [], applied: folders });
});

test("creates _prisma_migrations with Prisma's own column types", async () => {
  await applyMigrations(scratch.url, { migrationsDir });
  const columns = await query<{ column_name: string; type: string; nullable: string; default: string | null }>(
    `SELECT column_name, format_type(a.atttypid, a.atttypmod) AS type, is_nullable AS nullable, column_default AS default
     FROM information_schema.columns c JOIN pg_attribute a ON a.attrelid = '_prisma_migrations'::regclass AND a.attname = c.column_name
     WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
  );
  expect(columns).toEqual([
    { column_name: "id", type: "character varying(36)", nullable: "NO", default: null },
    { column_name: "checksum", type: "character varying(64)", nullable: "NO", default: null },
    { column_name: "finished_at", type: "timestamp with time zone", nullable: "YES", default: null },
    { column_name: "migration_name", type: "character varying(255)", nullable: "NO", default: null },
    { column_name: "logs", type: "text", nullable: "YES", default: null },
    { column_name: "rolled_back_at", type: "timestamp with time zone", nullable: "YES", default: null },
    { column_name: "started_at", type: "timestamp with time zone", nullable: "NO", default: "now()" },
    { column_name: "applied_steps_count", type: "integer", nullable: "NO", default: "0" },
  ]);
  const [primaryKey] = await query<{ columns: string }>(
    "SELECT pg_get_constraintdef(oid) AS columns FROM pg_constraint WHERE conrelid = '_prisma_migrations'::regclass AND contype = 'p'",
  );
  expect(primaryKey?.columns).toBe("PRIMARY KEY (id)");
});

test("a second run applies nothing", async () => {
  await applyMigrations(scratch.url, { migrationsDir });
  expect(await applyMigrations(scratch.url, { migrationsDir })).toEqual({ applied: [] });
  expect(await query("SELECT 1 FROM _prisma_migrations")).toHaveLength((await committed()).length);
});

test("runs started together apply each migration once", async () => {
  const runs = await Promise.all([1, 2, 3].map(() => applyMigrations(scratch.url, { migrationsDir })));
  const count = (await committed()).length;
  expect(runs.map((run) => run.applied.length).sort()).toEqual([0, 0, count]);
  expect(await query("SELECT 1 FROM _prisma_migrations")).toHaveLength(count);
});

test("refuses a migration whose file changed after it was applied", async () => {
  await applyMigrations(scratch.url, { migrationsDir });
  await writeFile(path.join(migrationsDir, INIT, "migration.sql"), "\n-- an afterthought\n", { flag: "a" });
  await expect(applyMigrations(scratch.url, { migrationsDir })).rejects.toThrow(`Migration ${INIT} was changed after it was applied (checksum mismatch).`);
});

test("accepts the same file checked out with CRLF line endings", async () => {
  await applyMigrations(scratch.url, { migrationsDir });
  const file = path.join(migrationsDir, INIT, "migration.sql");
  await writeFile(file, (await readFile(file, "utf8")).replaceAll("\n", "\r\n"));
  expect(await applyMigrations(scratch.url, { migrationsDir })).toEqual({ applied: [] });
});

test("refuses when an applied migration's folder is missing", async () => {
  await applyMigrations(scratch.url, { migrationsDir });
  await rename(path.join(migrationsDir, INIT), path.join(migrationsDir, "20261126000000_renamed"));
  await expect(applyMigrations(scratch.url, { migrationsDir })).rejects.toThrow(`Migration ${INIT} is applied to the database but its folder is missing`);
});

test("refuses to go on after a migration Prisma recorded as failed", async () => {
  await applyMigrations(scratch.url, { migrationsDir });
  await query("INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('failed-one', 'x', '20261127000000_half_done')");
  await addMigration("20261127000000_half_done", "SELECT 1;");
  await expect(applyMigrations(scratch.url, { migrationsDir })).rejects.toThrow("Migration 20261127000000_half_done failed earlier and may be half applied.");
});

test("a failing migration is rolled back whole, and applies once fixed", async () => {
  await applyMigrations(scratch.url, { migrationsDir });
  await addMigration("20261127000000_broken", 'CREATE TABLE "Half" ("id" INTEGER);\nSELECT * FROM "NoSuchTable";\n');
  await expect(applyMigrations(scratch.url, { migrationsDir })).rejects.toThrow(
    'Migration 20261127000000_broken failed and was rolled back: relation "NoSuchTable" does not exist',
  );
  expect(await query(`SELECT to_regclass('"Half"') AS half`)).toEqual([{ half: null }]);
  expect(await query("SELECT migration_name FROM _prisma_migrations ORDER BY migration_name")).toEqual(
    (await committed()).map((name) => ({ migration_name: name })),
  );

  await writeFile(path.join(migrationsDir, "20261127000000_broken", "migration.sql"), 'CREATE TABLE "Half" ("id" INTEGER);\n');
  expect(await applyMigrations(scratch.url, { migrationsDir })).toEqual({ applied: ["20261127000000_broken"] });
});

test("refuses a database that has tables but no migration history", async () => {
  await query('CREATE TABLE "Someone" ("id" INTEGER)');
  await expect(applyMigrations(scratch.url, { migrationsDir })).rejects.toThrow("The database already has tables (Someone) but no _prisma_migrations history.");
});

test("the AuditEvent table refuses UPDATE, DELETE and TRUNCATE", async () => {
  await applyMigrations(scratch.url, { migrationsDir });
  await query(`INSERT INTO "AuditEvent" ("actorName", "action", "resourceType", "outcome") VALUES ('ada', 'team.create', 'Team', 'success')`);
  await expect(query(`UPDATE "AuditEvent" SET "outcome" = 'denied'`)).rejects.toThrow("AuditEvent is append-only");
  await expect(query(`DELETE FROM "AuditEvent"`)).rejects.toThrow("AuditEvent is append-only");
  await expect(query(`TRUNCATE "AuditEvent"`)).rejects.toThrow("AuditEvent is append-only");
  expect(await query(`SELECT "outcome" FROM "AuditEvent"`)).toEqual([{ outcome: "success" }]);
});

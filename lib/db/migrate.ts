// Wharf's migration runner: committed SQL under prisma/migrations, recorded in
// `_prisma_migrations` exactly as Prisma Migrate records it, so that
// `prisma migrate status/deploy` agree on a machine that has Prisma's engine
// (see docs/decisions/0002-migrations-as-committed-sql.md).
import { randomUUID } from "node:crypto";
import { databaseConnection } from "@/lib/azure/database-connection";
import pg from "pg";
import { checksumMatches, readMigrations, type MigrationFile } from "./migration-files";

export interface MigrateOptions {
  migrationsDir?: string;
}

export interface MigrationStatus {
  /** In file order: folders not yet applied. */
  pending: string[];
  /** In the order they were applied. */
  applied: string[];
}

// The key Prisma Migrate locks (schema-engine postgres flavour), so this
// runner, its replicas and `prisma migrate deploy` all wait for each other.
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// Prisma's own DDL for the history table (schema-engine postgres flavour).
// Both constants are checked against the installed engine: prisma-migrate-contract.test.ts.
export const CREATE_HISTORY_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies every pending migration, each in its own transaction, and returns
 * the names it applied. Safe to call from several replicas at once: they queue
 * on an advisory lock and the later ones find nothing left to do.
 */
export async function applyMigrations(databaseUrl: string, { migrationsDir = "prisma/migrations" }: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const files = await readMigrations(migrationsDir);
  const client = new pg.Client(databaseConnection(databaseUrl));
  await client.connect();
  try {
    // Session-level lock: held across the per-migration transactions below,
    // released when the connection ends even if this process dies.
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    await ensureHistoryTable(client);
    const history = await readHistory(client);
    const pending = pendingMigrations(files, history, migrationsDir);
    for (const migration of pending) await applyOne(client, migration);
    return { applied: pending.map((migration) => migration.name) };
  } finally {
    await client.end();
  }
}

/** What the readiness probe needs: which migrations are applied and which are not. */
export async function migrationStatus(databaseUrl: string, { migrationsDir = "prisma/migrations" }: MigrateOptions = {}): Promise<MigrationStatus> {
  const files = await readMigrations(migrationsDir);
  const client = new pg.Client(databaseConnection(databaseUrl));
  await client.connect();
  try {
    const history = (await historyTableExists(client)) ? await readHistory(client) : [];
    const applied = history.filter(isApplied).map((row) => row.migration_name);
    const appliedSet = new Set(applied);
    return { pending: files.filter((file) => !appliedSet.has(file.name)).map((file) => file.name), applied };
  } finally {
    await client.end();
  }
}

function isApplied(row: HistoryRow): boolean {
  return row.finished_at !== null && row.rolled_back_at === null;
}

/**
 * Checks the history against the files the way Prisma does before applying
 * anything, and refuses a database whose past no longer matches the folder.
 */
function pendingMigrations(files: MigrationFile[], history: HistoryRow[], migrationsDir: string): MigrationFile[] {
  const failed = history.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new Error(
      `Migration ${failed.migration_name} failed earlier and may be half applied. Repair the database, then run \`prisma ` +
        `migrate resolve --rolled-back ${failed.migration_name}\` (or set rolled_back_at on its _prisma_migrations row).`,
    );
  }
  const byName = new Map(files.map((file) => [file.name, file]));
  const appliedNames = new Set<string>();
  for (const row of history.filter(isApplied)) {
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new Error(
        `Migration ${row.migration_name} is applied to the database but its folder is missing from ${migrationsDir}. Restore it from version control.`,
      );
    }
    if (!checksumMatches(file.script, row.checksum)) {
      throw new Error(
        `Migration ${row.migration_name} was changed after it was applied (checksum ` +
          "mismatch). Restore its original migration.sql and put the change in a new migration.",
      );
    }
    appliedNames.add(row.migration_name);
  }
  return files.filter((file) => !appliedNames.has(file.name));
}

/**
 * One transaction per migration: a failing script leaves neither half of its
 * changes nor a history row behind, so the next start simply retries it.
 * (Prisma Migrate would leave a "failed" row instead; this runner never needs
 * to, but still refuses such rows written by Prisma itself.)
 */
async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query("BEGIN");
  try {
    await client.query("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, clock_timestamp())", [
      id,
      migration.checksum,
      migration.name,
    ]);
    // No parameters: pg then uses the simple query protocol, which runs a multi-statement script.
    await client.query(migration.script);
    await client.query("UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp() WHERE id = $1", [id]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error });
  }
}

async function historyTableExists(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists");
  return rows[0]?.exists ?? false;
}

/**
 * Creates the history table on an empty database. Like Prisma (error P3005),
 * refuses a database that already has tables but no history: applying the
 * first migration there would fail halfway or clash with someone else's data.
 */
async function ensureHistoryTable(client: pg.Client): Promise<void> {
  if (await historyTableExists(client)) return;
  const { rows } = await client.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name LIMIT 3",
  );
  if (rows.length > 0) {
    const tables = rows.map((row) => row.table_name).join(", ");
    throw new Error(
      `The database already has tables (${tables}) but no _prisma_migrations history. Point ` +
        `DATABASE_URL at an empty database, or baseline this one with \`prisma migrate resolve --applied\`.`,
    );
  }
  await client.query(CREATE_HISTORY_TABLE);
}

async function readHistory(client: pg.Client): Promise<HistoryRow[]> {
  const { rows } = await client.query<HistoryRow>(
    "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at, migration_name",
  );
  return rows;
}

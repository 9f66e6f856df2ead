// A throwaway database on the test run's PostgreSQL (DATABASE_URL from
// lib/db/test-global-setup.ts), for tests that need an empty or private one.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { releasePrisma } from "@/lib/db/client";
import { closeChangeFeed } from "@/lib/changes/change-feed";
import { applyMigrations } from "@/lib/db/migrate";

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("DATABASE_URL is not set; run the tests through vitest.config.ts (its global setup starts PostgreSQL).");
  const name = `scratch_${randomBytes(6).toString("hex")}`;
  await onMaintenanceDatabase(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onMaintenanceDatabase(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`)),
  };
}

async function onMaintenanceDatabase(serverUrl: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const url = new URL(serverUrl);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The calling test file's own empty, migrated database: DATABASE_URL points at it from before the file's own hooks run
 * until after them, so getPrisma() and pg-boss in the file use it. For tests whose rows would meet other files' in the
 * shared database: views keyed by environment across the fleet, a first start that looks for an empty one. Call it at
 * the top of the file, before its own beforeAll.
 */
export function runOnOwnDatabase(): void {
  const shared = process.env.DATABASE_URL;
  let scratch: ScratchDatabase | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    await applyMigrations(scratch.url);
    await releasePrisma();
    process.env.DATABASE_URL = scratch.url;
  }, 120_000);
  // Registered first, so it runs after the file's own afterAll hooks (vitest runs them as a stack).
  afterAll(async () => {
    await closeChangeFeed();
    await releasePrisma();
    await scratch?.drop();
    process.env.DATABASE_URL = shared;
  });
}

// Vitest globalSetup: one fresh, migrated PostgreSQL for the whole test run.
// Workers inherit process.env, so tests and getPrisma() find DATABASE_URL.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from "./embedded";
import { applyMigrations } from "./migrate";
import { freePort } from "../net/free-port";

export default async function setup(): Promise<() => Promise<void>> {
  const dataDir = path.join(".data", "test", `pg-${randomBytes(6).toString("hex")}`);
  let database: RunningEmbeddedPostgres | undefined;
  try {
    database = await startOnFreePort(dataDir);
    await applyMigrations(database.url);
  } catch (error) {
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  process.env.DATABASE_URL = database.url;
  const running = database;
  return async () => {
    await running.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

// The port is free when we look, but another process may take it before
// PostgreSQL binds; a few tries make that race harmless.
async function startOnFreePort(dataDir: string): Promise<RunningEmbeddedPostgres> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmbeddedPostgres({ dataDir, port: await freePort() });
    } catch (error) {
      if (attempt >= 3 || !(error instanceof Error) || !error.message.includes("could not listen")) throw error;
    }
  }
}

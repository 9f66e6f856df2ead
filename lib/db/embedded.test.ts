import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterEach, expect, test } from "vitest";
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from "./embedded";
import { freePort } from "../net/free-port";

const started: RunningEmbeddedPostgres[] = [];
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((database) => database.stop()));
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

function newFolder(): string {
  const folder = path.join(".data", "test", `embedded-${randomBytes(6).toString("hex")}`);
  folders.push(folder);
  return folder;
}

async function start(dataDir: string): Promise<RunningEmbeddedPostgres> {
  const database = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  started.push(database);
  return database;
}

async function sql<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

test("data written before a stop is there after the next start", async () => {
  const dataDir = newFolder();
  const first = await start(dataDir);
  expect(first.url).toMatch(/\/wharf$/);
  await sql(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
  await first.stop();
  expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);

  const second = await start(dataDir);
  expect(await sql(second.url, "SELECT note FROM kept")).toEqual([{ note: "still here" }]);
});

test("a folder in use by a running PostgreSQL is refused with one clear line", async () => {
  const dataDir = newFolder();
  await start(dataDir);
  const pid = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0];
  await expect(start(dataDir)).rejects.toThrow(
    `The database folder ${dataDir} is already in use by another Wharf (PostgreSQL pid ${pid}). Stop that one first, or set WHARF_DATA_DIR to use another folder.`,
  );
});

test("a postmaster.pid left by a dead PostgreSQL does not block the start", async () => {
  const dataDir = newFolder();
  const first = await start(dataDir);
  await sql(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survived the crash')");
  await first.stop();

  // A pid that has certainly exited: a child we ran to completion.
  const deadPid = spawnSync(process.execPath, ["-e", "0"]).pid;
  await writeFile(path.join(dataDir, "postmaster.pid"), `${deadPid}\n${path.resolve(dataDir)}\n`);
  const second = await start(dataDir);
  expect(await sql(second.url, "SELECT note FROM kept")).toEqual([{ note: "survived the crash" }]);
  await second.stop();

  // In a restarted container the old pid often belongs to an unrelated live process.
  await writeFile(path.join(dataDir, "postmaster.pid"), `${process.pid}\n${path.resolve(dataDir)}\n`);
  const third = await start(dataDir);
  expect(await sql(third.url, "SELECT note FROM kept")).toEqual([{ note: "survived the crash" }]);
});

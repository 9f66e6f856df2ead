import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterEach, expect, test } from "vitest";
import { startEmbeddedPostgres, superviseEmbeddedPostgres, type RunningEmbeddedPostgres } from "./embedded";
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

test("a PostgreSQL that dies is started again on the same folder and port, with its data", async () => {
  const dataDir = newFolder();
  const options = { dataDir, port: await freePort() };
  const first = await startEmbeddedPostgres(options);
  await sql(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('outlived a kill -9')");
  const events: string[] = [];
  let restarted!: () => void;
  const running = new Promise<void>((done) => (restarted = done));
  const supervisor = superviseEmbeddedPostgres(
    options,
    first,
    { down: () => events.push("down"), restarted: () => (events.push("restarted"), restarted()), failed: () => events.push("failed") },
    100,
  );
  try {
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    expect(first.alive()).toBe(true);
    process.kill(pid, "SIGKILL");
    await running;
    expect(first.alive()).toBe(false);
    expect(events[0]).toBe("down");
    expect(events.at(-1)).toBe("restarted");
    expect(await sql(first.url, "SELECT note FROM kept")).toEqual([{ note: "outlived a kill -9" }]);
  } finally {
    await supervisor.stop();
  }
  expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
}, 60_000);

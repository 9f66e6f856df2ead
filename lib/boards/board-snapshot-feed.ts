// A board's new snapshot pushed to its screens (decision 0041). Each web
// process builds a board's snapshot once per change, whatever the number of
// its screens, encodes it once as an SSE event, and writes those same bytes
// to the stream of every screen of that board: an edit reaches 500 screens
// without 500 reads. What triggers a build: the board's own notice (an edit),
// the health poller's notice (every board watched), and a resync every
// minute (rollouts and approvals are read at build time, so their age stays
// honest). Builds of one board are at most one per second; a burst of
// notices folds into the next build (build-schedule.ts). A screen is let in
// only for a board its token may view, so it is written nothing of any
// other board.
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { sseEventOfJson } from "@/lib/changes/sse-stream";
import { healthChangeTopic } from "@/lib/health/health-view";
import { logger } from "@/lib/logger";
import { BuildSchedule } from "./build-schedule";
import { refreshBoardSnapshot } from "./get-board-snapshot";
import { boardSnapshotJson } from "./snapshot-json";
import type { BoardSnapshot } from "./board-snapshot";

/** The SSE event a board's new snapshot travels in; its data is a BoardSnapshot. */
export const boardSnapshotEvent = "board";
/** A board's snapshot is built at most this often per web process, however many notices come. */
export const boardBuildIntervalMs = 1_000;
/** Every watched board is rebuilt this often even without a notice. */
export const boardResyncMs = 60_000;
/** After a build failed (the database is away), the next try; screens keep their last data and show its age meanwhile. */
const retryMs = 5_000;

export interface SnapshotWatcher {
  /** The board's new snapshot as one encoded SSE event: the same bytes for every screen of the board. */
  send(event: Uint8Array): void;
  /** The board was deleted: the screen checks its token again (and is refused, or its playlist goes on without it). */
  gone(): void;
}

interface BoardFeed {
  watchers: Set<SnapshotWatcher>;
  /** The last build started for the screens (kept current by every notice and the resync). */
  latest?: Promise<BoardSnapshot>;
  schedule: BuildSchedule;
  subscribed: Promise<() => void>;
}

interface Feeds {
  boards: Map<string, BoardFeed>;
  health?: Promise<() => void>;
  resync?: ReturnType<typeof setInterval>;
  /** Builds made since the process started (for tests and diagnostics). */
  builds: number;
}

const state = globalThis as typeof globalThis & { wharfBoardFeeds?: Feeds };
const feeds = (): Feeds => (state.wharfBoardFeeds ??= { boards: new Map(), builds: 0 });

async function build(boardId: string, feed: BoardFeed): Promise<void> {
  const all = feeds();
  if (all.boards.get(boardId) !== feed) return;
  try {
    all.builds += 1;
    const latest = refreshBoardSnapshot(boardId);
    feed.latest = latest;
    latest.catch(() => {
      if (feed.latest === latest) feed.latest = undefined;
    });
    const event = sseEventOfJson(boardSnapshotEvent, boardSnapshotJson(await latest));
    for (const watcher of [...feed.watchers]) watcher.send(event);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") {
      for (const watcher of [...feed.watchers]) watcher.gone();
      return;
    }
    logger.warn({ err: error, boardId }, `wall boards: could not build a board's snapshot; trying again in ${retryMs} ms`);
    setTimeout(() => feed.schedule.request(), retryMs).unref?.();
  }
}

function requestAll() {
  for (const feed of feeds().boards.values()) feed.schedule.request();
}

function startShared(all: Feeds) {
  if (!all.health) {
    const health = subscribeToChanges([healthChangeTopic], requestAll);
    health.catch(() => {
      if (all.health === health) all.health = undefined;
    });
    all.health = health;
  }
  all.resync ??= setInterval(requestAll, boardResyncMs);
  all.resync.unref?.();
}

function stopShared(all: Feeds) {
  if (all.boards.size > 0) return;
  clearInterval(all.resync);
  all.resync = undefined;
  const health = all.health;
  all.health = undefined;
  void health?.then((stop) => stop()).catch(() => undefined);
}

function drop(boardId: string, feed: BoardFeed) {
  const all = feeds();
  if (all.boards.get(boardId) !== feed) return;
  all.boards.delete(boardId);
  feed.schedule.stop();
  void feed.subscribed.then((stop) => stop()).catch(() => undefined);
  stopShared(all);
}

/**
 * `watcher` gets every new snapshot of the board built from now on, until the returned function is called. Refused (403) unless
 * `actor` may view the board. Rejects when the change feed cannot listen (the stream then ends and the screen reconnects).
 */
export async function watchBoardSnapshots(actor: Actor, boardId: string, watcher: SnapshotWatcher): Promise<() => void> {
  if (!can(actor, "board:view", { boardId })) throw forbidden("board:view");
  const all = feeds();
  let feed = all.boards.get(boardId);
  if (!feed) {
    const created: BoardFeed = {
      watchers: new Set(),
      schedule: new BuildSchedule(() => build(boardId, created), boardBuildIntervalMs),
      subscribed: subscribeToChanges([`board:${boardId}`], () => created.schedule.request()),
    };
    created.subscribed.catch(() => drop(boardId, created));
    all.boards.set(boardId, created);
    // Built at once, so screens that connect next take this build (latestBoardSnapshot) rather than each building one.
    created.schedule.request();
    feed = created;
  }
  const joined = feed;
  joined.watchers.add(watcher);
  startShared(all);
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    joined.watchers.delete(watcher);
    if (joined.watchers.size === 0) drop(boardId, joined);
  };
  try {
    await Promise.all([joined.subscribed, all.health]);
  } catch (error) {
    leave();
    throw error;
  }
  return leave;
}

/**
 * The board's latest build while it has screens in this process (undefined otherwise, or when it failed): what a connecting screen
 * of the board starts with, as current as what the others were pushed. Refused (403) unless `actor` may view the board.
 */
export function latestBoardSnapshot(actor: Actor, boardId: string): Promise<BoardSnapshot> | undefined {
  if (!can(actor, "board:view", { boardId })) throw forbidden("board:view");
  return feeds().boards.get(boardId)?.latest;
}

/** How many snapshots this process has built for screens (tests compare it before and after). */
export function boardSnapshotBuilds(): number {
  return feeds().builds;
}

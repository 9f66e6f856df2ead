// A board's snapshot as JSON, made once per build and shared by everything
// that carries that build: the event pushed to all the board's screens, and
// the whole snapshot each screen gets when its stream opens or reads
// /snapshot (decision 0041). 500 screens connecting cost one encoding of each
// board, not 500. Kept while the build object lives (the snapshot cache).
import type { BoardSnapshot, DisplaySnapshot } from "./board-snapshot";

const encoded = new WeakMap<BoardSnapshot, string>();

export function boardSnapshotJson(board: BoardSnapshot): string {
  let json = encoded.get(board);
  if (json === undefined) {
    json = JSON.stringify(board);
    encoded.set(board, json);
  }
  return json;
}

/** The screen's whole snapshot: its own fields encoded for it, its boards' JSON shared. */
export function displaySnapshotJson(snapshot: DisplaySnapshot): string {
  const { boards, ...own } = snapshot;
  const head = JSON.stringify(own);
  return `${head.slice(0, -1)},"boards":[${boards.map(boardSnapshotJson).join(",")}]}`;
}

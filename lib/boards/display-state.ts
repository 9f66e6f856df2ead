// What a screen holds: its last display snapshot, each board with when the
// screen got it. Boards come two ways (decision 0041): the whole snapshot,
// read after the stream (re)connects and as a rare resync, and one board's
// new snapshot pushed through the stream. Either may arrive after a newer
// one, so each board keeps the newer build (by `generatedAt`), and its data
// age counts from when the screen got that build. Pure, for the kiosk.
import type { BoardSnapshot, DisplaySnapshot } from "./board-snapshot";

export interface Received {
  snapshot: DisplaySnapshot;
  /** Per board id: when the screen got the build it shows (the screen's clock). */
  receivedAt: Record<string, number>;
}

const newer = (a: BoardSnapshot, b: BoardSnapshot) => Date.parse(a.generatedAt) > Date.parse(b.generatedAt);

/** The whole snapshot read at `at`: its rotation and boards, except a board the screen already has in a newer build. */
export function receiveDisplaySnapshot(current: Received | null, snapshot: DisplaySnapshot, at: number): Received {
  const receivedAt: Record<string, number> = {};
  const boards = snapshot.boards.map((board) => {
    const held = current?.snapshot.boards.find((candidate) => candidate.board.id === board.board.id);
    if (held && current && newer(held, board)) {
      receivedAt[board.board.id] = current.receivedAt[board.board.id] ?? at;
      return held;
    }
    receivedAt[board.board.id] = at;
    return board;
  });
  return { snapshot: { ...snapshot, boards }, receivedAt };
}

/** One board's new build pushed at `at`: it replaces that board if it is newer; a board the screen does not show changes nothing. */
export function receiveBoardSnapshot(current: Received | null, board: BoardSnapshot, at: number): Received | null {
  if (!current) return current;
  const index = current.snapshot.boards.findIndex((candidate) => candidate.board.id === board.board.id);
  if (index < 0 || !newer(board, current.snapshot.boards[index]!)) return current;
  const boards = current.snapshot.boards.map((held, at) => (at === index ? board : held));
  return { snapshot: { ...current.snapshot, boards }, receivedAt: { ...current.receivedAt, [board.board.id]: at } };
}

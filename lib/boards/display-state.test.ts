import { describe, expect, it } from "vitest";
import type { BoardSnapshot, DisplaySnapshot } from "./board-snapshot";
import { receiveBoardSnapshot, receiveDisplaySnapshot } from "./display-state";

const board = (id: string, name: string, generatedAt: string): BoardSnapshot => ({
  board: { id, slug: id, name, team: null, tiles: [] },
  tiles: {},
  generatedAt,
  pollSeconds: 30,
});

const display = (...boards: BoardSnapshot[]): DisplaySnapshot => ({
  playlist: null,
  rotation: boards.map((entry) => ({ boardId: entry.board.id, seconds: 10 })),
  boards,
  display: { label: "Hall", expiresAt: "2027-01-01T00:00:00.000Z" },
  version: "v1",
});

describe("what a screen holds", () => {
  it("takes a pushed build of one of its boards, with its own arrival time, and leaves the other boards as they were", () => {
    const first = receiveDisplaySnapshot(null, display(board("a", "A", "2026-12-05T10:00:00Z"), board("b", "B", "2026-12-05T10:00:00Z")), 1_000);
    const pushed = receiveBoardSnapshot(first, board("a", "A renamed", "2026-12-05T10:00:05Z"), 6_000)!;
    expect(pushed.snapshot.boards.map((entry) => entry.board.name)).toEqual(["A renamed", "B"]);
    expect(pushed.receivedAt).toEqual({ a: 6_000, b: 1_000 });
  });

  it("ignores an older build, a board it does not show, and a push before its first snapshot", () => {
    const first = receiveDisplaySnapshot(null, display(board("a", "A", "2026-12-05T10:00:05Z")), 1_000);
    expect(receiveBoardSnapshot(first, board("a", "A old", "2026-12-05T10:00:01Z"), 2_000)).toBe(first);
    expect(receiveBoardSnapshot(first, board("z", "Not mine", "2026-12-05T10:00:09Z"), 2_000)).toBe(first);
    expect(receiveBoardSnapshot(null, board("a", "A", "2026-12-05T10:00:09Z"), 2_000)).toBeNull();
  });

  it("keeps a pushed build newer than a whole snapshot read that answers after it, and takes the read's rotation", () => {
    const first = receiveDisplaySnapshot(null, display(board("a", "A", "2026-12-05T10:00:00Z")), 1_000);
    const pushed = receiveBoardSnapshot(first, board("a", "A new", "2026-12-05T10:00:09Z"), 9_000)!;
    const read = receiveDisplaySnapshot(pushed, display(board("a", "A", "2026-12-05T10:00:04Z"), board("b", "B", "2026-12-05T10:00:04Z")), 10_000);
    expect(read.snapshot.boards.map((entry) => entry.board.name)).toEqual(["A new", "B"]);
    expect(read.snapshot.rotation.map((entry) => entry.boardId)).toEqual(["a", "b"]);
    expect(read.receivedAt).toEqual({ a: 9_000, b: 10_000 });
  });
});

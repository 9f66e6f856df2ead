import { describe, expect, it } from "vitest";
import type { BoardSnapshot, DisplaySnapshot } from "./board-snapshot";
import { boardSnapshotJson, displaySnapshotJson } from "./snapshot-json";

const board = (id: string): BoardSnapshot => ({
  board: { id, slug: id, name: `Board “${id}”`, team: null, tiles: [{ kind: "clock", id: "clock", x: 0, y: 0, w: 4, h: 2 }] },
  tiles: { clock: { kind: "clock", asOf: "2026-12-05T10:00:00.000Z", staleAfterSeconds: 120 } },
  generatedAt: "2026-12-05T10:00:00.000Z",
  pollSeconds: 30,
});

describe("a snapshot's JSON", () => {
  it("reads back as the screen's whole snapshot, each board's part made once per build", () => {
    const shared = board("a");
    const snapshot: DisplaySnapshot = {
      playlist: { slug: "turns", name: "Turns" },
      rotation: [
        { boardId: "a", seconds: 10 },
        { boardId: "b", seconds: 20 },
      ],
      boards: [shared, board("b")],
      display: { label: "Hall", expiresAt: "2027-01-01T00:00:00.000Z" },
      version: "v1",
    };
    expect(JSON.parse(displaySnapshotJson(snapshot))).toEqual(snapshot);
    expect(JSON.parse(displaySnapshotJson({ ...snapshot, boards: [] }))).toEqual({ ...snapshot, boards: [] });
    expect(boardSnapshotJson(shared)).toBe(boardSnapshotJson(shared));
    shared.board.name = "changed after it was encoded";
    expect(JSON.parse(boardSnapshotJson(shared)).board.name).toBe("Board “a”");
  });
});

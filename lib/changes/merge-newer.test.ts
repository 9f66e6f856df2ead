import { describe, expect, it } from "vitest";
import { mergeNewer } from "./merge-newer";

describe("mergeNewer", () => {
  const current = { id: "a", status: "progressing", manifestYaml: "kind: Deployment", updatedAt: "2026-11-26T10:00:01.000Z" };

  it("takes a newer push and keeps the fields the push leaves out", () => {
    expect(mergeNewer(current, { id: "a", status: "succeeded", updatedAt: "2026-11-26T10:00:02.000Z" })).toEqual({
      id: "a",
      status: "succeeded",
      manifestYaml: "kind: Deployment",
      updatedAt: "2026-11-26T10:00:02.000Z",
    });
  });

  it("keeps the current state when a slow poll answers with an older one", () => {
    expect(mergeNewer(current, { id: "a", status: "applying", updatedAt: "2026-11-26T10:00:00.500Z" })).toBe(current);
  });

  it("takes the incoming one when either has no updatedAt", () => {
    expect(mergeNewer({ id: "a", n: 1 }, { n: 2 })).toEqual({ id: "a", n: 2 });
  });
});

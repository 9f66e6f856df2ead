// Integration: a NOTIFY from one connection reaches subscribers of that topic only.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { publishChange, type Change } from "@/lib/changes/publish-change";
import { subscribeToChanges } from "@/lib/changes/change-feed";

describe("change feed", () => {
  it("delivers a change to the subscribers of its topic, not to others, and stops after unsubscribing", async () => {
    const watched = randomUUID();
    const other = randomUUID();
    const received: Change[] = [];
    const unsubscribe = await subscribeToChanges([`namespace:${watched}`], (change) => received.push(change));
    await publishChange({ kind: "namespace", id: other });
    await publishChange({ kind: "namespace", id: watched });
    await expect.poll(() => received, { timeout: 5_000 }).toEqual([{ kind: "namespace", id: watched }]);
    unsubscribe();
    await publishChange({ kind: "namespace", id: watched });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toHaveLength(1);
  });
});

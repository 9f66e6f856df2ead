// Integration: a NOTIFY from one connection reaches subscribers of that topic only.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { publishChange, type Change } from "@/lib/changes/publish-change";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { getPrisma } from "@/lib/db/client";

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

  it("after the database drops its LISTEN connection, reconnects and tells every watcher its subject changed", async () => {
    const watched = randomUUID();
    const received: Change[] = [];
    const unsubscribe = await subscribeToChanges([`deployment:${watched}`], (change) => received.push(change));
    await getPrisma().$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'wharf-change-feed'`;
    await expect.poll(() => received, { timeout: 10_000 }).toEqual([{ kind: "deployment", id: watched }]);
    // And it listens again.
    await publishChange({ kind: "deployment", id: watched });
    await expect.poll(() => received.length, { timeout: 5_000 }).toBe(2);
    unsubscribe();
  });
});

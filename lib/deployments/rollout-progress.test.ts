// Integration: a rollout's progress is written and announced in one statement.
import { describe, expect, it } from "vitest";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { getPrisma } from "@/lib/db/client";
import { deploymentRow } from "./__fixtures__/deployment-row";
import { writeRolloutProgress } from "./rollout-slot";

describe("writeRolloutProgress", () => {
  it("writes the counts, pods, events and message of a progressing deployment and announces it; stale counts are kept; an ended one is left alone, unannounced", async () => {
    const prisma = getPrisma();
    const deployment = await deploymentRow("prog", { readyReplicas: 1 });
    const notices: string[] = [];
    const stop = await subscribeToChanges([`deployment:${deployment.id}`], (change) => notices.push(change.id));
    try {
      const pods = [{ name: "api-1", phase: "Running", ready: true, restarts: 0 }];
      const events = [{ type: "Normal", reason: "Started", message: "Started container app" }];
      const before = Date.now();
      expect(
        await writeRolloutProgress(deployment.id, { message: "1 of 2 ready", pods, events, counts: { desired: 2, updated: 2, ready: 1, available: 0 } }),
      ).toBe(true);
      const written = await prisma.deployment.findUniqueOrThrow({ where: { id: deployment.id } });
      expect(written).toMatchObject({
        message: "1 of 2 ready",
        pods,
        events,
        desiredReplicas: 2,
        updatedReplicas: 2,
        readyReplicas: 1,
        availableReplicas: 0,
        status: "progressing",
      });
      expect(written.updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1);
      await expect.poll(() => notices.length, { timeout: 5_000 }).toBe(1);

      // The informer's view is stale (the cluster is not answering): message and pods change, the counts stay.
      expect(await writeRolloutProgress(deployment.id, { message: "Cannot watch the cluster", pods: [], events: [] })).toBe(true);
      expect(await prisma.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).toMatchObject({
        message: "Cannot watch the cluster",
        pods: [],
        readyReplicas: 1,
        desiredReplicas: 2,
      });
      await expect.poll(() => notices.length, { timeout: 5_000 }).toBe(2);

      await prisma.deployment.update({ where: { id: deployment.id }, data: { status: "cancelled" } });
      expect(
        await writeRolloutProgress(deployment.id, { message: "late", pods: [], events: [], counts: { desired: 2, updated: 2, ready: 2, available: 2 } }),
      ).toBe(false);
      expect(await prisma.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).toMatchObject({
        status: "cancelled",
        message: "Cannot watch the cluster",
        readyReplicas: 1,
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(notices).toHaveLength(2);
    } finally {
      stop();
    }
  });
});

// The full layout runs in a worker thread (decision 0045): the event loop of
// the process that runs jobs keeps turning while a 2,000-node layout runs
// (group by group, decision 0054: one elkjs task per team),
// and a layout elkjs rejects or one past its time bound fails with a clear
// error while the next layout works on a new thread.
import { afterAll, describe, expect, it } from "vitest";
import { elkInput, layoutMap, type LayoutGraph } from "@/lib/appmap/layout-map";
import { layoutInThread, MapLayoutError, stopLayoutThread } from "@/lib/appmap/layout-thread-client";

/** 2,000 services in 50 teams of 40, each calling 3 others (mostly in its team, some across), 6,000 edges. */
function fleet(): LayoutGraph {
  let seed = 13;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const nodes = Array.from({ length: 2_000 }, (_, i) => ({
    id: `svc:team-${Math.floor(i / 40)}-svc-${i % 40}`,
    kind: "service" as const,
    team: { slug: `team-${Math.floor(i / 40)}` },
  }));
  const edges: { source: string; target: string }[] = [];
  for (const [i, node] of nodes.entries()) {
    for (let k = 0; k < 3; k++) {
      const team = random() < 0.8 ? Math.floor(i / 40) : Math.floor(random() * 50);
      edges.push({ source: node.id, target: nodes[team * 40 + Math.floor(random() * 40)]!.id });
    }
  }
  return { nodes, edges };
}

const small: LayoutGraph = {
  nodes: [{ id: "svc:a" }, { id: "svc:b" }, { id: "ext:SQL:db" }],
  edges: [
    { source: "svc:a", target: "svc:b" },
    { source: "svc:b", target: "ext:SQL:db" },
  ],
};

afterAll(() => stopLayoutThread());

describe("the layout thread", () => {
  it("keeps the event loop turning while a 2,000-node, 6,000-edge map is laid out in full", { timeout: 300_000 }, async () => {
    const graph = fleet();
    expect(graph.edges).toHaveLength(6_000);
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 20);
    let ticksWhenDone: number;
    try {
      const layout = await layoutMap(graph, null);
      ticksWhenDone = ticks;
      expect(layout.method).toBe("full");
      expect(Object.keys(layout.positions)).toHaveLength(2_000);
    } finally {
      clearInterval(ticker);
    }
    // Run on this thread, elkjs would hold the loop for each team's layout in turn (seconds in all at this size).
    expect(ticksWhenDone).toBeGreaterThan(10);
  });

  it("a graph elkjs rejects fails with elkjs's reason; the next layout works on a new thread", async () => {
    const broken = { ...elkInput(small), edges: [{ id: "e0", sources: ["svc:a"], targets: ["svc:nowhere"] }] };
    const failure = await layoutInThread(broken).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MapLayoutError);
    expect((failure as MapLayoutError).reason).toBe("rejected");
    expect((failure as MapLayoutError).message).toMatch(/^elkjs could not lay out the map: .*Referenced shape does not exist: svc:nowhere/);
    const next = await layoutMap(small, null);
    expect(Object.keys(next.positions).sort()).toEqual(["ext:SQL:db", "svc:a", "svc:b"]);
  });

  it("a layout past its time bound is abandoned (its thread terminated) with a timeout error; the next layout works", { timeout: 120_000 }, async () => {
    const failure = await layoutInThread(elkInput(fleet()), { timeoutMs: 50 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MapLayoutError);
    expect((failure as MapLayoutError).reason).toBe("timeout");
    expect((failure as MapLayoutError).message).toMatch(/^The map.s layout \(2000 nodes, \d+ edges\) took longer than 0.1 s and was abandoned\.$/);
    const next = await layoutMap(small, null);
    expect(next.method).toBe("full");
    expect(next.positions["svc:a"]!.x).toBeLessThan(next.positions["svc:b"]!.x);
  });
});

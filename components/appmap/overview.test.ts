import { describe, expect, it } from "vitest";
import {
  buildOverview,
  drawOverview,
  curveOf,
  edgeAt,
  edgeCurve,
  nodeAt,
  nodeHeight,
  nodeWidth,
  nodesInView,
  type OverviewContext,
  type OverviewEdgeInput,
  type OverviewNodeInput,
  type OverviewPalette,
  bitmapRegion,
  regionCovers,
  visiblePart,
} from "@/components/appmap/overview";

const palette: OverviewPalette = {
  edge: { none: "grey", ok: "green", elevated: "amber", failing: "red" },
  fill: { healthy: "fill-healthy", degraded: "fill-degraded", unhealthy: "fill-unhealthy", unknown: "fill-unknown", none: "fill-none" },
  border: { healthy: "b-healthy", degraded: "b-degraded", unhealthy: "b-unhealthy", unknown: "b-unknown", none: "b-none" },
  text: { healthy: "t-healthy", degraded: "t-degraded", unhealthy: "t-unhealthy", unknown: "t-unknown", none: "t-none" },
  ring: "ring",
};

type Call = { name: string; args: unknown[]; state: { fillStyle: unknown; strokeStyle: unknown; globalAlpha: number; lineWidth: number } };

/** A 2D context that records what it was asked to draw, with the style in force at each call. */
function recorder() {
  const calls: Call[] = [];
  const state = { fillStyle: "" as unknown, strokeStyle: "" as unknown, globalAlpha: 1, lineWidth: 1, font: "", textBaseline: "alphabetic" };
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push({
        name,
        args,
        state: { fillStyle: state.fillStyle, strokeStyle: state.strokeStyle, globalAlpha: state.globalAlpha, lineWidth: state.lineWidth },
      });
    };
  const context = Object.assign(state, {
    setTransform: record("setTransform"),
    clearRect: record("clearRect"),
    beginPath: record("beginPath"),
    moveTo: record("moveTo"),
    bezierCurveTo: record("bezierCurveTo"),
    stroke: record("stroke"),
    rect: record("rect"),
    fill: record("fill"),
    fillText: record("fillText"),
    setLineDash: record("setLineDash"),
    save: record("save"),
    restore: record("restore"),
    clip: record("clip"),
  }) as unknown as OverviewContext;
  return { context, calls, named: (name: string) => calls.filter((call) => call.name === name) };
}

const node = (id: string, x: number, y: number, extra: Partial<OverviewNodeInput> = {}): OverviewNodeInput => ({
  id,
  x,
  y,
  label: `Service ${id}`,
  sublabel: "Team · service",
  health: "healthy",
  dashed: false,
  ...extra,
});

const edge = (source: string, target: string, extra: Partial<OverviewEdgeInput> = {}): OverviewEdgeInput => ({
  id: `${source}->${target}`,
  source,
  target,
  level: "ok",
  width: 2,
  dashed: false,
  opacity: 1,
  ...extra,
});

const view = (zoom: number, extra: Partial<{ x: number; y: number; width: number; height: number; pixelRatio: number }> = {}) => ({
  x: 0,
  y: 0,
  width: 1000,
  height: 800,
  pixelRatio: 1,
  zoom,
  ...extra,
});

describe("the overview's geometry", () => {
  it("finds the edge under a point: on its curve, not only within its box; the nearer of two; none over empty space", () => {
    // a (0,0) → b (1000, 600): from (200, 30) to (1000, 630), an S curve through its middle (600, 330).
    const nodes = [node("a", 0, 0), node("b", 1000, 600), node("c", 1000, 0)];
    const overview = buildOverview(nodes, [edge("a", "b", { level: "failing" }), edge("a", "c", { width: 8 })]);
    expect(edgeAt(overview, 600, 330, 5)).toBe("a->b");
    expect(edgeAt(overview, 603, 326, 5)).toBe("a->b");
    // Near the start the S curve is still flat at the source's height: inside the box, far from the curve.
    expect(edgeAt(overview, 300, 300, 5)).toBeNull();
    // a → c is straight along y = 30; 3 units off it is within its 8-unit width.
    expect(edgeAt(overview, 700, 33, 1)).toBe("a->c");
    // Where both start (200, 30), the nearer wins; just off a → b's curve towards the other, a → c's.
    expect(edgeAt(overview, 900, 30, 5)).toBe("a->c");
    expect(edgeAt(overview, 2000, 2000, 50)).toBeNull();
    // A bigger tolerance (zoomed out: a few screen pixels are many map units) reaches it from further.
    expect(edgeAt(overview, 600, 300, 5)).toBeNull();
    expect(edgeAt(overview, 600, 300, 40)).toBe("a->b");
    // Its curve, to draw it highlighted.
    expect(curveOf(overview, "a->b")).toEqual(edgeCurve(200, 30, 1000, 630));
    expect(curveOf(overview, "b->a")).toBeNull();
  });

  it("curves an edge as xyflow's bezier does: half the distance forwards, a loop backwards", () => {
    expect(edgeCurve(0, 0, 400, 100)).toEqual([0, 0, 200, 0, 200, 100, 400, 100]);
    // Backwards (target left of source): 0.25 × 25 × √distance each way.
    const [, , c1x, , c2x] = edgeCurve(400, 0, 0, 0);
    expect(c1x).toBeCloseTo(400 + 6.25 * 20);
    expect(c2x).toBeCloseTo(0 - 6.25 * 20);
  });

  it("joins a source's right handle to a target's left handle, both at mid-height", () => {
    const overview = buildOverview([node("a", 0, 0), node("b", 500, 300, { health: null })], [edge("a", "b")]);
    const curve = [...overview.batches[0]!.curves];
    expect(curve.slice(0, 2)).toEqual([nodeWidth, nodeHeight("healthy") / 2]);
    expect(curve.slice(6, 8)).toEqual([500, 300 + nodeHeight(null) / 2]);
    expect(overview.bounds).toEqual({ x: 0, y: 0, width: 500 + nodeWidth, height: 300 + nodeHeight(null) });
  });

  it("batches edges by colour, rounded width, dash and opacity; drops an edge whose end is not on the map", () => {
    const nodes = [node("a", 0, 0), node("b", 400, 0), node("c", 800, 0)];
    const overview = buildOverview(nodes, [
      edge("a", "b", { width: 2.1 }),
      edge("b", "c", { width: 1.9 }),
      edge("a", "c", { level: "failing", width: 2 }),
      edge("c", "a", { dashed: true }),
      edge("a", "gone"),
    ]);
    expect(overview.edgeCount).toBe(4);
    expect(overview.batches.map((batch) => [batch.level, batch.width, batch.dashed, batch.count])).toEqual([
      ["ok", 2, false, 2],
      ["ok", 2, true, 1],
      ["failing", 2, false, 1],
    ]);
  });

  it("draws faint edges before the others and failing ones last", () => {
    const nodes = [node("a", 0, 0), node("b", 400, 0)];
    const overview = buildOverview(nodes, [edge("a", "b", { level: "failing" }), edge("b", "a", { opacity: 0.1 }), edge("a", "b", { level: "none" })]);
    expect(overview.batches.map((batch) => [batch.level, batch.opacity])).toEqual([
      ["ok", 0.1],
      ["none", 1],
      ["failing", 1],
    ]);
  });

  it("finds the box under a point, the one drawn last where two overlap, and none over empty space", () => {
    const overview = buildOverview([node("a", 0, 0), node("b", 150, 20)], []);
    expect(nodeAt(overview, 10, 10)?.id).toBe("a");
    expect(nodeAt(overview, 160, 30)?.id).toBe("b");
    expect(nodeAt(overview, 360, 30)).toBeNull();
    expect(nodeAt(overview, 10, 200)).toBeNull();
  });
});

describe("the bitmap the overview copies from", () => {
  const bounds = { x: 1000, y: 500, width: 36_000, height: 14_000 };
  // The map and a box's width (200) around it.
  const whole = { x: 800, y: 300, width: 36_400, height: 14_400 };
  const pane = (zoom: number, x = 0, y = 0, pixelRatio = 1) => ({ x, y, zoom, width: 1000, height: 800, pixelRatio });

  it("holds the whole map while its bitmap fits the budget, at any pan", () => {
    // 0.05: 1,820 × 720 pixels.
    expect(bitmapRegion(bounds, pane(0.05), 8_000_000)).toEqual(whole);
    expect(bitmapRegion(bounds, pane(0.05, -900, -300), 8_000_000)).toEqual(whole);
    expect(regionCovers(whole, bounds, pane(0.05, -900, -300))).toBe(true);
  });

  it("holds the view and a quarter of it around it, within the map, when the whole map is too big", () => {
    // 0.2: the whole map would be 7,280 × 2,880 = 21 megapixels. The view: map x 10,000–15,000, y 5,000–9,000.
    const view = pane(0.2, -2000, -1000);
    const region = bitmapRegion(bounds, view, 8_000_000);
    expect(region).toEqual({ x: 8750, y: 4000, width: 7500, height: 6000 });
    expect(regionCovers(region!, bounds, view)).toBe(true);
    // Panned 200 pixels (1,000 map units): still inside; 600 pixels: out of it, drawn anew.
    expect(regionCovers(region!, bounds, pane(0.2, -2200, -1000))).toBe(true);
    expect(regionCovers(region!, bounds, pane(0.2, -2600, -1000))).toBe(false);
    // Near the map's corner the region stops at the map.
    expect(bitmapRegion(bounds, pane(0.2, 0, 0), 8_000_000)).toEqual({ x: 800, y: 300, width: 5450, height: 4700 });
  });

  it("gives way to drawing each frame past 8,192 pixels a side or off the map; a view off the map needs no bitmap", () => {
    // At 8 device pixels a pixel the view's surroundings within the map are 5,450 × 1.6 = 8,720 pixels wide.
    expect(bitmapRegion(bounds, pane(0.2, 0, 0, 8), 1e9)).toBeNull();
    expect(bitmapRegion(bounds, pane(0.2, 100_000, 100_000), 8_000_000)).toBeNull();
    expect(regionCovers({ x: 0, y: 0, width: 1, height: 1 }, bounds, pane(0.2, 100_000, 100_000))).toBe(true);
  });
});

describe("copying the bitmap", () => {
  it("takes only the part that lands on the canvas", () => {
    expect(visiblePart({ x: -500, y: 100, width: 2000, height: 300 }, 1000, 800)).toEqual({ x: 0, y: 100, width: 1000, height: 300 });
    expect(visiblePart({ x: 1200, y: 0, width: 100, height: 100 }, 1000, 800)).toBeNull();
  });
});

describe("drawing the overview", () => {
  const nodes = [node("a", 0, 0), node("b", 400, 0, { health: "unhealthy" }), node("far", 50_000, 50_000), node("ext", 800, 0, { health: null, dashed: true })];
  const edges = [edge("a", "b", { level: "failing" }), edge("b", "ext"), edge("far", "a")];

  it("draws the boxes and edges in view only, each look filled once", () => {
    const { context, named } = recorder();
    // 1000 × 800 pixels at zoom 0.1: the map from (0, 0) to (10,000, 8,000).
    const figures = drawOverview(context, buildOverview(nodes, edges), view(0.1), palette);
    expect(figures.nodes).toBe(3);
    expect(named("rect").map((call) => call.args[0])).toEqual([0, 400, 800]);
    // far → a ends in view: its curve's box meets the view.
    expect(figures.edges).toBe(3);
    expect(named("bezierCurveTo")).toHaveLength(3);
    expect(named("fill").map((call) => call.state.fillStyle)).toEqual(["fill-healthy", "fill-unhealthy", "fill-none"]);
    expect(named("stroke").map((call) => call.state.strokeStyle)).toContain("red");
  });

  it("draws only the edges under the elements, no box and no word", () => {
    const { context, named } = recorder();
    const figures = drawOverview(context, buildOverview(nodes, edges), view(0.35), palette, "edges");
    expect(figures).toEqual({ nodes: 0, edges: 3, labels: 0, icons: 0 });
    expect(named("bezierCurveTo")).toHaveLength(3);
    expect(named("fill")).toHaveLength(0);
    expect(named("fillText")).toHaveLength(0);
  });

  it("names the nodes in view, a key that changes only when they do", () => {
    const overview = buildOverview(nodes, edges);
    expect(nodesInView(overview, view(0.1)).split("\n")).toEqual(["a", "b", "ext"]);
    // Panned a little: the same nodes, the same key.
    expect(nodesInView(overview, view(0.1, { x: -5 }))).toBe(nodesInView(overview, view(0.1)));
    // At zoom 1, panned 450 pixels: map x 450–1,450, where b's and ext's boxes are, not a's.
    expect(nodesInView(overview, view(1, { x: -450 })).split("\n")).toEqual(["b", "ext"]);
    expect(nodesInView(overview, view(1, { x: -100_000 }))).toBe("");
  });

  it("culls everything when the view is elsewhere", () => {
    const { context, named } = recorder();
    const figures = drawOverview(context, buildOverview(nodes, edges), view(0.1, { x: 100_000, y: 100_000 }), palette);
    expect(figures).toEqual({ nodes: 0, edges: 0, labels: 0, icons: 0 });
    expect(named("stroke")).toHaveLength(0);
  });

  it("keeps an edge at least a device pixel wide when zoomed far out", () => {
    const { context, named } = recorder();
    drawOverview(context, buildOverview(nodes.slice(0, 2), [edge("a", "b", { width: 1 })]), view(0.05, { pixelRatio: 2 }), palette);
    // 1 / (2 × 0.05) = 10 map units: one device pixel.
    expect(named("stroke")[0]!.state.lineWidth).toBeCloseTo(10);
  });

  it("writes no word while boxes are dots, health icons once a box is 10 pixels high, names once it is 60 pixels wide", () => {
    const overview = buildOverview(nodes, edges);
    const dots = recorder();
    expect(drawOverview(dots.context, overview, view(0.1), palette)).toMatchObject({ labels: 0, icons: 0 });
    expect(dots.named("fillText")).toHaveLength(0);

    const icons = recorder();
    // 60 × 0.2 = 12 pixels high, 200 × 0.2 = 40 wide.
    expect(drawOverview(icons.context, overview, view(0.2), palette)).toMatchObject({ labels: 0, icons: 2 });
    expect(icons.named("fillText").map((call) => call.args[0])).toEqual(["✓", "✕"]);

    const named = recorder();
    expect(drawOverview(named.context, overview, view(0.35), palette)).toMatchObject({ labels: 3, icons: 2 });
    expect(named.named("fillText").map((call) => call.args[0])).toEqual(["✓ Service a", "✕ Service b", "Service ext"]);
    expect(named.named("fillText").map((call) => call.state.fillStyle)).toEqual(["t-healthy", "t-unhealthy", "t-none"]);
  });

  it("draws a search's outside faint and rings the node searched for", () => {
    const { context, named } = recorder();
    const overview = buildOverview([node("a", 0, 0, { centre: true }), node("b", 400, 0, { dimmed: true })], []);
    drawOverview(context, overview, view(0.1), palette);
    expect(named("fill").map((call) => call.state.globalAlpha)).toEqual([1, 0.2]);
    const ring = named("stroke").find((call) => call.state.strokeStyle === "ring");
    expect(ring).toBeDefined();
    expect(named("rect").at(-1)!.args).toEqual([-4, -4, nodeWidth + 8, nodeHeight("healthy") + 8]);
  });
});

// Pure: the map's overview, drawn on one <canvas> (components/appmap/overview-canvas.tsx) in place of xyflow's elements
// when a big map is zoomed out past reading (decision 0077). 2,000 nodes and 6,000 edges as elements took 11–15 s to
// first draw and panned at 6.5 frames a second; here each frame strokes the edges in a few paths (one per colour, width,
// dash and opacity) and fills the boxes, culled to the view. The geometry is xyflow's, so the map does not move when it
// switches: the same boxes at the same positions, the same bezier curves between the same handles.
import type { EdgeFailureLevel } from "@/lib/appmap/edge-failure";
import type { HealthState } from "@/lib/health/types";

/** A node box's width on the map, as app-map.tsx draws it. */
export const nodeWidth = 200;

/** A node box's height: with a health line (a service) or without (an external dependency). */
export function nodeHeight(health: HealthState | null): number {
  return health ? 60 : 44;
}

/** Below this zoom a big map is drawn as the overview: a box's 12-pixel text would be under 6 pixels high. */
export const readableZoom = 0.5;

/** A map drawing more nodes than this is drawn as the overview when zoomed out; a smaller one stays elements at any zoom. */
export const overviewAbove = 300;

export type NodeLook = HealthState | "none";

export interface OverviewNodeInput {
  id: string;
  x: number;
  y: number;
  label: string;
  /** The line under the label (team, kind). */
  sublabel: string;
  health: HealthState | null;
  /** External dependency or unknown role: a dashed border. */
  dashed: boolean;
  /** Outside a search's neighbourhood. */
  dimmed?: boolean;
  /** The node searched for. */
  centre?: boolean;
}

export interface OverviewEdgeInput {
  /** The drawn edge's id (what a click selects). */
  id: string;
  source: string;
  target: string;
  level: EdgeFailureLevel;
  /** Stroke width in map units (xyflow's edges scale with the zoom). */
  width: number;
  dashed: boolean;
  /** 1, or less for a stale or faint edge. */
  opacity: number;
}

export interface OverviewNode extends OverviewNodeInput {
  w: number;
  h: number;
}

/** Edges drawn with one stroke: the same colour, width, dash and opacity. */
export interface EdgeBatch {
  level: EdgeFailureLevel;
  width: number;
  dashed: boolean;
  opacity: number;
  /** Per edge: source x, y, first control x, y, second control x, y, target x, y. */
  curves: Float64Array;
  /** Per edge: min x, min y, max x, max y of its four points (the curve lies within them). */
  boxes: Float64Array;
  /** Per edge: its id. */
  ids: string[];
  count: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Overview {
  nodes: OverviewNode[];
  batches: EdgeBatch[];
  /** All nodes' extent, for fitting the view. */
  bounds: Rect;
  edgeCount: number;
}

/** xyflow's bezier control offset (`calculateControlOffset`, curvature 0.25): half the distance forwards, a loop backwards. */
function controlOffset(distance: number): number {
  return distance >= 0 ? 0.5 * distance : 0.25 * 25 * Math.sqrt(-distance);
}

/**
 * The curve of an edge from a source's right handle to a target's left handle, as xyflow's `getBezierPath` draws it:
 * [sx, sy, c1x, c1y, c2x, c2y, tx, ty].
 */
export function edgeCurve(sx: number, sy: number, tx: number, ty: number): [number, number, number, number, number, number, number, number] {
  const offset = controlOffset(tx - sx);
  return [sx, sy, sx + offset, sy, tx - offset, ty, tx, ty];
}

/** Widths are rounded to half a unit so that edges share strokes: 6 widths, not 6,000. */
const widthStep = 0.5;

export function buildOverview(nodes: OverviewNodeInput[], edges: OverviewEdgeInput[]): Overview {
  const placed = nodes.map((node) => ({ ...node, w: nodeWidth, h: nodeHeight(node.health) }));
  const byId = new Map(placed.map((node) => [node.id, node]));
  const groups = new Map<string, { input: OverviewEdgeInput; width: number; points: number[]; ids: string[] }>();
  let edgeCount = 0;
  for (const edge of edges) {
    const from = byId.get(edge.source);
    const to = byId.get(edge.target);
    if (!from || !to) continue;
    const width = Math.max(widthStep, Math.round(edge.width / widthStep) * widthStep);
    const key = `${edge.level}|${width}|${edge.dashed}|${edge.opacity}`;
    const group = groups.get(key) ?? { input: edge, width, points: [], ids: [] };
    group.points.push(...edgeCurve(from.x + from.w, from.y + from.h / 2, to.x, to.y + to.h / 2));
    group.ids.push(edge.id);
    groups.set(key, group);
    edgeCount += 1;
  }
  const batches: EdgeBatch[] = [...groups.values()].map(({ input, width, points, ids }) => {
    const curves = Float64Array.from(points);
    const count = curves.length / 8;
    const boxes = new Float64Array(count * 4);
    for (let i = 0; i < count; i++) {
      const c = i * 8;
      boxes[i * 4] = Math.min(curves[c]!, curves[c + 2]!, curves[c + 4]!, curves[c + 6]!);
      boxes[i * 4 + 1] = Math.min(curves[c + 1]!, curves[c + 7]!);
      boxes[i * 4 + 2] = Math.max(curves[c]!, curves[c + 2]!, curves[c + 4]!, curves[c + 6]!);
      boxes[i * 4 + 3] = Math.max(curves[c + 1]!, curves[c + 7]!);
    }
    return { level: input.level, width, dashed: input.dashed, opacity: input.opacity, curves, boxes, ids, count };
  });
  // Faint edges first, so that the ones that matter are drawn over them; failing last.
  const levelOrder: Record<EdgeFailureLevel, number> = { none: 0, ok: 1, elevated: 2, failing: 3 };
  batches.sort((a, b) => a.opacity - b.opacity || levelOrder[a.level] - levelOrder[b.level]);
  return { nodes: placed, batches, bounds: boundsOf(placed), edgeCount };
}

export function boundsOf(nodes: { x: number; y: number; w: number; h: number }[]): Rect {
  if (nodes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const node of nodes) {
    minX = Math.min(minX, node.x);
    minY = Math.min(minY, node.y);
    maxX = Math.max(maxX, node.x + node.w);
    maxY = Math.max(maxY, node.y + node.h);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

/** The node under a point of the map (map units), the one drawn last when boxes overlap; null over empty space. */
export function nodeAt(overview: Pick<Overview, "nodes">, x: number, y: number): OverviewNode | null {
  for (let i = overview.nodes.length - 1; i >= 0; i--) {
    const node = overview.nodes[i]!;
    if (x >= node.x && x <= node.x + node.w && y >= node.y && y <= node.y + node.h) return node;
  }
  return null;
}

/** The distance from (px, py) to the segment (ax, ay)–(bx, by). */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / length2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** How far a point is from the bezier `curves[at..at + 8]`, measured on a polyline whose pieces are no longer than `step`. */
function curveDistance(curves: Float64Array, at: number, px: number, py: number, step: number): number {
  const [x0, y0, x1, y1, x2, y2, x3, y3] = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => curves[at + k]!) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // The control polygon is at least as long as the curve.
  const hull = Math.hypot(x1 - x0, y1 - y0) + Math.hypot(x2 - x1, y2 - y1) + Math.hypot(x3 - x2, y3 - y2);
  const pieces = Math.min(256, Math.max(8, Math.ceil(hull / step)));
  let best = Infinity;
  let ax = x0;
  let ay = y0;
  for (let k = 1; k <= pieces; k++) {
    const t = k / pieces;
    const u = 1 - t;
    const bx = u * u * u * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3;
    const by = u * u * u * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3;
    best = Math.min(best, segmentDistance(px, py, ax, ay, bx, by));
    ax = bx;
    ay = by;
  }
  return best;
}

/**
 * The id of the edge passing nearest a point of the map (map units), if its curve comes within `tolerance` of it (or
 * within its own half width, for a wide edge); on a tie, the one drawn last (on top). Null when none does.
 */
export function edgeAt(overview: Pick<Overview, "batches">, x: number, y: number, tolerance: number): string | null {
  let found: string | null = null;
  let nearest = Infinity;
  for (const batch of overview.batches) {
    const reach = Math.max(tolerance, batch.width / 2);
    for (let i = 0; i < batch.count; i++) {
      const b = i * 4;
      if (x < batch.boxes[b]! - reach || x > batch.boxes[b + 2]! + reach || y < batch.boxes[b + 1]! - reach || y > batch.boxes[b + 3]! + reach) continue;
      const distance = curveDistance(batch.curves, i * 8, x, y, Math.max(tolerance, 1));
      if (distance <= reach && distance <= nearest) {
        nearest = distance;
        found = batch.ids[i]!;
      }
    }
  }
  return found;
}

/** An edge's curve ([sx, sy, c1x, c1y, c2x, c2y, tx, ty], map units) by its id; null when the overview does not draw it. */
export function curveOf(overview: Pick<Overview, "batches">, id: string): number[] | null {
  for (const batch of overview.batches) {
    const at = batch.ids.indexOf(id);
    if (at >= 0) return [...batch.curves.subarray(at * 8, at * 8 + 8)];
  }
  return null;
}

/** The view: xyflow's transform (screen = map × zoom + x, y) over a pane of `width` × `height` CSS pixels. */
export interface OverviewView {
  x: number;
  y: number;
  zoom: number;
  width: number;
  height: number;
  /** Device pixels per CSS pixel. */
  pixelRatio: number;
}

/** The map's extent and a box's width around it: all there is to draw. */
export function drawnExtent(bounds: Rect): Rect {
  return { x: bounds.x - nodeWidth, y: bounds.y - nodeWidth, width: bounds.width + 2 * nodeWidth, height: bounds.height + 2 * nodeWidth };
}

function intersection(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

/** The part of `rect` (canvas pixels) inside a canvas of `width` × `height`; null when none is. */
export function visiblePart(rect: Rect, width: number, height: number): Rect | null {
  return intersection(rect, { x: 0, y: 0, width, height });
}

/** The part of the map a view shows, in map units. */
export function viewRect(view: OverviewView): Rect {
  return { x: -view.x / view.zoom, y: -view.y / view.zoom, width: view.width / view.zoom, height: view.height / view.zoom };
}

/**
 * The part of the map to draw into a bitmap at a view's zoom, in map units: the whole map when its bitmap takes no more
 * than `maxPixels` device pixels (and 8,192 a side), else the view and a quarter of it around it, within the map; null when
 * even that is too big, or the view shows nothing of the map: then each frame draws what is in view. Drawn once, the
 * bitmap makes a pan a copy of it (until the view leaves it) and stands in, scaled, while the zoom changes.
 */
export function bitmapRegion(bounds: Rect, view: OverviewView, maxPixels: number): Rect | null {
  const scale = view.zoom * view.pixelRatio;
  const fits = (rect: Rect) => {
    const width = Math.ceil(rect.width * scale);
    const height = Math.ceil(rect.height * scale);
    return width * height <= maxPixels && width <= 8192 && height <= 8192;
  };
  const whole = drawnExtent(bounds);
  if (fits(whole)) return whole;
  const seen = viewRect(view);
  const around = intersection({ x: seen.x - seen.width / 4, y: seen.y - seen.height / 4, width: 1.5 * seen.width, height: 1.5 * seen.height }, whole);
  return around && fits(around) ? around : null;
}

/** Whether a bitmap of `region` holds all of the map that a view shows. */
export function regionCovers(region: Rect, bounds: Rect, view: OverviewView): boolean {
  const shown = intersection(viewRect(view), drawnExtent(bounds));
  if (!shown) return true;
  return shown.x >= region.x && shown.y >= region.y && shown.x + shown.width <= region.x + region.width && shown.y + shown.height <= region.y + region.height;
}

/** The colours the overview draws with, read from the theme's tokens (app/globals.css). */
export interface OverviewPalette {
  edge: Record<EdgeFailureLevel, string>;
  fill: Record<NodeLook, string>;
  border: Record<NodeLook, string>;
  text: Record<NodeLook, string>;
  ring: string;
}

/** What one call drew (the tests and the bench read it). */
export interface DrawnFigures {
  nodes: number;
  edges: number;
  labels: number;
  icons: number;
}

/** The canvas calls the overview makes: CanvasRenderingContext2D's, so that a test can record them. */
export type OverviewContext = Pick<
  CanvasRenderingContext2D,
  | "setTransform"
  | "clearRect"
  | "beginPath"
  | "moveTo"
  | "bezierCurveTo"
  | "stroke"
  | "rect"
  | "fill"
  | "fillText"
  | "setLineDash"
  | "save"
  | "restore"
  | "clip"
  | "globalAlpha"
  | "lineWidth"
  | "strokeStyle"
  | "fillStyle"
  | "font"
  | "textBaseline"
>;

/** A box's label is written once the box is this wide on screen; its health icon once it is this high. */
export const labelFromPixels = 60;
export const iconFromPixels = 10;

export const healthIcons: Record<HealthState, string> = { healthy: "✓", degraded: "!", unhealthy: "✕", unknown: "?" };

/** The ids of the nodes a view shows (any part of their box), one per line: a key that changes only when they do. */
export function nodesInView(overview: Pick<Overview, "nodes">, view: Omit<OverviewView, "pixelRatio">): string {
  const left = -view.x / view.zoom;
  const top = -view.y / view.zoom;
  const right = left + view.width / view.zoom;
  const bottom = top + view.height / view.zoom;
  const ids: string[] = [];
  for (const node of overview.nodes) if (node.x <= right && node.x + node.w >= left && node.y <= bottom && node.y + node.h >= top) ids.push(node.id);
  return ids.join("\n");
}

/**
 * Draws the overview (or, `what` "edges", only its edges: under xyflow's elements on a big map): the edges in view, one
 * stroke per batch, then the boxes in view, filled and bordered by health
 * (a dashed border for external dependencies and unknown roles, a ring round the node searched for, faint outside a
 * search's neighbourhood), then, once readable, each box's health icon and label at a fixed screen size (never colour
 * alone). Everything outside the view is skipped.
 */
export function drawOverview(
  context: OverviewContext,
  overview: Overview,
  view: OverviewView,
  palette: OverviewPalette,
  what: "all" | "edges" = "all",
): DrawnFigures {
  const { zoom, pixelRatio: ratio } = view;
  const left = -view.x / zoom;
  const top = -view.y / zoom;
  const right = left + view.width / zoom;
  const bottom = top + view.height / zoom;
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, view.width * ratio, view.height * ratio);
  context.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * view.x, ratio * view.y);
  // Never thinner than a device pixel, or a zoomed-out map's edges vanish.
  const hairline = 1 / (ratio * zoom);

  let edges = 0;
  for (const batch of overview.batches) {
    context.beginPath();
    let drawn = 0;
    for (let i = 0; i < batch.count; i++) {
      const b = i * 4;
      if (batch.boxes[b]! > right || batch.boxes[b + 2]! < left || batch.boxes[b + 1]! > bottom || batch.boxes[b + 3]! < top) continue;
      const c = i * 8;
      context.moveTo(batch.curves[c]!, batch.curves[c + 1]!);
      context.bezierCurveTo(batch.curves[c + 2]!, batch.curves[c + 3]!, batch.curves[c + 4]!, batch.curves[c + 5]!, batch.curves[c + 6]!, batch.curves[c + 7]!);
      drawn += 1;
    }
    if (drawn === 0) continue;
    context.globalAlpha = batch.opacity;
    context.strokeStyle = palette.edge[batch.level];
    context.lineWidth = Math.max(batch.width, hairline);
    context.setLineDash(batch.dashed ? [6, 4] : []);
    context.stroke();
    edges += drawn;
  }

  context.globalAlpha = 1;
  // Under xyflow's elements: the edges only (decision 0077).
  if (what === "edges") return { nodes: 0, edges, labels: 0, icons: 0 };

  const inView = overview.nodes.filter((node) => node.x <= right && node.x + node.w >= left && node.y <= bottom && node.y + node.h >= top);
  // Boxes of one look share a path: a fill and a stroke per look, not per box.
  const looks = new Map<string, OverviewNode[]>();
  for (const node of inView) {
    const key = `${node.health ?? "none"}|${node.dashed}|${node.dimmed === true}`;
    const list = looks.get(key);
    if (list) list.push(node);
    else looks.set(key, [node]);
  }
  for (const list of looks.values()) {
    const sample = list[0]!;
    const look: NodeLook = sample.health ?? "none";
    context.beginPath();
    for (const node of list) context.rect(node.x, node.y, node.w, node.h);
    context.globalAlpha = sample.dimmed ? 0.2 : 1;
    context.fillStyle = palette.fill[look];
    context.fill();
    context.strokeStyle = palette.border[look];
    context.lineWidth = Math.max(2, hairline);
    context.setLineDash(sample.dashed ? [6, 4] : []);
    context.stroke();
  }
  const centre = inView.find((node) => node.centre);
  if (centre) {
    context.globalAlpha = 1;
    context.setLineDash([]);
    context.beginPath();
    context.rect(centre.x - 4, centre.y - 4, centre.w + 8, centre.h + 8);
    context.strokeStyle = palette.ring;
    context.lineWidth = Math.max(4, 2 * hairline);
    context.stroke();
  }

  // Words at a fixed screen size, in CSS pixels.
  let labels = 0;
  let icons = 0;
  const writesLabels = nodeWidth * zoom >= labelFromPixels;
  if (nodeHeight("healthy") * zoom >= iconFromPixels || writesLabels) {
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.textBaseline = "middle";
    context.font = "600 11px system-ui, sans-serif";
    for (const node of inView) {
      const look: NodeLook = node.health ?? "none";
      const sx = node.x * zoom + view.x;
      const sy = node.y * zoom + view.y;
      const sw = node.w * zoom;
      const sh = node.h * zoom;
      const icon = node.health ? healthIcons[node.health] : "";
      if (!writesLabels && !icon) continue;
      context.globalAlpha = node.dimmed ? 0.3 : 1;
      context.fillStyle = palette.text[look];
      context.save();
      context.beginPath();
      context.rect(sx, sy, sw, sh);
      context.clip();
      const text = writesLabels ? `${icon ? `${icon} ` : ""}${node.label}` : icon;
      context.fillText(text, sx + Math.min(6, sw / 4), sy + sh / 2);
      context.restore();
      if (writesLabels) labels += 1;
      if (icon) icons += 1;
    }
  }
  context.globalAlpha = 1;
  return { nodes: inView.length, edges, labels, icons };
}

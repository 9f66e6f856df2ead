"use client";
// Draws the stored map with @xyflow/react at the positions the worker
// computed: the browser never lays out. Teams collapse into one node each
// (their edges rerouted to it); health is shown by colour, icon and word.
import "@xyflow/react/dist/style.css";
import { memo, useCallback, useEffect, useMemo, useState } from "react";
import { useTheme } from "next-themes";
import {
  Background,
  ControlButton,
  Controls,
  getViewportForBounds,
  Handle,
  MarkerType,
  Position as HandlePosition,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  useStoreApi,
  type Edge,
  type Node,
  type NodeHandle,
  type NodeProps,
} from "@xyflow/react";
import type { MapView } from "@/lib/appmap/get-map";
import { DeclareDependencyButton, type DeclareDependencyAction } from "@/components/catalog/declare-dependency-button";
import { EdgeOperations } from "@/components/appmap/edge-operations";
import { useHydrated } from "@/components/ui/hydrated-fieldset";
import type { MapEdge } from "@/lib/appmap/types";
import { edgeFailure } from "@/lib/appmap/edge-failure";
import { edgeAccessibleName, edgeColours, edgeFailureWords, edgeLabel, edgeRecentText, healthMarks } from "@/lib/appmap/map-marks";
import type { HealthState } from "@/lib/health/types";
import { DrawnMark } from "@/components/appmap/drawn-mark";
import { OverviewCanvas } from "@/components/appmap/overview-canvas";
import {
  boundsOf,
  buildOverview,
  curveOf,
  edgeAt,
  nodeAt,
  nodeHeight,
  nodesInView,
  nodeWidth,
  overviewAbove,
  readableZoom,
  type Overview,
  type OverviewEdgeInput,
  type OverviewNode,
} from "@/components/appmap/overview";

type MapNodeData = {
  label: string;
  kind: string;
  sublabel: string;
  health: HealthState | null;
  href?: string;
  members?: number;
  /** Outside the searched node's neighbourhood: drawn faint. */
  dimmed?: boolean;
  /** The searched node itself. */
  centre?: boolean;
};

const healthLook: Record<HealthState | "none", { icon: string; word: string; className: string }> = {
  healthy: { ...healthMarks.healthy, className: "border-success bg-success-muted text-success-muted-foreground" },
  degraded: { ...healthMarks.degraded, className: "border-warning bg-warning-muted text-warning-muted-foreground" },
  unhealthy: { ...healthMarks.unhealthy, className: "border-destructive bg-destructive-muted text-destructive-muted-foreground" },
  unknown: { ...healthMarks.unknown, className: "border-muted-foreground bg-muted text-foreground" },
  none: { icon: "", word: "", className: "border-border bg-card text-foreground" },
};

/** Drawn with a dashed border: not a catalog service. */
const dashedKinds = new Set(["unknown", "external", "external-group"]);

const MapNodeBox = memo(function MapNodeBox({ data }: NodeProps<Node<MapNodeData>>) {
  const look = healthLook[data.health ?? "none"];
  const dashed = dashedKinds.has(data.kind);
  return (
    <div
      // The size the overview draws and the flow is told before measuring (components/appmap/overview.ts).
      style={{ width: nodeWidth, height: nodeHeight(data.health) }}
      className={
        `rounded-md border-2 px-2 py-1 text-xs ${look.className} ${dashed ? "border-dashed" : ""} ` +
        `${data.dimmed ? "opacity-20" : ""} ${data.centre ? "ring-4 ring-primary" : ""}`
      }
      data-focus={data.centre ? "centre" : data.dimmed ? "dimmed" : undefined}
    >
      <Handle type="target" position={HandlePosition.Left} />
      <div className="truncate font-semibold" title={data.label}>
        {data.href ? (
          <a href={data.href} className="underline-offset-2 hover:underline">
            {data.label}
          </a>
        ) : (
          data.label
        )}
      </div>
      <div className="truncate text-[11px] opacity-80">{data.sublabel}</div>
      {data.health && (
        <div className="font-medium">
          <span aria-hidden="true">{look.icon}</span> {look.word}
        </div>
      )}
      <Handle type="source" position={HandlePosition.Right} />
    </div>
  );
});

const nodeTypes = { box: MapNodeBox };

/**
 * A node's size and handles, told to the flow before it is measured: xyflow then renders only the nodes in view
 * (`onlyRenderVisibleElements`) and draws an edge to one out of view, where it would otherwise render every node once to
 * measure it.
 */
function placedBox(health: HealthState | null): Pick<Node, "initialWidth" | "initialHeight" | "handles"> {
  const height = nodeHeight(health);
  const handles: NodeHandle[] = [
    { type: "target", position: HandlePosition.Left, x: -3, y: height / 2 - 3, width: 6, height: 6 },
    { type: "source", position: HandlePosition.Right, x: nodeWidth - 3, y: height / 2 - 3, width: 6, height: 6 },
  ];
  return { initialWidth: nodeWidth, initialHeight: height, handles };
}

function edgeWidth(calls: number, maxCalls: number): number {
  if (maxCalls <= 0) return 1;
  return 1 + 5 * (Math.log10(1 + calls) / Math.log10(1 + maxCalls));
}

const worstFirst: HealthState[] = ["unhealthy", "degraded", "unknown", "healthy"];

/** A search's result: the node searched for and those within its hops. */
export interface MapFocusView {
  centre: string;
  nodeIds: string[];
}

/** An edge as drawn: team-collapsed edges merge several of the map's edges into one. */
type DrawnEdge = MapEdge & { merged: number };

function Figure({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="font-semibold">{children}</dd>
    </div>
  );
}

/** What an edge's click shows: its figures, whether the catalog declares it, and "add to the catalog" for the caller's team. */
function EdgeDetails({
  edge,
  label,
  onClose,
  declare,
  map,
}: {
  edge: DrawnEdge;
  label: (id: string) => string;
  onClose: () => void;
  declare: React.ReactNode;
  map: Pick<MapView, "window" | "environment">;
}) {
  const several = edge.merged > 1;
  return (
    <section aria-label="Edge details" data-testid="edge-details" className="space-y-2 rounded-lg border border-border p-3 text-sm">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">
          {label(edge.source)} → {label(edge.target)}
        </h2>
        <button type="button" onClick={onClose} className="text-xs underline">
          Close
        </button>
      </div>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-6">
        <Figure label="Calls">{Math.round(edge.calls).toLocaleString("en")}</Figure>
        <Figure label="Failed">{Math.round(edge.failedCalls).toLocaleString("en")}</Figure>
        <Figure label="Failure %">
          <span style={{ color: edgeColours[edgeFailure({ failurePct: edge.failurePct }).level] }}>
            {edge.failurePct === null ? "—" : `${edge.failurePct.toFixed(2)} %`}
          </span>
        </Figure>
        <Figure label={`Last ${edge.recent?.minutes ?? 2} min`}>
          {edge.recent?.failurePct == null ? "—" : `${edge.recent.failurePct.toFixed(2)} % of ${Math.round(edge.recent.calls).toLocaleString("en")}`}
        </Figure>
        <Figure label="Average">{several || edge.avgMs === null ? "—" : `${edge.avgMs} ms`}</Figure>
        <Figure label="p95">{several || edge.p95Ms === null ? "—" : `${edge.p95Ms} ms`}</Figure>
      </dl>
      {several && (
        <p className="text-muted-foreground">{edge.merged} edges of a collapsed team, added up; expand the team for each one&apos;s average and p95.</p>
      )}
      {edgeFailure(edge).recentlyWorse && (
        <p className="font-semibold" style={{ color: edgeColours[edgeFailure(edge).level] }}>
          {edgeFailureWords(edge) === "failing now" ? "✕ Failing now" : "! Elevated failures now"}: {edgeRecentText(edge)}, more than this window&apos;s rate
          shows.
        </p>
      )}
      {edge.selfCall && <p>A call from the component to itself.</p>}
      {edge.stale && <p className="text-warning">Some of these figures come from a workspace whose last fetch failed or is old.</p>}
      {edge.declaration === "undeclared" && (
        <div className="space-y-1">
          <p>
            <span className="font-semibold">Undeclared:</span> observed, but the caller&apos;s catalog entry does not declare it.
          </p>
          {declare}
        </div>
      )}
      {edge.declaration === "declared" && <p>Declared in the catalog.</p>}
      {several ? (
        <p className="text-muted-foreground">Expand the team for an edge&apos;s top failing operations.</p>
      ) : (
        <EdgeOperations key={edge.id} source={edge.source} target={edge.target} window={map.window} environment={map.environment} />
      )}
    </section>
  );
}

/** xyflow's own fit-view icon (its Controls draw it; Wharf's fit-view button replaces theirs). */
const fitViewIcon =
  "M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5" +
  ".17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768" +
  "h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c" +
  "0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z";

const noNodes: Node<MapNodeData>[] = [];
const noEdges: Edge[] = [];

/** A summary of the overview for assistive technology: what the canvas shows, in words. */
function overviewDescription(overview: Overview): string {
  const counts = new Map<string, number>();
  for (const node of overview.nodes) if (node.health) counts.set(node.health, (counts.get(node.health) ?? 0) + 1);
  const states = worstFirst.filter((state) => counts.has(state)).map((state) => `${counts.get(state)} ${healthMarks[state].word.toLowerCase()}`);
  const failing = overview.batches.filter((batch) => batch.level === "failing").reduce((sum, batch) => sum + batch.count, 0);
  return (
    `Overview of the map: ${overview.nodes.length} nodes${states.length ? ` (${states.join(", ")})` : ""} and ${overview.edgeCount} edges` +
    `${failing ? `, ${failing} failing` : ""}. Zoom in, or search a node, to read and select them.`
  );
}

/**
 * An edge the canvas draws, drawn again over it in the focus ring's colour while it is pointed at or selected: among a
 * thousand curves, the one the tooltip or the figures are about. Follows the view as it pans and zooms.
 */
function EdgeHighlight({ curve }: { curve: number[] }) {
  const [x, y, zoom] = useStore((state) => state.transform);
  const [sx, sy, c1x, c1y, c2x, c2y, tx, ty] = curve;
  return (
    <svg className="pointer-events-none absolute inset-0 z-[4] h-full w-full" aria-hidden="true" data-testid="map-edge-highlight">
      <g transform={`translate(${x} ${y}) scale(${zoom})`}>
        <path
          d={`M ${sx} ${sy} C ${c1x} ${c1y}, ${c2x} ${c2y}, ${tx} ${ty}`}
          className="fill-none stroke-ring"
          strokeWidth={3}
          vectorEffect="non-scaling-stroke"
        />
      </g>
    </svg>
  );
}

/** What the pointer is over on the canvas: a box of the overview or a drawn edge (with its name in words). */
type Hit = { node: OverviewNode } | { edge: string; name: string };

const hitKey = (hit: Hit | null) => (hit === null ? "" : "node" in hit ? `node:${hit.node.id}` : `edge:${hit.edge}`);

/** How near an edge drawn on the canvas the pointer must come to hover or click it, in screen pixels. */
const edgeReachPixels = 6;

/**
 * The flow: fitted to the map (or a search's neighbourhood) by Wharf from the stored positions, as the nodes are not all
 * measured; xyflow's elements at a readable zoom, the overview canvas below it on a big map (decision 0077), where a
 * click on a box zooms in on it and a hover names it.
 */
function MapFlow({
  nodes,
  edges,
  overview,
  fitTo,
  maxFitZoom,
  colorMode,
  selectedEdge,
  onEdge,
}: {
  nodes: Node<MapNodeData>[];
  edges: Edge[];
  overview: Overview | null;
  fitTo: Node<MapNodeData>[];
  maxFitZoom: number;
  colorMode: "light" | "dark";
  selectedEdge: string | null;
  onEdge: (id: string) => void;
}) {
  const store = useStoreApi();
  const { setViewport, setCenter, screenToFlowPosition } = useReactFlow();
  const paneReady = useStore((state) => state.width > 0 && state.height > 0 && state.panZoom !== null);
  const zoomedOut = useStore((state) => state.transform[2] < readableZoom);
  const [fitted, setFitted] = useState(false);
  const [hovered, setHovered] = useState<{ what: Hit; x: number; y: number } | null>(null);
  const edgeNames = useMemo(() => new Map(edges.map((edge) => [edge.id, edge.ariaLabel ?? edge.id])), [edges]);
  const description = useMemo(() => (overview ? overviewDescription(overview) : ""), [overview]);
  const bounds = useMemo(
    () => boundsOf(fitTo.map((node) => ({ x: node.position.x, y: node.position.y, w: nodeWidth, h: node.initialHeight ?? nodeHeight(null) }))),
    [fitTo],
  );
  const fit = useCallback(
    (duration?: number) => {
      const { width, height, minZoom } = store.getState();
      return setViewport(getViewportForBounds(bounds, width, height, minZoom, maxFitZoom, 0.1), duration ? { duration } : undefined);
    },
    [bounds, maxFitZoom, setViewport, store],
  );
  useEffect(() => {
    if (!paneReady || fitted) return;
    void fit().then(() => setFitted(true));
  }, [paneReady, fitted, fit]);

  const asOverview = overview !== null && zoomedOut;
  const showElements = fitted && !asOverview;
  // A big map's elements: its edges between nodes in view; the canvas under them draws the rest (decision 0077).
  const shownNodeIds = useStore((state) =>
    overview && showElements
      ? nodesInView(overview, { x: state.transform[0], y: state.transform[1], zoom: state.transform[2], width: state.width, height: state.height })
      : "",
  );
  const elementEdges = useMemo(() => {
    if (!overview) return edges;
    const shown = new Set(shownNodeIds.split("\n"));
    return edges.filter((edge) => shown.has(edge.source) && shown.has(edge.target));
  }, [edges, overview, shownNodeIds]);
  // The edge pointed at, else the one selected, when the canvas draws it rather than an element.
  const highlighted = hovered && "edge" in hovered.what ? hovered.what.edge : selectedEdge;
  const highlight = useMemo(() => {
    if (!overview || !fitted || !highlighted || (!asOverview && elementEdges.some((edge) => edge.id === highlighted))) return null;
    return curveOf(overview, highlighted);
  }, [overview, fitted, highlighted, asOverview, elementEdges]);
  /**
   * What the canvas draws under the pointer: a box of the overview, else an edge the canvas draws (every edge of the
   * overview; zoomed in on a big map, those that are not elements), within a few pixels of its curve.
   */
  const hitAt = (event: React.MouseEvent): Hit | null => {
    if (!overview || !fitted) return null;
    const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
    const node = asOverview ? nodeAt(overview, point.x, point.y) : null;
    if (node) return { node };
    const edge = edgeAt(overview, point.x, point.y, edgeReachPixels / store.getState().transform[2]);
    return edge ? { edge, name: edgeNames.get(edge) ?? edge } : null;
  };
  return (
    <ReactFlow
      nodes={showElements ? nodes : noNodes}
      edges={showElements ? elementEdges : noEdges}
      nodeTypes={nodeTypes}
      colorMode={colorMode}
      onlyRenderVisibleElements
      onEdgeClick={(_, edge) => onEdge(edge.id)}
      onSelectionChange={({ edges: chosen }) => {
        if (chosen[0]) onEdge(chosen[0].id);
      }}
      onPaneClick={(event) => {
        const hit = hitAt(event);
        if (!hit) return;
        setHovered(null);
        if ("edge" in hit) onEdge(hit.edge);
        else void setCenter(hit.node.x + hit.node.w / 2, hit.node.y + hit.node.h / 2, { zoom: 1, duration: 400 });
      }}
      onPaneMouseMove={(event) => {
        const hit = hitAt(event);
        const pane = store.getState().domNode?.getBoundingClientRect();
        if (hitKey(hit) === hitKey(hovered?.what ?? null)) return;
        setHovered(hit && pane ? { what: hit, x: event.clientX - pane.left, y: event.clientY - pane.top } : null);
      }}
      onPaneMouseLeave={() => setHovered(null)}
      onMoveStart={() => setHovered(null)}
      nodesDraggable={false}
      nodesConnectable={false}
      minZoom={0.02}
      proOptions={{ hideAttribution: true }}
    >
      <Background />
      {fitted && overview && <OverviewCanvas overview={overview} description={description} edgesOnly={!asOverview} />}
      {highlight && <EdgeHighlight curve={highlight} />}
      {hovered && (
        <div
          role="tooltip"
          className="pointer-events-none absolute z-10 max-w-72 rounded-md border border-border bg-card px-2 py-1 text-xs text-foreground shadow"
          style={{ left: hovered.x + 12, top: hovered.y + 12 }}
        >
          {"node" in hovered.what ? (
            <>
              <div className="font-semibold">{hovered.what.node.label}</div>
              <div className="text-muted-foreground">{hovered.what.node.sublabel}</div>
              {hovered.what.node.health && (
                <div>
                  <span aria-hidden="true">{healthMarks[hovered.what.node.health].icon}</span> {healthMarks[hovered.what.node.health].word}
                </div>
              )}
              <div className="text-muted-foreground">Click to zoom in on it.</div>
            </>
          ) : (
            <>
              <div className="font-semibold">{hovered.what.name}</div>
              <div className="text-muted-foreground">Click for its figures.</div>
            </>
          )}
        </div>
      )}
      <Controls showFitView={false} showInteractive={false}>
        <ControlButton className="react-flow__controls-fitview" onClick={() => void fit(300)} title="Fit view" aria-label="Fit view">
          <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
            <path d={fitViewIcon} />
          </svg>
        </ControlButton>
      </Controls>
      <DrawnMark />
    </ReactFlow>
  );
}

export function AppMap({
  map,
  focus,
  declareAction,
  editableTeams = [],
  unknownRoleAnchors,
}: {
  map: MapView;
  focus?: MapFocusView | null;
  declareAction?: DeclareDependencyAction;
  editableTeams?: string[] | "all";
  /** Unknown-role node id → the id of its entry under "Roles no catalog service claims", where it can be linked. */
  unknownRoleAnchors?: Record<string, string>;
}) {
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  // Where wharf:map-draw starts: React has committed the flow (hydrated on a page load).
  useEffect(() => {
    performance.mark("wharf:map-mounted");
  }, []);
  const teams = useMemo(() => {
    const byTeam = new Map<string, { slug: string; name: string; count: number }>();
    for (const node of map.nodes) if (node.team) byTeam.set(node.team.slug, { ...node.team, count: (byTeam.get(node.team.slug)?.count ?? 0) + 1 });
    return [...byTeam.values()].sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
  }, [map.nodes]);

  const focused = useMemo(() => (focus ? new Set(focus.nodeIds) : null), [focus]);

  const { nodes, edges, drawn, overview } = useMemo(() => {
    const nodeById = new Map(map.nodes.map((node) => [node.id, node]));
    const groupOf = (id: string) => {
      const node = nodeById.get(id);
      return node?.team && collapsed.has(node.team.slug) ? `team:${node.team.slug}` : id;
    };
    const nodes: Node<MapNodeData>[] = [];
    // A collapsed team sits at the top-left corner of its services' box: the worker lays each team out as one group
    // (decision 0054), so that is where the team is on the expanded map.
    const groups = new Map<string, { x: number; y: number; n: number; name: string; states: HealthState[]; focused: boolean }>();
    for (const node of map.nodes) {
      if (node.team && collapsed.has(node.team.slug)) {
        const group = groups.get(node.team.slug) ?? { x: Infinity, y: Infinity, n: 0, name: node.team.name, states: [], focused: false };
        group.x = Math.min(group.x, node.position.x);
        group.y = Math.min(group.y, node.position.y);
        group.n += 1;
        group.focused ||= focused?.has(node.id) ?? false;
        if (node.health) group.states.push(node.health);
        groups.set(node.team.slug, group);
        continue;
      }
      const sublabel =
        node.kind === "service"
          ? `${node.team?.name ?? ""} · service`
          : node.kind === "unknown"
            ? "unknown service (no catalog entry claims this role)"
            : node.kind === "external-group"
              ? `${node.dependencyType} · grouped`
              : `${node.dependencyType} · external`;
      nodes.push({
        id: node.id,
        type: "box",
        position: node.position,
        ...placedBox(node.health),
        data: {
          label: node.label,
          kind: node.kind,
          sublabel,
          health: node.health,
          ...(node.serviceSlug && { href: `/catalog/${node.serviceSlug}` }),
          ...(node.kind === "unknown" && unknownRoleAnchors?.[node.id] && { href: `#${unknownRoleAnchors[node.id]}` }),
          ...(focused && { dimmed: !focused.has(node.id), centre: focus?.centre === node.id }),
        },
      });
    }
    for (const [slug, group] of groups) {
      const health = worstFirst.find((state) => group.states.includes(state)) ?? null;
      nodes.push({
        id: `team:${slug}`,
        type: "box",
        position: { x: group.x, y: group.y },
        ...placedBox(health),
        data: { label: `${group.name} (${group.n})`, kind: "team", sublabel: "team, collapsed", health, ...(focused && { dimmed: !group.focused }) },
      });
    }
    const maxCalls = Math.max(0, ...map.edges.map((edge) => edge.calls));
    const merged = new Map<string, DrawnEdge>();
    for (const edge of map.edges) {
      const source = groupOf(edge.source);
      const target = groupOf(edge.target);
      // Calls inside a collapsed team are inside its node, not a loop on it.
      if (source === target && !edge.selfCall) continue;
      const id = `${source}->${target}`;
      const existing = merged.get(id);
      if (!existing) merged.set(id, { ...edge, id, source, target, merged: 1 });
      else {
        existing.merged += 1;
        existing.calls += edge.calls;
        existing.failedCalls += edge.failedCalls;
        existing.failurePct = existing.calls > 0 ? (100 * existing.failedCalls) / existing.calls : null;
        if (edge.recent) {
          const calls = (existing.recent?.calls ?? 0) + edge.recent.calls;
          const failedCalls = (existing.recent?.failedCalls ?? 0) + edge.recent.failedCalls;
          existing.recent = { minutes: edge.recent.minutes, calls, failedCalls, failurePct: calls > 0 ? (100 * failedCalls) / calls : null };
        }
        if (edge.declaration === "undeclared") existing.declaration = "undeclared";
        existing.stale ||= edge.stale;
      }
    }
    const shownIds = new Set(nodes.filter((node) => !node.data.dimmed).map((node) => node.id));
    const overviewEdges: OverviewEdgeInput[] = [];
    const edges: Edge[] = [...merged.values()].map((edge) => {
      const faint = focused !== null && !(shownIds.has(edge.source) && shownIds.has(edge.target));
      const level = edgeFailure(edge).level;
      const colour = edgeColours[level];
      overviewEdges.push({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        level,
        width: edgeWidth(edge.calls, maxCalls),
        dashed: edge.declaration === "undeclared",
        opacity: faint ? 0.1 : edge.stale ? 0.5 : 1,
      });
      return {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        label: edgeLabel(edge) ?? undefined,
        interactionWidth: 16,
        ariaLabel: edgeAccessibleName(edge, nodeById.get(edge.source)?.label ?? edge.source, nodeById.get(edge.target)?.label ?? edge.target),
        style: {
          stroke: colour,
          strokeWidth: edgeWidth(edge.calls, maxCalls),
          ...(edge.declaration === "undeclared" && { strokeDasharray: "6 4" }),
          ...(edge.stale && { opacity: 0.5 }),
          ...(faint && { opacity: 0.1 }),
        },
        // In user space, so a wide edge does not grow a huge arrowhead.
        markerEnd: { type: MarkerType.ArrowClosed, color: colour, width: 16, height: 16, markerUnits: "userSpaceOnUse" },
      };
    });
    // A big map zoomed out is drawn on a canvas instead (decision 0077).
    const overview =
      nodes.length > overviewAbove
        ? buildOverview(
            nodes.map((node) => ({
              id: node.id,
              x: node.position.x,
              y: node.position.y,
              label: node.data.label,
              sublabel: node.data.sublabel,
              health: node.data.health,
              dashed: dashedKinds.has(node.data.kind),
              ...(node.data.dimmed && { dimmed: true }),
              ...(node.data.centre && { centre: true }),
            })),
            overviewEdges,
          )
        : null;
    return { nodes, edges, drawn: merged, overview };
  }, [map, collapsed, focused, focus?.centre, unknownRoleAnchors]);

  // xyflow follows the app's theme (next-themes puts `dark` on <html>); app/globals.css binds its colours to the theme's
  // tokens. The server cannot know the theme: light until hydrated, as React keeps the server's class when it hydrates.
  const { resolvedTheme } = useTheme();
  const hydrated = useHydrated();
  const colorMode = hydrated && resolvedTheme === "dark" ? "dark" : "light";

  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);
  const selected = selectedEdge ? drawn.get(selectedEdge) : undefined;
  const byId = useMemo(() => new Map(map.nodes.map((node) => [node.id, node])), [map.nodes]);
  const label = (id: string) => byId.get(id)?.label ?? (id.startsWith("team:") ? `team ${id.slice(5)}` : id);
  const declareFor = (edge: DrawnEdge) => {
    const from = byId.get(edge.source);
    const to = byId.get(edge.target);
    if (!declareAction || edge.merged > 1 || !from?.serviceSlug || !to?.serviceSlug || !from.team) return null;
    if (editableTeams !== "all" && !editableTeams.includes(from.team.slug))
      return <p className="text-muted-foreground">Only {from.team.name} (or a platform admin) can add it to the catalog.</p>;
    return (
      <>
        <DeclareDependencyButton key={edge.id} action={declareAction} slug={from.serviceSlug} dependsOn={to.serviceSlug} />
        <p className="text-xs text-muted-foreground">
          The service page shows it at once; the map is rebuilt from its stored edges within seconds (reload to see it).
        </p>
      </>
    );
  };

  const toggle = (slug: string) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(slug)) next.delete(slug);
      else next.add(slug);
      return next;
    });

  return (
    <div className="space-y-3">
      {teams.length > 0 && (
        // Scrolls within a few rows: 85 teams' buttons took 11 rows and pushed the map below a 1080p screen's fold.
        <div className="flex max-h-28 flex-wrap items-center gap-2 overflow-y-auto text-sm" aria-label="Teams">
          <span className="text-muted-foreground">Teams:</span>
          {teams.map((team) => (
            <button
              key={team.slug}
              type="button"
              onClick={() => toggle(team.slug)}
              aria-pressed={collapsed.has(team.slug)}
              className="rounded-full border border-border px-2.5 py-0.5 hover:bg-muted aria-pressed:bg-muted"
            >
              {collapsed.has(team.slug) ? "▸" : "▾"} {team.name} ({team.count})
            </button>
          ))}
          <button type="button" className="text-xs underline" onClick={() => setCollapsed(new Set(teams.map((team) => team.slug)))}>
            collapse all
          </button>
          <button type="button" className="text-xs underline" onClick={() => setCollapsed(new Set())}>
            expand all
          </button>
        </div>
      )}
      <div className="h-[70vh] rounded-lg border border-border" data-testid="app-map">
        <ReactFlowProvider
          // A new search remounts the flow so it fits the view to the focused nodes.
          key={focus ? `${focus.centre}:${focus.nodeIds.length}` : "all"}
        >
          <MapFlow
            nodes={nodes}
            edges={edges}
            overview={overview}
            fitTo={focus ? nodes.filter((node) => !node.data.dimmed) : nodes}
            maxFitZoom={focus ? 1.5 : 2}
            colorMode={colorMode}
            selectedEdge={selectedEdge}
            onEdge={setSelectedEdge}
          />
        </ReactFlowProvider>
      </div>
      {overview && (
        <p className="text-sm text-muted-foreground" data-testid="map-overview-hint">
          {nodes.length.toLocaleString("en")} nodes: zoomed out, the map is drawn as an overview, each box coloured and marked by its health (✓ healthy, !
          degraded, ✕ unhealthy, ? unknown) and named once there is room. Point at a box or an edge to name it; click an edge for its figures, a box to zoom in
          on it (or zoom in) for names and links; or collapse teams, or search a node.
        </p>
      )}
      {selected ? (
        <EdgeDetails edge={selected} label={label} onClose={() => setSelectedEdge(null)} declare={declareFor(selected)} map={map} />
      ) : (
        <p className="text-sm text-muted-foreground">Click an edge (or focus it with Tab and press Enter) for its figures and top failing operations.</p>
      )}
      <p className="text-xs text-muted-foreground">
        Edge width: calls (log scale). Colour: green under 1 % failed, amber under 5 %, red 5 % or more. Dashed edge: observed but not declared in the catalog.
        Dashed box: external dependency or a role no catalog service claims. Faded edge: its workspace&apos;s figures are stale.
      </p>
    </div>
  );
}

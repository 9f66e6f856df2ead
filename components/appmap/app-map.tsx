"use client";
// Draws the stored map with @xyflow/react at the positions the worker
// computed: the browser never lays out. Teams collapse into one node each
// (their edges rerouted to it); health is shown by colour, icon and word.
import "@xyflow/react/dist/style.css";
import { memo, useEffect, useMemo, useState } from "react";
import { useTheme } from "next-themes";
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position as HandlePosition,
  ReactFlow,
  useStore,
  type Edge,
  type Node,
  type NodeProps,
  type ReactFlowState,
} from "@xyflow/react";
import type { MapView } from "@/lib/appmap/get-map";
import { DeclareDependencyButton, type DeclareDependencyAction } from "@/components/catalog/declare-dependency-button";
import { EdgeOperations } from "@/components/appmap/edge-operations";
import { useHydrated } from "@/components/ui/hydrated-fieldset";
import type { MapEdge } from "@/lib/appmap/types";
import { edgeFailure } from "@/lib/appmap/edge-failure";
import { edgeAccessibleName, edgeColours, edgeFailureWords, edgeLabel, edgeRecentText, healthMarks } from "@/lib/appmap/map-marks";
import type { HealthState } from "@/lib/health/types";

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

const MapNodeBox = memo(function MapNodeBox({ data }: NodeProps<Node<MapNodeData>>) {
  const look = healthLook[data.health ?? "none"];
  const dashed = data.kind === "unknown" || data.kind === "external" || data.kind === "external-group";
  return (
    <div
      className={
        `w-[200px] rounded-md border-2 px-2 py-1 text-xs ${look.className} ${dashed ? "border-dashed" : ""} ` +
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

/** The nodes given to the flow, once xyflow has measured every one of them (each has its handles' bounds); null before. */
function measuredNodes(state: ReactFlowState, marked: unknown): ReactFlowState["nodes"] | null {
  if (state.nodes === marked || state.nodes.length === 0) return null;
  for (const node of state.nodeLookup.values()) if (!node.internals.handleBounds) return null;
  return state.nodes;
}

/**
 * Marks `wharf:map-drawn` when the map's nodes are on screen (bench/map-browser.ts reads it), and measures `wharf:map-draw`
 * from the map's mount to its first drawing. xyflow renders every node until it has measured it and fits the view in the
 * same update that records the measurements, so once every node is measured the fitted map is committed, edges included;
 * two animation frames later that frame has been painted. Marked again after each change of the nodes (a team collapsed
 * or expanded); a pan or zoom keeps the same nodes and costs the check nothing.
 */
function DrawnMark() {
  const [marked, setMarked] = useState<unknown>(null);
  const measured = useStore((state) => measuredNodes(state, marked));
  useEffect(() => {
    if (!measured) return;
    let painted = 0;
    const committed = requestAnimationFrame(() => {
      painted = requestAnimationFrame(() => {
        performance.mark("wharf:map-drawn", { detail: { nodes: measured.length } });
        if (performance.getEntriesByName("wharf:map-draw").length === 0 && performance.getEntriesByName("wharf:map-mounted").length > 0)
          performance.measure("wharf:map-draw", "wharf:map-mounted", "wharf:map-drawn");
        setMarked(measured);
      });
    });
    // New nodes before the frames ran: they are measured and marked in their turn.
    return () => {
      cancelAnimationFrame(committed);
      cancelAnimationFrame(painted);
    };
  }, [measured]);
  return null;
}

/**
 * A map with more nodes than this opens with its teams collapsed (a search still opens expanded, on what it found):
 * 2,000 services drawn at once took 11–15 s to first draw and panned at 6.5 frames a second in bench/map-browser.ts,
 * and at that size a team's box says more than its services' names.
 */
export const collapseTeamsAbove = 400;

function teamSlugs(nodes: MapView["nodes"]): Set<string> {
  return new Set(nodes.flatMap((node) => (node.team ? [node.team.slug] : [])));
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
  const opensCollapsed = !focus && map.nodes.length > collapseTeamsAbove;
  const [collapsed, setCollapsed] = useState<Set<string>>(() => (opensCollapsed ? teamSlugs(map.nodes) : new Set()));
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

  const { nodes, edges, drawn } = useMemo(() => {
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
    const edges: Edge[] = [...merged.values()].map((edge) => {
      const faint = focused !== null && !(shownIds.has(edge.source) && shownIds.has(edge.target));
      const colour = edgeColours[edgeFailure(edge).level];
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
    return { nodes, edges, drawn: merged };
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
      {opensCollapsed && (
        <p className="text-sm text-muted-foreground" data-testid="map-opened-collapsed">
          {map.nodes.length.toLocaleString("en")} nodes: the map opens with its {teams.length} teams collapsed, each drawn as one box with its health. Expand
          the teams you want, or search a node.
        </p>
      )}
      <div className="h-[70vh] rounded-lg border border-border" data-testid="app-map">
        <ReactFlow
          // A new search remounts the flow so it fits the view to the focused nodes.
          key={focus ? `${focus.centre}:${focus.nodeIds.length}` : "all"}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          colorMode={colorMode}
          fitView
          fitViewOptions={focus ? { nodes: nodes.filter((node) => !node.data.dimmed).map((node) => ({ id: node.id })), maxZoom: 1.5 } : undefined}
          onlyRenderVisibleElements
          onEdgeClick={(_, edge) => setSelectedEdge(edge.id)}
          onSelectionChange={({ edges: chosen }) => {
            if (chosen[0]) setSelectedEdge(chosen[0].id);
          }}
          nodesDraggable={false}
          nodesConnectable={false}
          minZoom={0.05}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          <Controls showInteractive={false} />
          <DrawnMark />
        </ReactFlow>
      </div>
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

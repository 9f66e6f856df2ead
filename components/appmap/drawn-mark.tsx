"use client";
// The map's `wharf:map-drawn` mark (bench/map-browser.ts reads it) and the measure `wharf:map-draw` from the map's mount
// (`wharf:map-mounted`, app-map.tsx) to its first drawing.
import { useEffect, useState } from "react";
import { useStore, type ReactFlowState } from "@xyflow/react";

/**
 * Marks `wharf:map-drawn` two animation frames from now, once the frame drawn in this one has been painted; the first
 * time, also measures `wharf:map-draw`. Returns a cancel.
 */
export function markMapDrawn(detail: Record<string, unknown>, then?: () => void): () => void {
  let painted = 0;
  const committed = requestAnimationFrame(() => {
    painted = requestAnimationFrame(() => {
      performance.mark("wharf:map-drawn", { detail });
      if (performance.getEntriesByName("wharf:map-draw").length === 0 && performance.getEntriesByName("wharf:map-mounted").length > 0)
        performance.measure("wharf:map-draw", "wharf:map-mounted", "wharf:map-drawn");
      then?.();
    });
  });
  return () => {
    cancelAnimationFrame(committed);
    cancelAnimationFrame(painted);
  };
}

/**
 * The nodes given to the flow once xyflow has measured every one of them in view (it renders only those, and the others
 * carry their size and handles from the start); null before, or when there are none (the overview draws instead).
 */
function measuredNodes(state: ReactFlowState, marked: unknown): ReactFlowState["nodes"] | null {
  if (state.nodes === marked || state.nodes.length === 0 || !state.width || !state.height) return null;
  const [x, y, zoom] = state.transform;
  const left = -x / zoom;
  const top = -y / zoom;
  const right = left + state.width / zoom;
  const bottom = top + state.height / zoom;
  for (const node of state.nodeLookup.values()) {
    if (node.measured.width !== undefined) continue;
    const { x: nx, y: ny } = node.internals.positionAbsolute;
    const width = node.initialWidth ?? 0;
    const height = node.initialHeight ?? 0;
    if (nx <= right && nx + width >= left && ny <= bottom && ny + height >= top) return null;
  }
  return state.nodes;
}

/**
 * Marks the map drawn when the nodes in view are on screen: xyflow commits a node, measures it and then draws its edges,
 * so once every node in view is measured the map in view is committed, edges included; two animation frames later that
 * frame has been painted. Marked again after each change of the nodes (a team collapsed or expanded, the overview left
 * for the elements); a pan or zoom keeps the same nodes and costs the check one pass over them.
 */
export function DrawnMark() {
  const [marked, setMarked] = useState<unknown>(null);
  const measured = useStore((state) => measuredNodes(state, marked));
  useEffect(() => {
    if (!measured) return;
    // New nodes before the frames ran: they are measured and marked in their turn.
    return markMapDrawn({ nodes: measured.length }, () => setMarked(measured));
  }, [measured]);
  return null;
}

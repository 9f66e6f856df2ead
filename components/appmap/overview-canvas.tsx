"use client";
// The map's overview on one <canvas> over xyflow's pane (decision 0077): redrawn in the next animation frame after each
// pan or zoom, from xyflow's own transform, so the pane keeps its gestures and controls. While the whole map fits a
// bitmap of a few megapixels it is drawn once per zoom and each pan copies it; a bigger map, the part around the view. It takes no pointer events; the
// map (app-map.tsx) hit-tests the pane's clicks and hovers against the same boxes.
import { useEffect, useRef } from "react";
import { useTheme } from "next-themes";
import { useStoreApi } from "@xyflow/react";
import {
  bitmapRegion,
  drawOverview,
  regionCovers,
  type DrawnFigures,
  type Overview,
  type OverviewPalette,
  type OverviewView,
  type Rect,
  visiblePart,
} from "@/components/appmap/overview";
import { markMapDrawn } from "@/components/appmap/drawn-mark";

/** The theme's colours as the canvas needs them: custom properties resolved on the map's own element. */
function readPalette(element: Element): OverviewPalette {
  const style = getComputedStyle(element);
  // A token the theme lacks falls back to the element's own text colour (a canvas cannot take var(--…)).
  const token = (name: string) => style.getPropertyValue(`--${name}`).trim() || style.color;
  return {
    edge: { none: token("edge-none"), ok: token("edge-ok"), elevated: token("edge-elevated"), failing: token("edge-failing") },
    fill: {
      healthy: token("success-muted"),
      degraded: token("warning-muted"),
      unhealthy: token("destructive-muted"),
      unknown: token("muted"),
      none: token("card"),
    },
    // An external dependency's border in the muted text colour, not the elements' light border colour: a few pixels
    // wide, a light border vanished on the page's background.
    border: {
      healthy: token("success"),
      degraded: token("warning"),
      unhealthy: token("destructive"),
      unknown: token("muted-foreground"),
      none: token("muted-foreground"),
    },
    text: {
      healthy: token("success-muted-foreground"),
      degraded: token("warning-muted-foreground"),
      unhealthy: token("destructive-muted-foreground"),
      unknown: token("foreground"),
      none: token("foreground"),
    },
    ring: token("primary"),
  };
}

/** The map (or the part around the view) drawn at one zoom, copied into view on each frame of a pan. */
interface Bitmap {
  canvas: HTMLCanvasElement;
  zoom: number;
  pixelRatio: number;
  /** The part of the map it holds, in map units. */
  region: Rect;
  drawn: DrawnFigures;
}

/**
 * While the zoom changes, the last bitmap stands in up to this many times bigger or smaller (blurred, or with the map
 * around the view missing) before one is drawn at the new zoom: drawing one took most of a zoom's frames.
 */
const maxStretch = 4;

/** How long the zoom must rest before the scaled picture is drawn anew, sharp. */
const redrawAfterZoomMs = 150;

/**
 * The overview; with `edgesOnly`, under xyflow's elements at a readable zoom, the map's edges alone (the elements draw
 * only those between nodes in view: hundreds of long edges as SVG elements panned at 3 frames a second).
 */
export function OverviewCanvas({ overview, description, edgesOnly = false }: { overview: Overview; description: string; edgesOnly?: boolean }) {
  const what = edgesOnly ? "edges" : "all";
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  const { resolvedTheme } = useTheme();

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d");
    if (!canvas || !context) return;
    const palette = readPalette(canvas);
    let frame = 0;
    let settle: ReturnType<typeof setTimeout> | undefined;
    let marked = false;
    let bitmap: Bitmap | null = null;
    /** A bitmap's canvas no longer needed, drawn into again rather than a new one made. */
    let spare: HTMLCanvasElement | null = null;

    /** The map around the view (all of it, if small enough) drawn once at this zoom; null when too big (bitmapRegion). */
    const drawBitmap = (view: OverviewView): Bitmap | null => {
      const { zoom, pixelRatio } = view;
      const maxPixels = Math.max(4_000_000, 2.25 * view.width * view.height * pixelRatio * pixelRatio);
      const region = bitmapRegion(overview.bounds, view, maxPixels);
      if (!region) return null;
      const target = spare ?? document.createElement("canvas");
      spare = null;
      const targetContext = target.getContext("2d");
      if (!targetContext) return null;
      target.width = Math.ceil(region.width * zoom * pixelRatio);
      target.height = Math.ceil(region.height * zoom * pixelRatio);
      const drawn = drawOverview(
        targetContext,
        overview,
        { x: -region.x * zoom, y: -region.y * zoom, zoom, width: region.width * zoom, height: region.height * zoom, pixelRatio },
        palette,
        what,
      );
      return { canvas: target, zoom, pixelRatio, region, drawn };
    };
    /**
     * Copies the part of the bitmap in view into view, scaled when the zoom has moved on since it was drawn. Only that
     * part: given the whole bitmap, software rasterising (no GPU) filtered all of it each frame, 100 ms a frame while
     * zooming (bench/map-browser.ts's profile: 72 % of the zoom's main thread in drawImage).
     */
    const copy = (from: Bitmap, x: number, y: number, zoom: number) => {
      const scale = zoom / from.zoom;
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.clearRect(0, 0, canvas.width, canvas.height);
      const left = from.pixelRatio * (from.region.x * zoom + x);
      const top = from.pixelRatio * (from.region.y * zoom + y);
      const part = visiblePart({ x: left, y: top, width: from.canvas.width * scale, height: from.canvas.height * scale }, canvas.width, canvas.height);
      if (!part) return;
      context.imageSmoothingEnabled = scale !== 1;
      context.drawImage(
        from.canvas,
        (part.x - left) / scale,
        (part.y - top) / scale,
        part.width / scale,
        part.height / scale,
        part.x,
        part.y,
        part.width,
        part.height,
      );
    };
    const discard = () => {
      if (bitmap) spare = bitmap.canvas;
      bitmap = null;
    };
    const draw = () => {
      frame = 0;
      const { transform, width, height } = store.getState();
      if (!width || !height) return;
      const [x, y, zoom] = transform;
      const pixelRatio = window.devicePixelRatio || 1;
      const deviceWidth = Math.round(width * pixelRatio);
      const deviceHeight = Math.round(height * pixelRatio);
      if (canvas.width !== deviceWidth || canvas.height !== deviceHeight) {
        canvas.width = deviceWidth;
        canvas.height = deviceHeight;
      }
      const view: OverviewView = { x, y, zoom, width, height, pixelRatio };
      let drawn: DrawnFigures;
      if (bitmap?.pixelRatio === pixelRatio && bitmap.zoom === zoom && regionCovers(bitmap.region, overview.bounds, view)) {
        // A pan within the bitmap: the same picture, moved.
        copy(bitmap, x, y, zoom);
        drawn = bitmap.drawn;
      } else if (bitmap?.pixelRatio === pixelRatio && bitmap.zoom !== zoom && zoom / bitmap.zoom >= 1 / maxStretch && zoom / bitmap.zoom <= maxStretch) {
        // Zooming: the last picture scaled at once, drawn anew at this zoom once the wheel rests.
        copy(bitmap, x, y, zoom);
        drawn = bitmap.drawn;
        clearTimeout(settle);
        settle = setTimeout(() => {
          discard();
          schedule();
        }, redrawAfterZoomMs);
      } else {
        discard();
        bitmap = drawBitmap(view);
        if (bitmap) {
          copy(bitmap, x, y, zoom);
          drawn = bitmap.drawn;
        } else {
          // No bitmap at this zoom: what is in view, every frame.
          drawn = drawOverview(context, overview, view, palette, what);
        }
      }
      if (!marked && what === "all") {
        marked = true;
        markMapDrawn({ nodes: overview.nodes.length, overview: true, inView: drawn.nodes, edgesDrawn: drawn.edges, labels: drawn.labels, icons: drawn.icons });
      }
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    schedule();
    let { transform, width, height } = store.getState();
    const unsubscribe = store.subscribe((state) => {
      if (state.transform === transform && state.width === width && state.height === height) return;
      ({ transform, width, height } = state);
      schedule();
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
      clearTimeout(settle);
    };
  }, [overview, store, resolvedTheme, what]);

  return (
    <canvas
      ref={canvasRef}
      // Under the elements, it draws the edges whose ends are not both in view: each becomes an element, with its name,
      // once they are.
      {...(edgesOnly ? { "aria-hidden": true, "data-testid": "map-edges-canvas" } : { role: "img", "aria-label": description, "data-testid": "map-overview" })}
      className="pointer-events-none absolute inset-0 z-[3] h-full w-full"
    />
  );
}

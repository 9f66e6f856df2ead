// The theme's colour pairs keep WCAG AA contrast (4.5:1 for text) in light and
// dark (decision 0063): read from app/globals.css itself, so a token changed
// there is checked here, and every token the @theme block exposes is defined
// in both themes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const css = readFileSync(new URL("../../app/globals.css", import.meta.url), "utf8");

/** The custom properties set in the first block opened by `selector` (`:root`, `.dark`, `@theme`). */
function block(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`app/globals.css has no ${selector} block`);
  const body = css.slice(start, css.indexOf("}", start));
  return new Map([...body.matchAll(/--([\w-]+):\s*([^;]+);/g)].map((match) => [match[1]!, match[2]!.trim()]));
}

/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`${hex} is not a #rrggbb colour`);
  const [r, g, b] = match.slice(1).map((part) => {
    const channel = parseInt(part, 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

const surfaces = ["background", "card", "muted"];
/** Text colours that sit on the page's surfaces: body text, secondary text, links and status words. */
const textOnSurfaces = ["foreground", "muted-foreground", "primary", "destructive", "success", "warning", "info"];
/** A solid or tinted colour and the text written on it. */
const pairs = ["primary", "destructive", "success", "warning", "info", "destructive-muted", "success-muted", "warning-muted", "info-muted"].map(
  (surface) => [`${surface}-foreground`, surface] as const,
);

const themes = { light: block(":root"), dark: block(".dark") };

/**
 * Marks in charts and on the map (app/globals.css: series, edges, the health charts' threshold lines), not text: WCAG
 * 1.4.11 asks 3:1 against what they are drawn on. The greys for what a cost chart sets apart (`--chart-other-*`) are
 * exempt: they recede on purpose, and the legend and the text summary name every group.
 */
const marks = ["chart-1", "chart-2", "chart-3", "chart-4", "chart-5", "chart-6", "edge-none", "edge-ok", "edge-elevated", "edge-failing"];
const chartTokens = [...marks, "chart-other-1", "chart-other-2", "chart-other-3", "chart-other-4"];

describe("theme colour tokens", () => {
  it("defines every token the @theme block exposes in both themes", () => {
    const exposed = [...block("@theme").entries()].filter(([name]) => name.startsWith("color-")).map(([, value]) => /^var\(--([\w-]+)\)$/.exec(value)?.[1]);
    expect(exposed.length).toBeGreaterThan(20);
    for (const [name, tokens] of Object.entries(themes)) {
      expect(
        exposed.filter((token) => token === undefined || !tokens.has(token)),
        `tokens missing from ${name}`,
      ).toEqual([]);
    }
  });

  for (const [name, tokens] of Object.entries(themes)) {
    const colour = (token: string): string => {
      const value = tokens.get(token) ?? `missing --${token}`;
      const alias = /^var\(--([\w-]+)\)$/.exec(value)?.[1];
      return alias ? colour(alias) : value;
    };
    it(`defines every chart token in the ${name} theme, and keeps chart marks at 3:1 or more on its surfaces`, () => {
      expect(chartTokens.filter((token) => !tokens.has(token))).toEqual([]);
      const low = marks.flatMap((mark) =>
        surfaces.map((surface) => ({ mark, surface, ratio: contrast(colour(mark), colour(surface)) })).filter(({ ratio }) => ratio < 3),
      );
      expect(low).toEqual([]);
    });

    it(`keeps text on the ${name} theme's surfaces at 4.5:1 or more`, () => {
      const low = textOnSurfaces.flatMap((text) =>
        surfaces.map((surface) => ({ text, surface, ratio: contrast(colour(text), colour(surface)) })).filter(({ ratio }) => ratio < 4.5),
      );
      expect(low).toEqual([]);
    });

    it(`keeps each ${name} colour and its foreground at 4.5:1 or more`, () => {
      const low = pairs.map(([text, surface]) => ({ text, surface, ratio: contrast(colour(text), colour(surface)) })).filter(({ ratio }) => ratio < 4.5);
      expect(low).toEqual([]);
    });
  }

  it("binds the application map's xyflow colours to tokens of both themes, its label and control text readable in each", () => {
    const map = block(".react-flow");
    // What the map draws with xyflow's colours: the canvas and its grid, edge labels, the zoom controls, handles.
    const bound = [
      "xy-background-color",
      "xy-background-pattern-color",
      "xy-edge-label-background-color",
      "xy-edge-label-color",
      "xy-controls-button-background-color",
      "xy-controls-button-background-color-hover",
      "xy-controls-button-color",
      "xy-controls-button-border-color",
      "xy-handle-background-color",
    ];
    expect(bound.filter((name) => !map.has(name))).toEqual([]);
    // Only tokens, never a literal colour: each value is var(--token), a shadow may add lengths around one.
    const literal = [...map].filter(([, value]) => /#[0-9a-f]{3,8}\b|\b(rgba?|hsla?|oklch|color-mix)\(/i.test(value) || !/var\(--[\w-]+\)/.test(value));
    expect(literal).toEqual([]);
    for (const [name, tokens] of Object.entries(themes)) {
      const resolve = (value: string): string => {
        const alias = /^var\(--([\w-]+)\)$/.exec(value)?.[1];
        return alias ? resolve(tokens.get(alias) ?? `missing --${alias}`) : value;
      };
      const used = [...map.values()].flatMap((value) => [...value.matchAll(/var\(--([\w-]+)\)/g)].map((match) => match[1]!));
      expect(
        used.filter((token) => !tokens.has(token)),
        `tokens missing from ${name}`,
      ).toEqual([]);
      const on = (text: string, surface: string) => contrast(resolve(map.get(text)!), resolve(map.get(surface)!));
      expect(on("xy-edge-label-color", "xy-edge-label-background-color"), `edge labels in ${name}`).toBeGreaterThanOrEqual(4.5);
      expect(on("xy-controls-button-color", "xy-controls-button-background-color"), `controls in ${name}`).toBeGreaterThanOrEqual(4.5);
      expect(on("xy-controls-button-color", "xy-controls-button-background-color-hover"), `hovered controls in ${name}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("computes contrast as WCAG does", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });
});

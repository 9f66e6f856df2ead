// Colours come from the theme's tokens (issue 18 item 9, decision 0063):
// `text-success`, `bg-warning-muted`, `border-destructive`, never a palette
// class such as `text-green-700` or `bg-white`, which reads the same in light
// and dark and so breaks one of them. The few files that may use the palette
// are listed with their reason; a new one fails here.
//
// The same for literal colours in code (`"#2563eb"`, `rgb(56 189 248)`,
// `hsl(…)`): charts (Recharts), the map's edges and SVG marks take the
// theme's tokens as `var(--chart-1)`, `var(--destructive)` strings, so they
// follow light and dark; only app/globals.css defines colours. Nor a colour
// by its CSS name (`stroke="white"`).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const palette = "red|orange|amber|yellow|lime|green|emerald|teal|cyan|sky|blue|indigo|violet|purple|fuchsia|pink|rose|slate|gray|zinc|neutral|stone";
const utilities = "bg|text|border(?:-[trblxyse])?|ring|ring-offset|outline|fill|stroke|from|via|to|divide|decoration|accent|caret|shadow|placeholder";
/** A Tailwind colour utility with a palette colour: `text-red-700`, `dark:bg-zinc-950`, `border-t-amber-400/50`, `bg-black/60`, `text-white`. */
const paletteClass = new RegExp(`(?<![\\w-])(?:${utilities})-(?:(?:${palette})-\\d{2,3}|white|black)(?:\\/\\d+)?(?![\\w-])`, "g");

const allowed: Record<string, string> = {
  "components/boards/kiosk.tsx": "the wall screen is black whatever the theme, read across a room: bright shades on black, not the page's tokens",
  "components/boards/kiosk-tiles.tsx": "the wall screen's tiles, on the same fixed black as kiosk.tsx",
  "components/boards/pair-screen.tsx": "the wall screen's pairing code, on the same fixed black as kiosk.tsx",
  "components/boards/board-editor.tsx": "the editor's grid previews the tiles as the wall screen shows them, on its black",
  "components/ui/alert-dialog.tsx": "the scrim behind a dialog dims the page with black in both themes (shadcn/ui's overlay)",
};

/** A literal colour in TypeScript: a hex colour in a string or CSS text, or a CSS colour function. */
const literalColour = /(?<=["'`:(\s,])#(?:[0-9a-f]{8}|[0-9a-f]{6}|[0-9a-f]{3,4})(?![\w-])|(?<![\w-])(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/gi;

/**
 * A colour given by its CSS name where a colour goes (`stroke="white"`, `{ fill: "red" }`, `color: 'black'`): any word
 * but the keywords that are not a colour of their own (currentColor, transparent, inherit, none, …).
 */
const namedColour =
  /(?<![\w-])(?:fill|stroke|color|background|backgroundColor|borderColor|outlineColor|stopColor|floodColor|lightingColor|caretColor|accentColor)\s*[=:]\s*\{?\s*["'`](?!(?:currentColor|transparent|inherit|initial|unset|revert|none)["'`])([A-Za-z]+)["'`]/g;

const allowedLiterals: Record<string, string> = {
  "app/display/[board]/connect/route.ts":
    "a bare HTML page for a wall screen's browser, served without the stylesheet (no tokens to read), black like the kiosk",
  "app/display/[board]/manifest.webmanifest/route.ts": "a web app manifest's background_color and theme_color are colours, not CSS: no var() there",
};

const skipped = /(^|\/)(node_modules|generated|__fixtures__)(\/|$)|\.test\.tsx?$/;

function productFiles(): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (skipped.test(path)) continue;
      if (entry.isDirectory()) walk(path);
      else if (/\.(tsx?|css)$/.test(entry.name)) files.push({ path, text: readFileSync(path, "utf8") });
    }
  };
  ["app", "components", "lib"].forEach(walk);
  return files;
}

describe("colours from the theme's tokens", () => {
  const files = productFiles();

  it("recognises palette classes and leaves the tokens alone", () => {
    const found = (text: string) => text.match(paletteClass) ?? [];
    expect(found('className="text-red-700 dark:bg-zinc-950 border-t-amber-400/50 bg-black/60 text-white"')).toEqual([
      "text-red-700",
      "bg-zinc-950",
      "border-t-amber-400/50",
      "bg-black/60",
      "text-white",
    ]);
    expect(found('className="text-success bg-warning-muted border-destructive/40 text-primary-foreground bg-muted"')).toEqual([]);
  });

  it("finds no palette class in app/, components/ or lib/ outside the allow list", () => {
    expect(files.length).toBeGreaterThan(200);
    const offenders = files.flatMap(({ path, text }) =>
      allowed[path] ? [] : text.split("\n").flatMap((line, index) => (line.match(paletteClass) ?? []).map((name) => `${path}:${index + 1} ${name}`)),
    );
    expect(offenders, "use a theme token (app/globals.css, decision 0063) or list the file with its reason").toEqual([]);
  });

  it("recognises literal colours and leaves tokens, anchors and ids alone", () => {
    const found = (text: string) => text.match(literalColour) ?? [];
    expect(found(`stroke="#d97706" fill='#fff' {color: "#2563ebcc"} rgb(56 189 248 / 0.8) rgba(0,0,0,.5) hsl(210 40% 50%) oklch(0.7 0.1 200)`)).toEqual([
      "#d97706",
      "#fff",
      "#2563ebcc",
      "rgb(",
      "rgba(",
      "hsl(",
      "oklch(",
    ]);
    expect(found('stroke="var(--chart-1)" href={`/approvals#${id}`} link: "/namespaces#add" "#deadbeef-1" currentColor')).toEqual([]);
  });

  it("finds no literal colour in app/, components/ or lib/ code outside the allow list (charts and SVG use var(--token))", () => {
    const offenders = files
      .filter(({ path }) => /\.tsx?$/.test(path) && !allowedLiterals[path])
      .flatMap(({ path, text }) =>
        text.split("\n").flatMap((line, index) => (line.match(literalColour) ?? []).map((found) => `${path}:${index + 1} ${found}`)),
      );
    expect(offenders, "use a theme token as var(--…) (app/globals.css, decision 0063) or list the file with its reason").toEqual([]);
    const using = new Set(files.filter(({ text }) => text.match(literalColour) !== null).map(({ path }) => path));
    expect(Object.keys(allowedLiterals).filter((path) => !using.has(path))).toEqual([]);
  });

  it("recognises colours by name where a colour goes, and leaves keywords and tokens alone", () => {
    const found = (text: string) => [...text.matchAll(namedColour)].map((match) => match[1]);
    expect(found(`stroke="white" fill: 'red', color: "Black" stopColor={"navy"} style={{ backgroundColor: \`tomato\` }}`)).toEqual([
      "white",
      "red",
      "Black",
      "navy",
      "tomato",
    ]);
    expect(found(`stroke="currentColor" fill="none" color: "inherit" background: "transparent" fill="var(--chart-1)" colorScheme: "dark"`)).toEqual([]);
  });

  it("finds no colour by name in app/, components/ or lib/ code", () => {
    const offenders = files
      .filter(({ path }) => /\.tsx?$/.test(path))
      .flatMap(({ path, text }) =>
        text.split("\n").flatMap((line, index) => [...line.matchAll(namedColour)].map((match) => `${path}:${index + 1} ${match[0]}`)),
      );
    expect(offenders, "a named colour reads the same in light and dark: use a theme token as var(--…) (decision 0063)").toEqual([]);
  });

  it("lists only files that still use the palette", () => {
    const using = new Set(files.filter(({ text }) => text.match(paletteClass) !== null).map(({ path }) => path));
    expect(Object.keys(allowed).filter((path) => !using.has(path))).toEqual([]);
  });
});

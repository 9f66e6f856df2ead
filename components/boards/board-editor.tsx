"use client";
// The board editor: tiles picked from the kinds in lib/boards/tiles.ts, placed and resized on
// the same 12-column grid the kiosk draws (react-grid-layout, decision 0025),
// their options set beside it, and saved through the board's use case (which
// validates again and audits).
import { useState, useTransition } from "react";
import ReactGridLayout, { noCompactor, useContainerWidth, type Layout } from "react-grid-layout";
import "react-grid-layout/css/styles.css";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { SaveBoardOutcome } from "@/lib/actions/action-state";
import type { BoardEditorOptions } from "@/lib/boards/board-editor-options";
import {
  gridColumns,
  gridMaxRows,
  kqlCharts,
  kqlTimespans,
  mapTileWindows,
  maxKqlQueryLength,
  newTile,
  tileKindLabels,
  tileKinds,
  tilesSchema,
  type Tile,
  type TileKind,
} from "@/lib/boards/tiles";
import { environments } from "@/lib/clusters/cluster-view";

type Save = (slug: string, input: { name: string; tiles: unknown }) => Promise<SaveBoardOutcome>;

const selectClass = "h-9 w-full rounded-md border border-border bg-card px-2 text-sm";

export function BoardEditor({
  slug,
  name: initialName,
  tiles: initialTiles,
  options,
  save,
}: {
  slug: string;
  name: string;
  tiles: Tile[];
  options: BoardEditorOptions;
  save: Save;
}) {
  const [name, setName] = useState(initialName);
  const [tiles, setTiles] = useState<Tile[]>(initialTiles);
  const [selected, setSelected] = useState<string | null>(initialTiles[0]?.id ?? null);
  const [kind, setKind] = useState<TileKind>("fleet-health");
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const { width, containerRef, mounted } = useContainerWidth();

  const layout: Layout = tiles.map((tile) => ({ i: tile.id, x: tile.x, y: tile.y, w: tile.w, h: tile.h }));
  const onLayoutChange = (next: Layout) => {
    setTiles((current) =>
      current.map((tile) => {
        const item = next.find((entry) => entry.i === tile.id);
        return item ? ({ ...tile, x: item.x, y: item.y, w: item.w, h: item.h } as Tile) : tile;
      }),
    );
  };
  const update = (id: string, change: Record<string, unknown>) =>
    setTiles((current) => current.map((tile) => (tile.id === id ? ({ ...tile, ...change } as Tile) : tile)));
  const add = () => {
    const id = `${kind}-${crypto.randomUUID().slice(0, 8)}`;
    setTiles((current) => [...current, newTile(kind, current, id)]);
    setSelected(id);
  };
  const remove = (id: string) => {
    setTiles((current) => current.filter((tile) => tile.id !== id));
    setSelected(null);
  };
  const submit = () => {
    const checked = tilesSchema.safeParse(tiles);
    if (!checked.success) {
      setResult({ ok: false, message: checked.error.issues[0]!.message });
      return;
    }
    startTransition(async () => {
      const outcome = await save(slug, { name, tiles: checked.data });
      setResult(outcome.ok ? { ok: true, message: "Saved: screens showing this board update within seconds." } : { ok: false, message: outcome.message });
    });
  };
  const current = tiles.find((tile) => tile.id === selected) ?? null;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <Label htmlFor="board-name">Name</Label>
          <Input id="board-name" value={name} onChange={(event) => setName(event.target.value)} className="w-72" />
        </div>
        <div className="space-y-1">
          <Label htmlFor="tile-kind">Tile</Label>
          <select id="tile-kind" className={selectClass} value={kind} onChange={(event) => setKind(event.target.value as TileKind)}>
            {tileKinds.map((value) => (
              <option key={value} value={value}>
                {tileKindLabels[value]}
              </option>
            ))}
          </select>
        </div>
        <Button type="button" variant="outline" onClick={add}>
          Add tile
        </Button>
        <Button type="button" onClick={submit} disabled={pending}>
          {pending ? "Saving…" : "Save board"}
        </Button>
      </div>
      {result && (
        <p role={result.ok ? "status" : "alert"} className={result.ok ? "text-sm font-medium text-success" : "text-sm font-medium text-destructive"}>
          {result.message}
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-[3fr_1fr]">
        <div
          ref={containerRef}
          className="min-h-64 rounded-md border border-border bg-zinc-950 p-1"
          aria-label="Board layout: drag a tile by its title, resize it from its corner"
        >
          {mounted && (
            <ReactGridLayout
              width={width - 8}
              layout={layout}
              gridConfig={{ cols: gridColumns, rowHeight: 40, margin: [8, 8], maxRows: gridMaxRows }}
              dragConfig={{ enabled: true, handle: ".tile-handle" }}
              resizeConfig={{ enabled: true }}
              compactor={noCompactor}
              onLayoutChange={onLayoutChange}
            >
              {tiles.map((tile) => (
                <div
                  key={tile.id}
                  data-testid={`editor-tile-${tile.id}`}
                  className={
                    "flex flex-col overflow-hidden rounded border bg-zinc-900 text-zinc-100 " + (tile.id === selected ? "border-sky-400" : "border-zinc-700")
                  }
                  onClick={() => setSelected(tile.id)}
                >
                  <div className="tile-handle cursor-move truncate bg-zinc-800 px-2 py-1 text-xs font-semibold">{tile.title ?? tileKindLabels[tile.kind]}</div>
                  <div className="truncate p-2 text-xs text-zinc-300">{summary(tile)}</div>
                </div>
              ))}
            </ReactGridLayout>
          )}
          {tiles.length === 0 && <p className="p-4 text-sm text-zinc-300">No tiles yet: pick a kind and add one.</p>}
        </div>
        <aside className="space-y-3" aria-label="Tile options">
          {current ? (
            <TileOptions tile={current} options={options} update={update} remove={remove} />
          ) : (
            <p className="text-sm text-muted-foreground">Select a tile to set its options.</p>
          )}
        </aside>
      </div>
    </div>
  );
}

function summary(tile: Tile): string {
  switch (tile.kind) {
    case "fleet-health":
      return [tile.team ?? "all teams", tile.environment ?? "all environments"].join(" · ");
    case "service-health":
      return tile.service || "pick a service";
    case "rollouts":
    case "approvals":
    case "cost":
      return tile.team ?? "all teams";
    case "map":
      return [tile.team ?? "all teams", tile.environment ?? "all environments", tile.window ?? "1h"].join(" · ");
    case "kql":
      return [tile.workspace || "pick a workspace", tile.chart, `last ${tile.timespan}`].join(" · ");
    case "clock":
      return tile.timeZone ?? "screen's time zone";
  }
}

function TileOptions({
  tile,
  options,
  update,
  remove,
}: {
  tile: Tile;
  options: BoardEditorOptions;
  update: (id: string, change: Record<string, unknown>) => void;
  remove: (id: string) => void;
}) {
  const optional = (value: string) => (value === "" ? undefined : value);
  return (
    <div className="space-y-3">
      <h2 className="font-semibold">{tileKindLabels[tile.kind]}</h2>
      <div className="space-y-1">
        <Label htmlFor="tile-title">Title</Label>
        <Input
          id="tile-title"
          value={tile.title ?? ""}
          placeholder={tileKindLabels[tile.kind]}
          onChange={(event) => update(tile.id, { title: optional(event.target.value) })}
        />
      </div>
      {tile.kind === "fleet-health" || tile.kind === "rollouts" || tile.kind === "approvals" || tile.kind === "cost" || tile.kind === "map" ? (
        <div className="space-y-1">
          <Label htmlFor="tile-team">Team</Label>
          <select id="tile-team" className={selectClass} value={tile.team ?? ""} onChange={(event) => update(tile.id, { team: optional(event.target.value) })}>
            <option value="">All teams</option>
            {options.teams.map((team) => (
              <option key={team.slug} value={team.slug}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {tile.kind === "cost" && (
        <p className="text-xs text-muted-foreground">All teams is the whole bill, for platform admins; a team&apos;s cost needs a member of that team.</p>
      )}
      {(tile.kind === "fleet-health" || tile.kind === "map") && (
        <div className="space-y-1">
          <Label htmlFor="tile-environment">Environment</Label>
          <select
            id="tile-environment"
            className={selectClass}
            value={tile.environment ?? ""}
            onChange={(event) => update(tile.id, { environment: optional(event.target.value) })}
          >
            <option value="">All environments</option>
            {environments.map((environment) => (
              <option key={environment} value={environment}>
                {environment}
              </option>
            ))}
          </select>
        </div>
      )}
      {tile.kind === "map" && (
        <div className="space-y-1">
          <Label htmlFor="tile-window">Window</Label>
          <select id="tile-window" className={selectClass} value={tile.window ?? "1h"} onChange={(event) => update(tile.id, { window: event.target.value })}>
            {mapTileWindows.map((window) => (
              <option key={window} value={window}>
                last {window}
              </option>
            ))}
          </select>
        </div>
      )}
      {tile.kind === "service-health" && (
        <div className="space-y-1">
          <Label htmlFor="tile-service">Service</Label>
          <select id="tile-service" className={selectClass} value={tile.service} onChange={(event) => update(tile.id, { service: event.target.value })}>
            <option value="">Pick a service</option>
            {options.services.map((service) => (
              <option key={service.slug} value={service.slug}>
                {service.displayName}
              </option>
            ))}
          </select>
        </div>
      )}
      {tile.kind === "kql" && (
        <>
          <div className="space-y-1">
            <Label htmlFor="tile-workspace">Log Analytics workspace</Label>
            <select id="tile-workspace" className={selectClass} value={tile.workspace} onChange={(event) => update(tile.id, { workspace: event.target.value })}>
              <option value="">Pick a workspace</option>
              {options.workspaces.map((workspace) => (
                <option key={workspace} value={workspace}>
                  {workspace}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <Label htmlFor="tile-query">KQL query</Label>
            <textarea
              id="tile-query"
              className="min-h-32 w-full rounded-md border border-border bg-card p-2 font-mono text-xs"
              value={tile.query}
              maxLength={maxKqlQueryLength}
              spellCheck={false}
              placeholder="AppRequests | summarize count() by bin(TimeGenerated, 5m)"
              onChange={(event) => update(tile.id, { query: event.target.value })}
            />
            <p className="text-xs text-muted-foreground">
              Checked with Microsoft&apos;s parser when saved. Wharf runs it every 5 minutes over the chosen span and keeps at most 500 rows; a line or bar
              chart draws the first datetime (or text) column against the first numeric one. On a team&apos;s board it reads only the rows of the team&apos;s
              services in AppRequests, AppDependencies, AppAvailabilityResults and AppExceptions; union *, search, find, workspace(), table() and other tables
              are refused.
            </p>
          </div>
          <div className="space-y-1">
            <Label htmlFor="tile-chart">Chart</Label>
            <select id="tile-chart" className={selectClass} value={tile.chart} onChange={(event) => update(tile.id, { chart: event.target.value })}>
              {kqlCharts.map((chart) => (
                <option key={chart} value={chart}>
                  {chart}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <Label htmlFor="tile-timespan">Span</Label>
            <select id="tile-timespan" className={selectClass} value={tile.timespan} onChange={(event) => update(tile.id, { timespan: event.target.value })}>
              {kqlTimespans.map((timespan) => (
                <option key={timespan} value={timespan}>
                  last {timespan}
                </option>
              ))}
            </select>
          </div>
        </>
      )}
      {tile.kind === "clock" && (
        <div className="space-y-1">
          <Label htmlFor="tile-zone">Time zone</Label>
          <Input
            id="tile-zone"
            value={tile.timeZone ?? ""}
            placeholder="the screen's own, or e.g. Europe/Amsterdam"
            onChange={(event) => update(tile.id, { timeZone: optional(event.target.value.trim()) })}
          />
        </div>
      )}
      <p className="text-xs text-muted-foreground">
        Column {tile.x + 1}, row {tile.y + 1}, {tile.w} × {tile.h}
      </p>
      <Button type="button" variant="outline" size="sm" onClick={() => remove(tile.id)}>
        Remove tile
      </Button>
    </div>
  );
}

"use client";
// What each kind of tile draws on a wall screen. Colours carry meaning only
// with words beside them (a state is always written out).
import type {
  ApprovalsData,
  CostData,
  FleetHealthData,
  KqlData,
  MapData,
  RolloutRow,
  RolloutsData,
  ServiceHealthData,
  ServiceTrendPoint,
  TileData,
} from "@/lib/boards/board-snapshot";
import { formatMoney } from "@/lib/costs/money";
import type { Tile } from "@/lib/boards/tiles";
import { plotKqlResult } from "@/lib/boards/kql-chart";
import type { HealthState } from "@/lib/health/types";
import { edgeFailure } from "@/lib/appmap/edge-failure";
import { edgeAccessibleName, edgeColours, edgeFailureWords, healthMarks } from "@/lib/appmap/map-marks";

const stateText: Record<HealthState, string> = { unhealthy: "text-red-400", degraded: "text-amber-300", unknown: "text-zinc-400", healthy: "text-emerald-400" };
const stateOrder: HealthState[] = ["unhealthy", "degraded", "unknown", "healthy"];
const rolloutText: Record<string, string> = { failed: "text-red-400", cancelled: "text-zinc-400", succeeded: "text-emerald-400" };

export function KioskTile({ tile, data, now }: { tile: Tile; data: TileData | undefined; now: number }) {
  if (tile.kind === "clock") return <Clock timeZone={tile.timeZone} now={now} />;
  if (!data) return <p className="text-zinc-400">Waiting for data…</p>;
  switch (data.kind) {
    case "fleet-health":
      return <FleetHealth data={data} />;
    case "service-health":
      return <ServiceHealth data={data} />;
    case "rollouts":
      return <Rollouts data={data} />;
    case "approvals":
      return <Approvals data={data} />;
    case "cost":
      return <Cost data={data} />;
    case "map":
      return <MapSummary data={data} />;
    case "kql":
      return <KqlResult data={data} />;
    default:
      return null;
  }
}

function Clock({ timeZone, now }: { timeZone?: string; now: number }) {
  const date = new Date(now);
  return (
    <div className="flex h-full flex-col items-center justify-center">
      <p className="text-[2.6em] font-bold tabular-nums" data-testid="clock-time">
        {date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", timeZone })}
      </p>
      <p className="text-zinc-300">{date.toLocaleDateString([], { weekday: "long", day: "numeric", month: "long", timeZone })}</p>
    </div>
  );
}

function FleetHealth({ data }: { data: FleetHealthData }) {
  if (data.total === 0) return <p className="text-zinc-300">No services with health yet.</p>;
  return (
    <div className="flex h-full flex-col gap-[0.4em]">
      <div className="flex flex-wrap gap-x-[1em]">
        {stateOrder.map((state) => (
          <p key={state} className={stateText[state]} data-testid={`count-${state}`}>
            <span className="text-[1.8em] font-bold tabular-nums">{data.counts[state]}</span> {state}
          </p>
        ))}
      </div>
      <ul className="min-h-0 space-y-[0.2em] overflow-hidden">
        {data.problems.map((problem) => (
          <li key={`${problem.service}/${problem.namespace}`} className="truncate">
            <span className={`font-semibold ${stateText[problem.state]}`}>{problem.state}</span> {problem.displayName}{" "}
            <span className="text-zinc-400">· {problem.environment}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ServiceHealth({ data }: { data: ServiceHealthData }) {
  if (data.environments.length === 0) return <p className="text-zinc-300">{data.service?.displayName ?? "This service"} has no health yet.</p>;
  return (
    <div className="flex h-full flex-col gap-[0.3em]">
      <p className="truncate font-semibold">{data.service?.displayName}</p>
      <ul className="min-h-0 space-y-[0.3em] overflow-hidden">
        {data.environments.map((environment) => (
          <li key={environment.namespace}>
            <p>
              <span className={`font-bold ${stateText[environment.state]}`}>{environment.state}</span>{" "}
              <span className="text-zinc-300">{environment.environment}</span>
              {environment.desiredReplicas !== null && (
                <span className="text-zinc-300">
                  {" "}
                  · {environment.readyReplicas ?? 0}/{environment.desiredReplicas} ready
                </span>
              )}
              {environment.failureRatePct !== null && <span className="text-zinc-300"> · {environment.failureRatePct.toFixed(1)}% failed</span>}
              {environment.p95DurationMs !== null && <span className="text-zinc-300"> · p95 {Math.round(environment.p95DurationMs)} ms</span>}
            </p>
            {environment.message && environment.state !== "healthy" && <p className="truncate text-[0.8em] text-zinc-300">{environment.message}</p>}
            <ServiceTrend trend={environment.trend} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A service's last 24 hours: its failure rate and p95 when it has telemetry, else its ready replicas (a service with no
 * App Insights role name); nothing before the first sample.
 */
function ServiceTrend({ trend }: { trend: ServiceTrendPoint[] }) {
  const series = [
    { label: "failed %, 24 h", values: trend.map((point) => point.failureRatePct), floor: 1, stroke: "var(--destructive)" },
    { label: "p95 ms, 24 h", values: trend.map((point) => point.p95DurationMs), floor: 100, stroke: "var(--info)" },
    { label: "ready, 24 h", values: trend.map((point) => point.readyReplicas), floor: 1, stroke: "var(--success)" },
  ].filter((line) => line.values.some((value) => value !== null));
  if (series.length === 0) return null;
  return (
    <div className="flex gap-[0.6em] text-[0.7em] text-zinc-400" data-testid="service-trend">
      {series.slice(0, 2).map((line) => (
        <Sparkline key={line.label} {...line} />
      ))}
    </div>
  );
}

/**
 * A trend as a line, 0 at the bottom and the larger of the highest value and `floor` at the top (so a quiet service's
 * 0.1 % does not fill the height). A point with no value breaks the line: a gap in the data stays a gap.
 */
function Sparkline({ label, values, floor, stroke }: { label: string; values: (number | null)[]; floor: number; stroke: string }) {
  const known = values.filter((value): value is number => value !== null);
  const peak = known.length ? Math.max(...known) : null;
  // A point is a quarter hour (its rate, its highest p95, its fewest ready replicas): the last one is not "now", and says so.
  const last = values.at(-1) ?? null;
  const top = Math.max(floor, peak ?? 0);
  const x = (index: number) => ((index / Math.max(1, values.length - 1)) * 100).toFixed(2);
  const y = (value: number) => (19 - (value / top) * 18).toFixed(2);
  const runs: string[] = [];
  let run: string[] = [];
  for (const [index, value] of values.entries()) {
    if (value === null) {
      if (run.length) runs.push(run.join(" "));
      run = [];
    } else run.push(`${x(index)},${y(value)}`);
  }
  if (run.length) runs.push(run.join(" "));
  return (
    <figure className="min-w-0 flex-1">
      <svg
        className="h-[1.6em] w-full"
        viewBox="0 0 100 20"
        preserveAspectRatio="none"
        role="img"
        aria-label={`${label}: a line from 0 to ${formatNumber(top)}`}
      >
        <line x1="0" x2="100" y1="19" y2="19" stroke="var(--border)" strokeWidth="1" vectorEffect="non-scaling-stroke" />
        {runs.map((points, index) =>
          points.includes(" ") ? (
            <polyline key={index} fill="none" stroke={stroke} strokeWidth="2" vectorEffect="non-scaling-stroke" points={points} />
          ) : (
            // A point alone: a zero-length line with round caps, which stays round however the tile stretches the chart.
            <line
              key={index}
              x1={points.split(",")[0]}
              x2={points.split(",")[0]}
              y1={points.split(",")[1]}
              y2={points.split(",")[1]}
              stroke={stroke}
              strokeWidth="6"
              strokeLinecap="round"
              vectorEffect="non-scaling-stroke"
            />
          ),
        )}
      </svg>
      <figcaption className="truncate">
        {label}: last 15 min {last === null ? "–" : formatNumber(last)}, peak {peak === null ? "–" : formatNumber(peak)}
      </figcaption>
    </figure>
  );
}

function RolloutLine({ row }: { row: RolloutRow }) {
  return (
    <li className="truncate">
      <span className={`font-semibold ${rolloutText[row.status] ?? "text-sky-300"}`}>{row.status}</span> {row.service}{" "}
      {row.version && <span className="font-mono text-zinc-300">{row.version}</span>} <span className="text-zinc-400">· {row.environment}</span>
      {row.reason && <span className="text-red-300"> · {row.reason}</span>}
      {!rolloutText[row.status] && row.desiredReplicas > 0 && (
        <span className="text-zinc-300">
          {" "}
          · {row.readyReplicas}/{row.desiredReplicas}
        </span>
      )}
    </li>
  );
}

function Rollouts({ data }: { data: RolloutsData }) {
  return (
    <div className="flex h-full flex-col gap-[0.3em] overflow-hidden">
      {data.active.length > 0 ? (
        <ul className="space-y-[0.2em]">
          {data.active.map((row) => (
            <RolloutLine key={row.id} row={row} />
          ))}
        </ul>
      ) : (
        <p className="text-zinc-300">No rollout in progress.</p>
      )}
      {data.recent.length > 0 && (
        <>
          <p className="text-[0.8em] text-zinc-400 uppercase">Last {data.recent.length}</p>
          <ul className="min-h-0 space-y-[0.2em] overflow-hidden text-[0.9em]">
            {data.recent.map((row) => (
              <RolloutLine key={row.id} row={row} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Approvals({ data }: { data: ApprovalsData }) {
  const count = data.deployments.length + data.namespaceRequests.length;
  if (count === 0) return <p className="text-zinc-300">Nothing waits for approval.</p>;
  return (
    <div className="flex h-full flex-col gap-[0.3em] overflow-hidden">
      <p>
        <span className="text-[1.8em] font-bold tabular-nums text-amber-300">{count}</span> waiting
      </p>
      <ul className="min-h-0 space-y-[0.2em] overflow-hidden">
        {data.deployments.map((row) => (
          <li key={row.id} className="truncate">
            Deploy {row.service} {row.version && <span className="font-mono text-zinc-300">{row.version}</span>}{" "}
            <span className="text-zinc-400">
              · {row.environment} · {row.requestedByName}
            </span>
            {/* The approver decides on this version: say when its tag was taken as picked, unchecked (decision 0068). */}
            {row.tagCheck?.state === "unchecked" && (
              <span className="block truncate text-[0.8em] text-amber-300">
                <span aria-hidden>⚠ </span>
                {row.tagCheck.text}
              </span>
            )}
          </li>
        ))}
        {data.namespaceRequests.map((request) => (
          <li key={request.id} className="truncate">
            Namespace {request.name}{" "}
            <span className="text-zinc-400">
              · {request.team} · {request.cluster}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Cost({ data }: { data: CostData }) {
  if (!data.currency) return <p className="text-zinc-300">No cost is stored for this month yet.</p>;
  const money = (minor: number) => formatMoney(minor, data.currency, data.minorUnitDigits);
  const change = data.lastWeekMinor - data.previousWeekMinor;
  const pct = data.previousWeekMinor > 0 ? Math.round((change / data.previousWeekMinor) * 100) : null;
  const max = Math.max(1, ...data.dailyMinor);
  return (
    <div className="flex h-full flex-col gap-[0.3em]">
      <p>
        <span className="text-[1.8em] font-bold tabular-nums" data-testid="cost-mtd">
          {money(data.monthToDateMinor)}
        </span>{" "}
        <span className="text-zinc-300">this month{data.team ? "" : " · everyone"}</span>
      </p>
      {data.forecastMinor !== null && (
        <p className="text-zinc-300" data-testid="cost-forecast" title={data.forecastBasis}>
          Forecast {money(data.forecastMinor)}{" "}
          <span className="text-zinc-400">{data.forecastSource === "cost-management" ? "(Cost Management)" : "(run rate, no forecast stored)"}</span>
        </p>
      )}
      <p className="text-zinc-300" data-testid="cost-trend">
        Last 7 days {money(data.lastWeekMinor)},{" "}
        <span className={change > 0 ? "text-amber-300" : "text-emerald-400"}>
          {change > 0 ? "up" : change < 0 ? "down" : "level"}
          {pct !== null && change !== 0 ? ` ${Math.abs(pct)}%` : ""}
        </span>{" "}
        on the week before
      </p>
      <div className="flex min-h-0 flex-1 items-end gap-[2px]" aria-hidden="true">
        {data.dailyMinor.map((minor, index) => (
          <div key={index} className="flex-1 rounded-t-sm bg-sky-500/70" style={{ height: `${Math.max(2, (minor / max) * 100)}%` }} />
        ))}
      </div>
      {data.syncError && <p className="truncate text-[0.8em] text-amber-300">Last sync failed: {data.syncError}</p>}
    </div>
  );
}

/** The map's marks (lib/appmap/map-marks.ts) on a wall screen: an edge's words, accessible name and colour as the map draws them. */
function MapSummary({ data }: { data: MapData }) {
  return (
    <div className="flex h-full flex-col gap-[0.3em] overflow-hidden">
      <p>
        <span className="text-[1.8em] font-bold tabular-nums" data-testid="map-nodes">
          {data.nodes}
        </span>{" "}
        nodes · <span className="text-[1.8em] font-bold tabular-nums">{data.edges}</span> edges <span className="text-zinc-400">· last {data.window}</span>
      </p>
      {data.nodeProblems.length > 0 && (
        <ul className="flex flex-wrap gap-x-[1em]" aria-label="Nodes not healthy">
          {data.nodeProblems.map((node) => (
            <li key={node.id} className="truncate">
              <span className={`font-semibold ${stateText[node.health]}`}>
                <span aria-hidden="true">{healthMarks[node.health].icon}</span> {healthMarks[node.health].word}
              </span>{" "}
              {node.label}
            </li>
          ))}
        </ul>
      )}
      {data.failingEdges.length === 0 ? (
        <p className="text-emerald-400">{data.edges === 0 ? "No calls seen yet." : "No failing calls."}</p>
      ) : (
        <ul className="min-h-0 space-y-[0.2em] overflow-hidden" aria-label="Edges failing most">
          {data.failingEdges.map((edge) => {
            const words = edgeFailureWords(edge);
            const { level, recentlyWorse } = edgeFailure(edge);
            // "Now" is the last minutes' figure, otherwise the window's.
            const shown = recentlyWorse && edge.recent ? edge.recent : edge;
            const pct = `${(shown.failurePct ?? 0).toFixed(1)}%`;
            return (
              <li key={edge.id} className="truncate" aria-label={edgeAccessibleName(edge, edge.source, edge.target)} data-testid="map-tile-edge">
                <span className="font-semibold" style={{ color: edgeColours[level] }}>
                  {words ?? `${pct} failed`}
                </span>{" "}
                {edge.source} → {edge.target}{" "}
                <span className="text-zinc-400">
                  · {words ? `${pct} of ` : ""}
                  {Math.round(shown.calls)} calls{recentlyWorse && edge.recent ? ` in ${edge.recent.minutes} min` : ""}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {data.sourceErrors.length > 0 && <p className="truncate text-[0.8em] text-amber-300">Some workspaces failed: {data.sourceErrors.join("; ")}</p>}
    </div>
  );
}

const shownRows = 12;

function KqlResult({ data }: { data: KqlData }) {
  const failed = data.error ? (
    <p className="truncate text-[0.8em] text-amber-300" data-testid="kql-error">
      Query failed: {data.error}
    </p>
  ) : null;
  if (data.ranAt === null) return <p className="text-zinc-400">Waiting for the first run (every 5 minutes)…</p>;
  if (data.columns.length === 0) return failed ?? <p className="text-zinc-300">The query returned nothing.</p>;
  const plot = plotKqlResult(data);
  return (
    <div className="flex h-full flex-col gap-[0.3em]">
      {failed}
      {plot.kind === "chart" && plot.points.length > 0 ? (
        <>
          <p className="text-zinc-300">
            <span className="text-[1.6em] font-bold text-white tabular-nums" data-testid="kql-last">
              {formatNumber(plot.points.at(-1)!.value)}
            </span>{" "}
            {plot.y} <span className="text-zinc-400">· max {formatNumber(plot.max)}</span>
          </p>
          <KqlSvg plot={plot} chart={data.chart === "bar" ? "bar" : "line"} />
        </>
      ) : (
        <>
          {plot.kind === "table" && plot.reason && <p className="text-[0.8em] text-zinc-400">{plot.reason}</p>}
          <table className="w-full table-fixed text-left text-[0.8em]" data-testid="kql-table">
            <thead className="text-zinc-400">
              <tr>
                {data.columns.slice(0, 4).map((column) => (
                  <th key={column.name} className="truncate font-normal">
                    {column.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.slice(0, shownRows).map((row, index) => (
                <tr key={index}>
                  {row.slice(0, 4).map((value, column) => (
                    <td key={column} className="truncate tabular-nums">
                      {typeof value === "number" ? formatNumber(value) : String(value ?? "")}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {data.truncated && <p className="text-[0.8em] text-zinc-400">Only the first {data.rows.length} rows are kept.</p>}
    </div>
  );
}

function KqlSvg({ plot, chart }: { plot: Extract<ReturnType<typeof plotKqlResult>, { kind: "chart" }>; chart: "line" | "bar" }) {
  const { points, min, max } = plot;
  const span = max - min || 1;
  const y = (value: number) => 48 - ((value - min) / span) * 46;
  const first = points[0]!.at;
  const width = points.at(-1)!.at - first;
  // Time on a linear axis (gaps in the data stay gaps); text labels, or a single instant, evenly.
  const x = (index: number) => (plot.xIsTime && width > 0 ? ((points[index]!.at - first) / width) * 100 : ((index + 0.5) / points.length) * 100);
  return (
    <svg className="min-h-0 w-full flex-1" viewBox="0 0 100 50" preserveAspectRatio="none" role="img" aria-label={`${plot.y} by ${plot.x}`}>
      <line x1="0" x2="100" y1={y(0)} y2={y(0)} stroke="var(--border)" strokeWidth="0.3" vectorEffect="non-scaling-stroke" />
      {chart === "line" ? (
        <polyline
          fill="none"
          stroke="var(--info)"
          strokeWidth="2"
          vectorEffect="non-scaling-stroke"
          points={points.map((point, index) => `${x(index).toFixed(2)},${y(point.value).toFixed(2)}`).join(" ")}
        />
      ) : (
        points.map((point, index) => {
          const barWidth = Math.max(0.3, (100 / points.length) * 0.8);
          return (
            <rect
              key={index}
              x={Math.min(100 - barWidth, Math.max(0, x(index) - barWidth / 2))}
              width={barWidth}
              y={Math.min(y(point.value), y(0))}
              height={Math.abs(y(0) - y(point.value))}
              fill="var(--info)"
              fillOpacity={0.8}
            />
          );
        })
      )}
    </svg>
  );
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 1000 || Number.isInteger(value) ? Math.round(value).toLocaleString("en") : value.toFixed(2);
}

"use client";
// A namespace's last 24 hours: requests per minute, failure rate and p95 in 5-minute points,
// with the tier's thresholds drawn as dashed lines (recharts, decision 0021). Colours are the
// theme's tokens as `var(--…)` (app/globals.css): the series' chart colours, the thresholds warning and destructive.
// Each chart has a text summary for screen readers; gaps stay gaps.
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TrendPoint } from "@/lib/health/trend-view";
import type { ThresholdPair } from "@/lib/health/types";

const time = (iso: string) => new Date(iso).toISOString().slice(11, 16);
const number = (value: number) => (Math.abs(value) >= 1000 ? `${Math.round(value / 100) / 10}k` : String(Math.round(value * 10) / 10));

interface ChartSpec {
  key: "requestsPerMinute" | "failureRatePct" | "p95DurationMs";
  title: string;
  unit: string;
  color: string;
  thresholds?: ThresholdPair;
}

function summary(points: TrendPoint[], spec: ChartSpec): string {
  const values = points.map((point) => point[spec.key]).filter((value): value is number => value !== null);
  if (values.length === 0) return `${spec.title}: no data in the last 24 hours.`;
  return (
    `${spec.title} over the last 24 hours: latest ${number(values.at(-1)!)}${spec.unit}, highest ` +
    `${number(Math.max(...values))}${spec.unit}, lowest ${number(Math.min(...values))}${spec.unit}.`
  );
}

function TrendChart({ points, spec }: { points: TrendPoint[]; spec: ChartSpec }) {
  const hasData = points.some((point) => point[spec.key] !== null);
  return (
    <figure className="min-w-0 space-y-1">
      <figcaption className="text-sm font-medium">
        {spec.title}
        <span className="block text-xs font-normal text-muted-foreground">
          {spec.thresholds
            ? `Dashed: degraded ${number(spec.thresholds.degraded)}${spec.unit}, unhealthy ${number(spec.thresholds.unhealthy)}${spec.unit}`
            : "Weighted by ItemCount (sampled telemetry)"}
        </span>
      </figcaption>
      <p className="sr-only">{summary(points, spec)}</p>
      {/* Hidden from screen readers (the summary above says it in words), so nothing in it may take focus: Recharts' keyboard
          layer (accessibilityLayer) would make the chart a tab stop inside aria-hidden, which axe reports. */}
      <div className="h-36 text-muted-foreground" aria-hidden>
        {hasData ? (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: -12 }} accessibilityLayer={false}>
              <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
              <XAxis
                dataKey="at"
                tickFormatter={time}
                tick={{ fill: "currentColor", fontSize: 11 }}
                stroke="currentColor"
                strokeOpacity={0.4}
                minTickGap={40}
              />
              <YAxis
                tickFormatter={number}
                tick={{ fill: "currentColor", fontSize: 11 }}
                stroke="currentColor"
                strokeOpacity={0.4}
                width={48}
                allowDecimals={false}
              />
              <Tooltip
                labelFormatter={(label) => `${time(String(label))} UTC`}
                formatter={(value) => [`${number(Number(value))}${spec.unit}`, spec.title]}
                contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", color: "var(--foreground)", fontSize: 12 }}
              />
              {spec.thresholds && <ReferenceLine y={spec.thresholds.degraded} stroke="var(--warning)" strokeDasharray="4 4" ifOverflow="extendDomain" />}
              {spec.thresholds && <ReferenceLine y={spec.thresholds.unhealthy} stroke="var(--destructive)" strokeDasharray="4 4" ifOverflow="extendDomain" />}
              <Line type="monotone" dataKey={spec.key} stroke={spec.color} strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        ) : (
          <div className="flex h-full items-center justify-center rounded-md border border-dashed border-border text-sm">No data in the last 24 hours</div>
        )}
      </div>
    </figure>
  );
}

export function TrendCharts({ points, thresholds }: { points: TrendPoint[]; thresholds: { failureRatePct: ThresholdPair; p95DurationMs: ThresholdPair } }) {
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <TrendChart points={points} spec={{ key: "requestsPerMinute", title: "Requests per minute", unit: "", color: "var(--chart-1)" }} />
      <TrendChart
        points={points}
        spec={{ key: "failureRatePct", title: "Failure rate", unit: " %", color: "var(--chart-2)", thresholds: thresholds.failureRatePct }}
      />
      <TrendChart
        points={points}
        spec={{ key: "p95DurationMs", title: "p95 duration", unit: " ms", color: "var(--chart-5)", thresholds: thresholds.p95DurationMs }}
      />
    </div>
  );
}

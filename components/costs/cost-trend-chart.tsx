"use client";
// Daily cost per group as stacked bars (recharts, as health's trends): the
// largest groups each with a colour, the rest as "Other", idle, system and
// unassigned in greys. A text summary for screen readers; amounts in the
// bill's currency.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/costs/money";

export interface TrendSeries {
  key: string;
  label: string;
  apart: boolean;
  dailyMinor: number[];
}

// The theme's chart tokens (app/globals.css): light or dark with the page, never a literal colour.
const palette = [1, 2, 3, 4, 5, 6].map((n) => `var(--chart-${n})`);
const greys = [1, 2, 3, 4].map((n) => `var(--chart-other-${n})`);
const shown = palette.length;

export function CostTrendChart({
  days,
  series,
  currency,
  digits,
  summary,
}: {
  days: string[];
  series: TrendSeries[];
  currency: string | null;
  digits: number;
  summary: string;
}) {
  const groups = series.filter((s) => !s.apart);
  const apart = series.filter((s) => s.apart);
  const top = groups.slice(0, shown);
  const rest = groups.slice(shown);
  const bars = [
    ...top.map((s, i) => ({ ...s, color: palette[i]! })),
    ...(rest.length
      ? [
          {
            key: "__other",
            label: `Other (${rest.length})`,
            apart: false,
            dailyMinor: days.map((_, d) => rest.reduce((sum, s) => sum + s.dailyMinor[d]!, 0)),
            color: greys[3]!,
          },
        ]
      : []),
    ...apart.map((s, i) => ({ ...s, color: greys[i % 3]! })),
  ];
  const data = days.map((day, d) => Object.fromEntries([["day", day], ...bars.map((bar) => [bar.key, bar.dailyMinor[d]! / 10 ** digits])]));
  const money = (major: number) => formatMoney(Math.round(major * 10 ** digits), currency, digits);
  return (
    <figure className="space-y-2">
      <p className="sr-only">{summary}</p>
      {/* Hidden from screen readers (the summary above says it in words), so nothing in it may take focus: Recharts' keyboard
          layer (accessibilityLayer) would make the chart a tab stop inside aria-hidden, which axe reports. */}
      <div className="h-72 text-muted-foreground" aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 8 }} accessibilityLayer={false}>
            <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
            <XAxis
              dataKey="day"
              tickFormatter={(day: string) => day.slice(5)}
              tick={{ fill: "currentColor", fontSize: 11 }}
              stroke="currentColor"
              strokeOpacity={0.4}
              minTickGap={16}
            />
            <YAxis
              tickFormatter={(value: number) => money(value)}
              tick={{ fill: "currentColor", fontSize: 11 }}
              stroke="currentColor"
              strokeOpacity={0.4}
              width={88}
            />
            <Tooltip
              formatter={(value, name) => [money(Number(value)), bars.find((bar) => bar.key === name)?.label ?? String(name)]}
              labelFormatter={(label) => `${String(label)} (UTC)`}
              contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", color: "var(--foreground)", fontSize: 12 }}
            />
            <Legend formatter={(value: string) => bars.find((bar) => bar.key === value)?.label ?? value} wrapperStyle={{ fontSize: 12 }} />
            {bars.map((bar) => (
              <Bar key={bar.key} dataKey={bar.key} stackId="cost" fill={bar.color} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

import Link from "next/link";
import type { Metadata } from "next";
import { AlertTriangle, ArrowDownRight, ArrowUpRight, Info } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { Cell, DataTable, Row } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/relative-time";
import { CostTrendChart } from "@/components/costs/cost-trend-chart";
import { SyncCostsButton } from "@/components/costs/sync-costs-button";
import { requireActor, requirePermission } from "@/lib/auth/current-actor";
import { can } from "@/lib/auth/permissions";
import { getCosts, type CostView } from "@/lib/costs/get-costs";
import { costGroupings, type CostGrouping } from "@/lib/costs/cost-report";
import { formatMoney } from "@/lib/costs/money";
import { refusedAddress } from "@/lib/net/request-outcome";
import { BudgetForm } from "@/components/costs/budget-form";
import { budgetState } from "@/components/costs/budget-state";
import { listCostBudgets, type CostBudgetList } from "@/lib/costs/list-cost-budgets";
import type { CostBudgetView } from "@/lib/costs/cost-budget-view";
import { AllocationRuleForm } from "@/components/costs/allocation-rule-form";
import { sharingRuleMeanings } from "@/lib/costs/allocation-rule";
import { setCostAllocationRuleAction, setCostBudgetAction, syncCostsAction } from "./actions";

export const metadata: Metadata = { title: "Cost" };

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;
const inputClass = "h-10 rounded-md border border-border bg-background px-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";
const groupingLabels: Record<CostGrouping, string> = { team: "Team", namespace: "Namespace", cluster: "Cluster", service: "Service" };

function monthRanges(now: Date) {
  const today = now.toISOString().slice(0, 10);
  const firstOfMonth = `${today.slice(0, 7)}-01`;
  const lastMonthEnd = new Date(Date.parse(`${firstOfMonth}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return { monthToDate: { from: firstOfMonth, to: today }, lastMonth: { from: `${lastMonthEnd.slice(0, 7)}-01`, to: lastMonthEnd } };
}

function href(query: { groupBy?: string; from?: string; to?: string }, base = "/costs"): string {
  const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])));
  return `${base}?${params.toString()}`;
}

function SyncState({ view, admin }: { view: CostView; admin: boolean }) {
  const { sync } = view;
  return (
    <Card aria-label="Data and sync" className="space-y-2 py-3">
      <div className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm">
        <span>
          <span className="font-medium">Data as of:</span> {view.dataAsOf ? <RelativeTime iso={view.dataAsOf} /> : "no cost stored for this range"}
        </span>
        <span>
          <span className="font-medium">Last sync:</span> {sync.lastSyncedAt ? <RelativeTime iso={sync.lastSyncedAt} /> : "never"}
        </span>
        <span>
          <span className="font-medium">Next sync:</span> {sync.nextSyncAt ? <RelativeTime iso={sync.nextSyncAt} /> : "at the next hourly check"}
        </span>
        <span className="text-muted-foreground">Cost Management refreshes its data every few hours; today and yesterday may still grow.</span>
        {admin && !sync.lastError && <SyncCostsButton action={syncCostsAction} label="Sync now" />}
      </div>
      {sync.lastError && (
        <div
          role="alert"
          className={
            "flex flex-wrap items-center gap-3 rounded-md border border-destructive/40 bg-destructive-muted p-3 text-sm text-destructive-muted-foreground"
          }
        >
          <AlertTriangle className="h-4 w-4" aria-hidden />
          <span>
            <span className="font-semibold">The last cost sync failed:</span> {sync.lastError}. The figures below are from the last successful sync.
          </span>
          {admin ? (
            <SyncCostsButton action={syncCostsAction} label="Retry the sync" />
          ) : (
            <span>A platform admin can retry it; the sync also tries again on its own.</span>
          )}
        </div>
      )}
      {sync.scopes
        .filter((scope) => scope.forecastError)
        .map((scope) => (
          <div
            key={scope.scope}
            role="status"
            className={"flex flex-wrap items-center gap-3 rounded-md border border-warning/60 bg-warning-muted p-3 text-sm text-warning-muted-foreground"}
          >
            <AlertTriangle className="h-4 w-4" aria-hidden />
            <span>
              <span className="font-semibold">Cost Management&apos;s forecast could not be read for {scope.scope}:</span> {scope.forecastError}. Its actual cost
              synced; the forecast shown is the last one read, if any.
            </span>
          </div>
        ))}
    </Card>
  );
}

function Forecast({ view }: { view: CostView }) {
  const { forecast } = view;
  return (
    <Card data-testid="cost-forecast">
      <p className="text-sm text-muted-foreground">Forecast for {forecast.month}</p>
      <p className="text-2xl font-bold" data-testid="cost-forecast-total">
        {forecast.totalMinor === null ? "—" : formatMoney(forecast.totalMinor, view.currency, view.minorUnitDigits)}
      </p>
      {forecast.source === "cost-management" ? (
        <>
          <p className="text-xs text-muted-foreground">
            From Cost Management&apos;s Forecast API, read {forecast.asOf && <RelativeTime iso={forecast.asOf} />}.
          </p>
          <details className="text-xs text-muted-foreground">
            <summary className="cursor-pointer">How it is made</summary>
            <span data-testid="cost-forecast-basis">{forecast.basis}</span>
          </details>
        </>
      ) : (
        <p className="text-xs text-muted-foreground" data-testid="cost-forecast-basis">
          {forecast.basis}
        </p>
      )}
    </Card>
  );
}

function Budgets({ list, currency, team }: { list: CostBudgetList; currency: string | null; team: string | undefined }) {
  const money = (minor: number, budget: CostBudgetView) => formatMoney(minor, budget.currency, budget.minorUnitDigits);
  return (
    <Card aria-labelledby="budgets-title" className="space-y-4">
      <CardHeader>
        <CardTitle id="budgets-title">Budgets, {list.month}</CardTitle>
        <CardDescription>
          Each team&apos;s cost this month (as by team above) against its monthly budget. The forecast is the team&apos;s part of Cost Management&apos;s
          forecast: for each subscription, the team&apos;s share of its month-to-date cost × its forecast, summed; only when no forecast is stored, the
          month-to-date run rate, said so. After each sync, the team&apos;s members and the platform admins are notified once per threshold per month.
        </CardDescription>
      </CardHeader>
      {list.budgets.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          No budget is set{list.manageable.length > 0 ? " yet: set one below." : " for your teams; a member of the team or an admin can set one."}
        </p>
      ) : (
        <div className="overflow-x-auto">
          <DataTable caption={`Budgets for ${list.month}`} columns={["Team", "Budget", "Actual so far", "Forecast", "Alerts at", "State"]}>
            {list.budgets.map((budget) => {
              const state = budgetState(budget);
              return (
                <Row key={budget.team} id={`budget-${budget.team}`} data-testid={`budget-${budget.team}`}>
                  <Cell>{budget.teamName}</Cell>
                  <Cell className="text-right tabular-nums">{money(budget.amountMinor, budget)}</Cell>
                  <Cell className="text-right tabular-nums">
                    {money(budget.actualMinor, budget)} <span className="text-xs text-muted-foreground">({budget.actualPercent} %)</span>
                  </Cell>
                  <Cell className="text-right tabular-nums" title={budget.forecastBasis}>
                    {budget.forecastMinor === null ? "—" : money(budget.forecastMinor, budget)}{" "}
                    {budget.forecastPercent !== null && <span className="text-xs text-muted-foreground">({budget.forecastPercent} %)</span>}
                    {budget.forecastSource && (
                      <span className="block text-xs text-muted-foreground">
                        {budget.forecastSource === "cost-management" ? "Cost Management" : "run rate"}
                      </span>
                    )}
                  </Cell>
                  <Cell className="text-sm">
                    actual {budget.actualThresholds.join(", ")} %; forecast {budget.forecastThresholds.join(", ") || "none"}
                    {budget.forecastThresholds.length > 0 ? " %" : ""}
                  </Cell>
                  <Cell className={`font-medium ${state.tone}`}>
                    <span className="inline-flex items-center gap-1">
                      {state.within ? <Info className="h-4 w-4" aria-hidden /> : <AlertTriangle className="h-4 w-4" aria-hidden />}
                      {state.word}
                    </span>
                  </Cell>
                </Row>
              );
            })}
          </DataTable>
        </div>
      )}
      {list.manageable.length > 0 && <BudgetForm action={setCostBudgetAction} teams={list.manageable} currency={currency} team={team} />}
    </Card>
  );
}

const howShared: Record<CostView["rule"]["idle"], string> = { proportional: "shared by requests", even: "shared evenly", apart: "shown apart" };

/** The rule for idle and system cost in words: admins choose it here, everyone else reads which applies (decision 0058). */
function AllocationRule({ view, editable }: { view: CostView; editable: boolean }) {
  const { rule } = view;
  // Days whose stored figures an admin's change has not reached yet (or stored before the rule was recorded).
  const olderRules = view.allocatedWith.filter((made) => made.idle !== rule.idle || made.system !== rule.system);
  return (
    <Card aria-labelledby="allocation-rule-title" className="space-y-3" data-testid="allocation-rule">
      <CardHeader>
        <CardTitle id="allocation-rule-title">Idle capacity and system namespaces</CardTitle>
        <CardDescription>
          A cluster&apos;s bill pays for its whole nodes. Capacity no namespace requested is idle; kube-system and AKS&apos;s own namespaces are system. Either
          can be shared out among the workload namespaces (and so their teams) or shown apart.
        </CardDescription>
      </CardHeader>
      <p className="text-sm" data-testid="allocation-rule-current">
        <span className="font-medium">Idle capacity</span> is {sharingRuleMeanings[rule.idle]}; <span className="font-medium">system namespaces</span> are{" "}
        {sharingRuleMeanings[rule.system].replace(/^shown as a line of its own/, "shown as a line of their own")}.
        {!editable && " A platform admin chooses this."}
      </p>
      {olderRules.length > 0 && (
        <p className="text-sm" data-testid="allocation-rule-figures">
          The figures shown for{" "}
          {olderRules
            .map(
              (older) =>
                `${older.days} day${older.days === 1 ? "" : "s"} of this range ` +
                (older.idle && older.system
                  ? `were made with the earlier rule (idle ${howShared[older.idle]}, system ${howShared[older.system]})`
                  : "were made before Wharf recorded the rule"),
            )
            .join("; ")}
          .
        </p>
      )}
      {view.reallocatingMonths.length > 0 && (
        <p role="status" className="flex items-start gap-2 text-sm font-medium" data-testid="allocation-rule-pending">
          <Info className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
          The allocations of {view.reallocatingMonths.join(", ")} are being recomputed; these figures change within a minute or so.
        </p>
      )}
      {editable && <AllocationRuleForm action={setCostAllocationRuleAction} rule={rule} meanings={sharingRuleMeanings} />}
    </Card>
  );
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "—" : `${((100 * part) / whole).toFixed(1)} %`;
}

export default async function CostsPage({ searchParams }: { searchParams: Promise<Search> }) {
  // A member may read cost for their teams: asked for their first team, so a viewer in no team gets the 403 page.
  const signedIn = await requireActor();
  const actor = await requirePermission("cost:read", signedIn.isAdmin ? {} : { teamId: signedIn.teams[0]?.id });
  const search = await searchParams;
  const query = { groupBy: one(search.groupBy), from: one(search.from), to: one(search.to) };
  const now = new Date();
  const ranges = monthRanges(now);
  const admin = can(actor, "cost:sync");
  const ruleEditable = can(actor, "cost:allocation:edit");
  let view: CostView | undefined;
  let problem: string | undefined;
  try {
    view = await getCosts({ actor, query, now });
  } catch (error) {
    problem = refusedAddress(error);
  }
  const groupBy = view?.groupBy ?? (costGroupings.includes(query.groupBy as CostGrouping) ? (query.groupBy as CostGrouping) : "team");
  const same = (range: { from: string; to: string }) => view && view.from === range.from && view.to === range.to;
  const [[monthToDate, lastMonth], budgets] = await Promise.all([
    Promise.all(
      [ranges.monthToDate, ranges.lastMonth].map((range) => (same(range) ? Promise.resolve(view!) : getCosts({ actor, query: { groupBy, ...range }, now }))),
    ),
    listCostBudgets({ actor, now }),
  ]);
  // A range with no cost stored reads "—", not a zero the bill never said.
  const money = (minor: number, v: CostView = monthToDate!) => (v.dataAsOf === null ? "—" : formatMoney(minor, v.currency, v.minorUnitDigits));
  // Each group's part of Cost Management's forecast for the current month, beside a range that reaches into it.
  const forecastColumn = view !== undefined && view.forecast.source === "cost-management" && view.to >= `${view.forecast.month}-01`;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Cost</h1>
        <p className="text-muted-foreground">
          What the Azure bill says, from Cost Management, split by Wharf: each cluster&apos;s cost (its resource and its node resource group) by the CPU and
          memory namespaces requested, tagged Azure resources straight to their team and service.
          {view?.scope === "teams"
            ? " You see your teams' figures."
            : ` Idle capacity is ${howShared[monthToDate!.rule.idle]} and system namespaces are ${howShared[monthToDate!.rule.system]}; ` +
              "every view adds up to the bill to the cent."}
        </p>
      </div>

      {view ? <SyncState view={view} admin={admin} /> : <SyncState view={monthToDate!} admin={admin} />}

      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
        <Card>
          <p className="text-sm text-muted-foreground">Month to date</p>
          <p className="text-2xl font-bold" data-testid="cost-month-to-date">
            {money(monthToDate!.totalMinor, monthToDate)}
          </p>
          <p className="text-xs text-muted-foreground">
            {ranges.monthToDate.from} to {ranges.monthToDate.to} (UTC)
          </p>
        </Card>
        <Forecast view={monthToDate!} />
        <Card>
          <p className="text-sm text-muted-foreground">Last month</p>
          <p className="text-2xl font-bold">{money(lastMonth!.totalMinor, lastMonth)}</p>
          <p className="text-xs text-muted-foreground">
            {ranges.lastMonth.from} to {ranges.lastMonth.to}
          </p>
        </Card>
        <Card>
          <p className="text-sm text-muted-foreground">Shown range</p>
          <p className="text-2xl font-bold">{view ? money(view.totalMinor, view) : "—"}</p>
          <p className="text-xs text-muted-foreground">{view ? `${view.from} to ${view.to}` : "fix the range"}</p>
        </Card>
      </div>

      <Budgets list={budgets} currency={monthToDate!.currency} team={one(search.budgetTeam)} />

      <AllocationRule view={view ?? monthToDate!} editable={ruleEditable} />

      <Card>
        <form method="get" className="grid items-end gap-3 md:grid-cols-[repeat(3,1fr)_auto]" role="search" aria-label="Choose the cost view">
          <div className="space-y-1">
            <label htmlFor="cost-groupBy" className="text-sm font-medium">
              Group by
            </label>
            <select id="cost-groupBy" name="groupBy" defaultValue={groupBy} className={`${inputClass} w-full`}>
              {costGroupings.map((value) => (
                <option key={value} value={value}>
                  {groupingLabels[value]}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="cost-from" className="text-sm font-medium">
              From
            </label>
            <input id="cost-from" name="from" type="date" defaultValue={view?.from ?? query.from} className={`${inputClass} w-full`} />
          </div>
          <div className="space-y-1">
            <label htmlFor="cost-to" className="text-sm font-medium">
              To
            </label>
            <input id="cost-to" name="to" type="date" defaultValue={view?.to ?? query.to} className={`${inputClass} w-full`} />
          </div>
          <Button type="submit">Show</Button>
        </form>
        <div className="mt-3 flex flex-wrap gap-3 text-sm">
          <Link className="text-primary underline" href={href({ groupBy, ...ranges.monthToDate })}>
            Month to date
          </Link>
          <Link className="text-primary underline" href={href({ groupBy, ...ranges.lastMonth })}>
            Last month
          </Link>
          {view && (
            <a className="text-primary underline" href={href({ groupBy, from: view.from, to: view.to }, "/api/v1/costs/export")} download>
              Export CSV
            </a>
          )}
        </div>
      </Card>

      {problem && (
        <p role="alert" className="font-medium text-destructive">
          {problem} Fix the address, or{" "}
          <Link className="text-primary underline" href="/costs">
            show this month so far
          </Link>
          .
        </p>
      )}

      {view && view.notes.length > 0 && (
        <ul className="space-y-1 text-sm" aria-label="About these figures">
          {view.notes.map((note) => (
            <li key={note} className="flex items-start gap-2">
              <Info className="mt-0.5 h-4 w-4 shrink-0" aria-hidden /> {note}
            </li>
          ))}
        </ul>
      )}

      {view && view.lines.length === 0 && (
        <Card>
          <p className="font-medium">
            No cost to show for {view.from} to {view.to}.
          </p>
          <p className="text-sm text-muted-foreground">
            {view.dataAsOf === null
              ? "Nothing is stored for these days yet: the sync reads Cost Management every few hours, and its data lags about 4 hours." +
                (admin ? " Sync now to read it at once." : "")
              : "None of the stored cost in these days is your teams'."}
          </p>
        </Card>
      )}

      {view && view.lines.length > 0 && (
        <>
          <Card>
            <CardTitle>Daily cost by {groupingLabels[view.groupBy].toLowerCase()}</CardTitle>
            <CostTrendChart
              days={view.days}
              currency={view.currency}
              digits={view.minorUnitDigits}
              series={view.lines.map((line) => ({ key: line.key, label: line.label, apart: line.apart !== null, dailyMinor: line.dailyMinor }))}
              summary={
                `Daily cost from ${view.from} to ${view.to}: ${money(view.totalMinor, view)} in all; ` +
                `the largest is ${view.lines[0]!.label} with ${money(view.lines[0]!.totalMinor, view)}. The table below has every figure.`
              }
            />
          </Card>

          <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
            <ScrollCard label="Breakdown">
              <div className="px-5 pt-4">
                <CardTitle>Breakdown</CardTitle>
              </div>
              <DataTable
                caption={`Cost by ${view.groupBy}, ${view.from} to ${view.to}`}
                columns={[groupingLabels[view.groupBy], "Cost", "Share", ...(forecastColumn ? [`Forecast, ${view.forecast.month}`] : [])]}
              >
                {view.lines.map((line) => (
                  <Row key={line.key}>
                    <Cell>
                      {line.label}
                      {line.apart && <span className="ml-2 text-xs text-muted-foreground">(apart)</span>}
                    </Cell>
                    <Cell className="text-right tabular-nums">{money(line.totalMinor, view)}</Cell>
                    <Cell className="text-right tabular-nums">{percent(line.totalMinor, view.totalMinor)}</Cell>
                    {forecastColumn && (
                      <Cell className="text-right tabular-nums" title={view.forecast.basis}>
                        {line.forecastMinor === null ? "—" : money(line.forecastMinor, view)}
                      </Cell>
                    )}
                  </Row>
                ))}
                <Row className="font-semibold">
                  <Cell>Total</Cell>
                  <Cell className="text-right tabular-nums">{money(view.totalMinor, view)}</Cell>
                  <Cell className="text-right tabular-nums">{view.totalMinor === 0 ? "—" : "100 %"}</Cell>
                  {forecastColumn && (
                    <Cell className="text-right tabular-nums">{view.forecast.totalMinor === null ? "—" : money(view.forecast.totalMinor, view)}</Cell>
                  )}
                </Row>
              </DataTable>
            </ScrollCard>
            <Card>
              <CardHeader>
                <CardTitle>Top movers, week over week</CardTitle>
                <CardDescription className="text-xs">The 7 days to {view.to} against the 7 before.</CardDescription>
              </CardHeader>
              {view.movers.length === 0 ? (
                <p className="text-sm text-muted-foreground">No {view.groupBy} changed between the two weeks.</p>
              ) : (
                <ul className="space-y-2 text-sm">
                  {view.movers.map((mover) => (
                    <li key={mover.key} className="flex items-center justify-between gap-2">
                      <span className="truncate">{mover.label}</span>
                      <span className="flex items-center gap-1 tabular-nums">
                        {mover.changeMinor > 0 ? <ArrowUpRight className="h-4 w-4" aria-hidden /> : <ArrowDownRight className="h-4 w-4" aria-hidden />}
                        {mover.changeMinor > 0 ? "up" : "down"} {money(Math.abs(mover.changeMinor), view)}
                        <span className="text-xs text-muted-foreground">
                          ({money(mover.previousWeekMinor, view)} → {money(mover.lastWeekMinor, view)})
                        </span>
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          </div>
        </>
      )}
    </div>
  );
}

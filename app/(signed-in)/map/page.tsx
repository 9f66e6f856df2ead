import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { AppMap } from "@/components/appmap/app-map";
import { requirePermission } from "@/lib/auth/current-actor";
import { isAppError } from "@/lib/errors";
import { getMap, listMapEnvironments } from "@/lib/appmap/get-map";
import { externalTypes, filterMap, parseMapFilters } from "@/lib/appmap/filter-map";
import { listTeams } from "@/lib/teams/list-teams";
import { healthStates } from "@/lib/health/types";

export const metadata: Metadata = { title: "Application map" };

type Search = { window?: string; team?: string; environment?: string; health?: string; types?: string };

const select = "rounded-md border border-border bg-background px-2 py-1 text-sm";

export default async function MapPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePermission("health:read");
  const search = await searchParams;
  const [teams, environments] = await Promise.all([listTeams({ actor }), listMapEnvironments({ actor })]);
  const query = Object.fromEntries(Object.entries({ window: search.window, team: search.team, environment: search.environment }).filter(([, value]) => value));
  let problem: string | null = null;
  let view = null;
  try {
    view = await getMap({ actor, query });
  } catch (error) {
    if (!isAppError(error) || error.code !== "invalid_input") throw error;
    problem = error.message;
  }
  const filters = parseMapFilters(search);
  const shown = view ? filterMap(view, filters) : null;
  const failing = view?.sources.filter((source) => source.error) ?? [];

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-3xl font-bold">Application map</h1>
        <p className="text-muted-foreground">Who calls whom, from Application Insights telemetry, held against the dependencies the catalog declares. Rebuilt every health cycle; positions stay put.</p>
      </div>
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm" aria-label="Map filters">
        <label className="flex flex-col gap-1">
          Window
          <select name="window" defaultValue={search.window ?? "1h"} className={select}>
            <option value="1h">Last hour</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Environment
          <select name="environment" defaultValue={search.environment ?? ""} className={select}>
            <option value="">All (fleet)</option>
            {environments.map((environment) => (
              <option key={environment}>{environment}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Team
          <select name="team" defaultValue={search.team ?? ""} className={select}>
            <option value="">Every team</option>
            {teams.map((team) => (
              <option key={team.slug} value={team.slug}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Health
          <select name="health" defaultValue={search.health ?? ""} className={select}>
            <option value="">Any</option>
            {healthStates.map((state) => (
              <option key={state}>{state}</option>
            ))}
            <option value="unhealthy,degraded">unhealthy or degraded</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          External types
          <input name="types" defaultValue={search.types ?? ""} placeholder={view ? externalTypes(view).join(",") || "none" : "SQL,Http"} className={select} />
        </label>
        <button type="submit" className="rounded-md border border-border bg-primary px-3 py-1.5 text-primary-foreground">
          Apply
        </button>
        <Link href="/map" className="py-1.5 underline">
          Reset
        </Link>
      </form>

      {problem && (
        <Card role="alert" className="border-red-300">
          <CardTitle>This map cannot be shown</CardTitle>
          <p>{problem}</p>
        </Card>
      )}
      {view && !view.builtAt && <Card>No map yet for this window{view.environment ? ` in ${view.environment}` : ""}: the health poller builds it on its next cycle once a workspace has answered. Deploy a service with an App Insights role name for telemetry to appear.</Card>}
      {failing.length > 0 && (
        <Card role="status" className="border-amber-400">
          <CardTitle>Part of the map is stale</CardTitle>
          <ul className="list-disc pl-5 text-sm">
            {failing.map((source) => (
              <li key={source.workspace}>
                {source.workspace}: {source.error}
                {source.fetchedAt ? (
                  <>
                    {" "}
                    (edges from <RelativeTime iso={source.fetchedAt} />)
                  </>
                ) : (
                  " (no edges yet)"
                )}
              </li>
            ))}
          </ul>
        </Card>
      )}
      {shown && view?.builtAt && (
        <>
          <div className="flex flex-wrap gap-2 text-sm text-muted-foreground">
            <span>
              {shown.nodes.length} nodes, {shown.edges.length} edges · built <RelativeTime iso={view.builtAt} />
            </span>
            {shown.edges.some((edge) => edge.declaration === "undeclared") && <Badge tone="warning">{shown.edges.filter((edge) => edge.declaration === "undeclared").length} undeclared</Badge>}
          </div>
          {shown.nodes.length === 0 ? <Card>Nothing matches these filters. Reset them to see the whole map.</Card> : <AppMap map={shown} />}
          {view.notSeen.length > 0 && (
            <Card>
              <CardTitle>Declared but not seen in 7 days</CardTitle>
              <ul className="list-disc pl-5 text-sm">
                {view.notSeen.map((entry) => (
                  <li key={`${entry.from}>${entry.to}`}>
                    <Link className="underline" href={`/catalog/${entry.from}`}>
                      {entry.from}
                    </Link>{" "}
                    declares {entry.to}
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </>
      )}
    </div>
  );
}

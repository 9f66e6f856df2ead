import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { AppMap } from "@/components/appmap/app-map";
import { requirePermission } from "@/lib/auth/current-actor";
import { refusedAddress } from "@/lib/net/request-outcome";
import { getMap, listMapEnvironments } from "@/lib/appmap/get-map";
import { externalTypes, filterMap, parseMapFilters } from "@/lib/appmap/filter-map";
import { focusHops, focusMap, parseMapFocus } from "@/lib/appmap/focus-map";
import { listTeams } from "@/lib/teams/list-teams";
import { healthStates } from "@/lib/health/types";
import { LinkRoleForm } from "@/components/appmap/link-role-form";
import { listLinkableServices } from "@/lib/catalog/link-role-name";
import { declareDependencyAction } from "../catalog/actions";
import { linkRoleAction } from "./actions";

export const metadata: Metadata = { title: "Application map" };

type Search = { window?: string; team?: string; environment?: string; health?: string; types?: string; focus?: string; hops?: string; only?: string };

const select = "rounded-md border border-border bg-background px-2 py-1 text-sm";

export default async function MapPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePermission("health:read");
  const searched = await searchParams;
  const [teams, environments] = await Promise.all([listTeams({ actor }), listMapEnvironments({ actor })]);
  const query = Object.fromEntries(
    Object.entries({ window: searched.window, team: searched.team, environment: searched.environment }).filter(([, value]) => value),
  );
  let problem: string | null = null;
  let view = null;
  try {
    view = await getMap({ actor, query });
  } catch (error) {
    problem = refusedAddress(error);
  }
  const filters = parseMapFilters(searched);
  const filtered = view ? filterMap(view, filters) : null;
  const search = parseMapFocus(searched);
  const focus = filtered && view?.builtAt && search ? focusMap(filtered, search) : null;
  const shown =
    filtered && focus?.found && search?.only
      ? {
          ...filtered,
          nodes: filtered.nodes.filter((node) => focus.nodeIds.has(node.id)),
          edges: filtered.edges.filter((edge) => focus.nodeIds.has(edge.source) && focus.nodeIds.has(edge.target)),
        }
      : filtered;
  const failing = view?.sources.filter((source) => source.error) ?? [];
  // Roles telemetry reports that no catalog entry claims, most called first, each with a form to link it to a service.
  const unknownRoles = (shown?.nodes ?? [])
    .filter((node) => node.kind === "unknown")
    .map((node, index) => ({
      id: node.id,
      role: node.role ?? node.label,
      anchor: `unknown-role-${index}`,
      calls: shown!.edges.filter((edge) => edge.source === node.id || edge.target === node.id).reduce((sum, edge) => sum + edge.calls, 0),
    }))
    .sort((a, b) => b.calls - a.calls);
  const linkable = unknownRoles.length > 0 ? await listLinkableServices({ actor }) : [];

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-3xl font-bold">Application map</h1>
        <p className="text-muted-foreground">
          Who calls whom, from Application Insights telemetry, held against the dependencies the catalog declares. Rebuilt every health cycle and after a
          catalog change it shows; positions stay put.
        </p>
      </div>
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm" aria-label="Map filters">
        <label className="flex flex-col gap-1">
          Window
          <select name="window" defaultValue={searched.window ?? "1h"} className={select}>
            <option value="1h">Last hour</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Environment
          <select name="environment" defaultValue={searched.environment ?? ""} className={select}>
            <option value="">All (fleet)</option>
            {environments.map((environment) => (
              <option key={environment}>{environment}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Team
          <select name="team" defaultValue={searched.team ?? ""} className={select}>
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
          <select name="health" defaultValue={searched.health ?? ""} className={select}>
            <option value="">Any</option>
            {healthStates.map((state) => (
              <option key={state}>{state}</option>
            ))}
            <option value="unhealthy,degraded">unhealthy or degraded</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          External types
          <input
            name="types"
            defaultValue={searched.types ?? ""}
            placeholder={view ? externalTypes(view).join(",") || "none" : "SQL,Http"}
            className={select}
          />
        </label>
        <label className="flex flex-col gap-1">
          Search a node
          <input name="focus" type="search" defaultValue={searched.focus ?? ""} placeholder="service, role or target" className={select} />
        </label>
        <label className="flex flex-col gap-1">
          Hops
          <select name="hops" defaultValue={String(search?.hops ?? 1)} className={select}>
            {focusHops.map((hops) => (
              <option key={hops} value={hops}>
                {hops} {hops === 1 ? "hop" : "hops"}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1 py-1.5">
          <input name="only" type="checkbox" value="1" defaultChecked={search?.only ?? false} />
          Hide the rest
        </label>
        <button type="submit" className="rounded-md border border-border bg-primary px-3 py-1.5 text-primary-foreground">
          Apply
        </button>
        <Link href="/map" className="py-1.5 underline">
          Reset
        </Link>
      </form>

      {problem && (
        <Card role="alert" className="border-destructive/40">
          <CardTitle>This map cannot be shown</CardTitle>
          <p>{problem}</p>
        </Card>
      )}
      {focus && !focus.found && (
        <Card role="alert" className="border-warning/60">
          <CardTitle>Search</CardTitle>
          <p>{focus.message}</p>
        </Card>
      )}
      {view && !view.builtAt && (
        <Card>
          No map yet for this window{view.environment ? ` in ${view.environment}` : ""}: the health poller builds it on its next cycle once a workspace has
          answered. Deploy a service with an App Insights role name for telemetry to appear.
        </Card>
      )}
      {view?.refreshError && (
        <Card role="alert" className="border-warning/60">
          <CardTitle>The map is not being refreshed</CardTitle>
          <p className="text-sm">
            Every refresh since <RelativeTime iso={view.refreshError.since} /> failed: {view.refreshError.message.replace(/\.$/, "")}. The map below is the last
            one built
            {view.builtAt ? (
              <>
                {" "}
                (<RelativeTime iso={view.builtAt} />)
              </>
            ) : null}
            ; Wharf tries again every health cycle (last try <RelativeTime iso={view.refreshError.lastAttemptAt} />
            ).
          </p>
        </Card>
      )}
      {failing.length > 0 && (
        <Card role="status" className="border-warning/60">
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
            {focus?.found && (
              <span role="status">
                Focused on {filtered!.nodes.find((node) => node.id === focus.centre)?.label} and {focus.nodeIds.size - 1}{" "}
                {focus.nodeIds.size === 2 ? "node" : "nodes"} within {focus.hops} {focus.hops === 1 ? "hop" : "hops"}
                {search?.only ? "; the rest is hidden" : "; the rest is dimmed"}.
              </span>
            )}
            {shown.edges.some((edge) => edge.declaration === "undeclared") && (
              <Badge variant="warning">{shown.edges.filter((edge) => edge.declaration === "undeclared").length} undeclared</Badge>
            )}
          </div>
          {shown.nodes.length === 0 ? (
            <Card>
              {view.nodes.length === 0
                ? "No calls seen in this window yet: the map fills in once services with an App Insights role name run and report telemetry."
                : "Nothing matches these filters. Reset them to see the whole map."}
            </Card>
          ) : (
            <AppMap
              map={shown}
              focus={focus?.found ? { centre: focus.centre, nodeIds: [...focus.nodeIds] } : null}
              declareAction={declareDependencyAction}
              editableTeams={actor.isAdmin ? "all" : actor.teams.map((team) => team.slug)}
              unknownRoleAnchors={Object.fromEntries(unknownRoles.map((entry) => [entry.id, entry.anchor]))}
            />
          )}
          {unknownRoles.length > 0 && (
            <Card aria-labelledby="unknown-roles-title">
              <CardHeader>
                <CardTitle id="unknown-roles-title">Roles no catalog service claims ({unknownRoles.length})</CardTitle>
                <CardDescription>
                  Telemetry reports these App Insights role names, but no service in the catalog has them as its role name. Link each to its service, or set the
                  role name under the service&apos;s Edit.
                </CardDescription>
              </CardHeader>
              {linkable.length === 0 && (
                <p className="text-sm text-muted-foreground">You cannot change any service: ask the owning team or a platform admin to link them.</p>
              )}
              <datalist id="linkable-services">
                {linkable.map((service) => (
                  <option key={service.slug} value={service.slug}>
                    {service.name}
                    {service.role ? ` (reports as ${service.role})` : ""}
                  </option>
                ))}
              </datalist>
              <ul className="divide-y divide-border">
                {unknownRoles.map((entry) => (
                  <li key={entry.id} id={entry.anchor} className="scroll-mt-20 space-y-2 py-3 target:bg-muted/50">
                    <div className="text-sm">
                      <span className="font-mono font-semibold">{entry.role}</span>{" "}
                      <span className="text-muted-foreground">· {Math.round(entry.calls).toLocaleString("en")} calls in this window</span>
                    </div>
                    {linkable.length > 0 && <LinkRoleForm action={linkRoleAction} role={entry.role} servicesListId="linkable-services" />}
                  </li>
                ))}
              </ul>
            </Card>
          )}
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

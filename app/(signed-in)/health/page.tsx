import Link from "next/link";
import type { Metadata } from "next";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FilterSelect } from "@/components/ui/filter-select";
import { HealthBoard, type HealthFilters } from "@/components/health/health-board";
import { requirePermission } from "@/lib/auth/current-actor";
import { healthFacets, healthQueryKeys, healthSorts, listServiceHealth, type HealthList } from "@/lib/health/list-service-health";
import { environments } from "@/lib/clusters/cluster-view";
import { tiers } from "@/lib/catalog/service-input";
import { healthStates } from "@/lib/health/types";
import { refusedAddress } from "@/lib/net/request-outcome";

export const metadata: Metadata = { title: "Health" };

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

const sortLabels: Record<(typeof healthSorts)[number], string> = { health: "Worst first", service: "Service name", evaluated: "Longest since evaluated" };

export default async function HealthPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePermission("health:read");
  const search = await searchParams;
  const filters: HealthFilters = Object.fromEntries(healthQueryKeys.flatMap((key) => (one(search[key]) ? [[key, one(search[key])]] : [])));
  let list: HealthList | undefined;
  let problem: string | undefined;
  try {
    list = await listServiceHealth({ actor, query: filters });
  } catch (error) {
    problem = `${refusedAddress(error)} Fix the address, or clear the filters.`;
  }
  const { teams } = await healthFacets({ actor });
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold">Health</h1>
          <p className="text-muted-foreground">
            Every service in every environment, worst first: Kubernetes (replicas, restarts, crashing pods, rollouts) and Application Insights (failure rate,
            p95, availability) against its tier&apos;s thresholds.
          </p>
        </div>
        {actor.teams.length > 0 && (
          <Button asChild variant="outline">
            <Link href={`/health?team=mine`}>My teams</Link>
          </Button>
        )}
      </div>
      <Card>
        <form method="get" className="grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(5,1fr)_auto]" role="search" aria-label="Filter health">
          <FilterSelect
            id="health-team"
            name="team"
            className="w-full"
            label="Team"
            value={filters.team ?? ""}
            options={[
              { value: "", label: "All teams" },
              ...(actor.teams.length > 0 ? [{ value: "mine", label: "My teams" }] : []),
              ...teams.map((team) => ({ value: team.slug, label: team.name })),
            ]}
          />
          <FilterSelect
            id="health-environment"
            name="environment"
            className="w-full"
            label="Environment"
            value={filters.environment ?? ""}
            options={[{ value: "", label: "All environments" }, ...environments.map((value) => ({ value, label: value }))]}
          />
          <FilterSelect
            id="health-status"
            name="status"
            className="w-full"
            label="Health"
            value={filters.status ?? ""}
            options={[{ value: "", label: "Any health" }, ...healthStates.map((value) => ({ value, label: value }))]}
          />
          <FilterSelect
            id="health-tier"
            name="tier"
            className="w-full"
            label="Tier"
            value={filters.tier ?? ""}
            options={[{ value: "", label: "Any tier" }, ...tiers.map((value) => ({ value, label: value }))]}
          />
          <FilterSelect
            id="health-sort"
            name="sort"
            className="w-full"
            label="Order"
            value={filters.sort ?? "health"}
            options={healthSorts.map((value) => ({ value, label: sortLabels[value] }))}
          />
          {filters.pageSize && <input type="hidden" name="pageSize" value={filters.pageSize} />}
          <Button type="submit">Apply</Button>
        </form>
      </Card>
      {problem && (
        <p role="alert" className="font-medium text-destructive">
          {problem}{" "}
          <Link className="text-primary underline" href="/health">
            Clear the filters
          </Link>
        </p>
      )}
      {list && <HealthBoard initial={list} filters={filters} />}
    </div>
  );
}

import Link from "next/link";
import type { Metadata } from "next";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { FilterSelect } from "@/components/ui/filter-select";
import { Input } from "@/components/ui/input";
import { DeploymentHistory } from "@/components/deployments/history-table";
import { requirePermission } from "@/lib/auth/current-actor";
import { teamsActorActsFor } from "@/lib/auth/permissions";
import { environments } from "@/lib/clusters/cluster-view";
import { refusedAddress } from "@/lib/net/request-outcome";
import { deploymentStatuses } from "@/lib/deployments/deployment-settings";
import { listDeployers, listDeployments, type Deployer } from "@/lib/deployments/list-deployments";
import type { DeploymentView } from "@/lib/deployments/deployment-view";

export const metadata: Metadata = { title: "Deployments" };

const pageSize = 50;
/** The history's filters, all in the URL; namespace (an id) and cluster come from links (a service page, a namespace page). */
const filterKeys = ["service", "environment", "status", "requestedBy", "cluster", "namespace"] as const;
type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

export default async function DeploymentsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePermission("deployment:read");
  const search = await searchParams;
  const filters: Partial<Record<(typeof filterKeys)[number], string>> = Object.fromEntries(
    filterKeys.flatMap((key) => (one(search[key]) ? [[key, one(search[key])!]] : [])),
  );
  const before = one(search.before);
  let deployments: DeploymentView[] = [];
  let older: string | null = null;
  let problem: string | null = null;
  const link = (extra: Record<string, string>) => `/deployments?${new URLSearchParams({ ...filters, ...extra })}`;
  let deployers: Deployer[] = [];
  try {
    [{ deployments, older }, deployers] = await Promise.all([
      listDeployments({ actor, filter: { ...filters, before, limit: pageSize } }),
      listDeployers({ actor }),
    ]);
  } catch (error) {
    problem = `${refusedAddress(error)} Fix the address, or clear the filters.`;
  }
  const filtered = Object.keys(filters).length > 0;
  const scope =
    deployments[0] && filters.service && filters.namespace
      ? `${deployments[0].service.displayName} in ${deployments[0].namespace.name}`
      : deployments[0] && filters.service
        ? deployments[0].service.displayName
        : null;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Deployments{scope ? `: ${scope}` : ""}</h1>
        <p className="text-muted-foreground">Who deployed what, where, when, how long it took and how it ended; roll back to any revision that succeeded.</p>
      </div>
      <Card>
        <form method="get" className="grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(4,1fr)_auto]" role="search" aria-label="Filter deployments">
          <div className="space-y-1">
            <label htmlFor="deployments-service" className="text-sm font-medium">
              Service
            </label>
            <Input id="deployments-service" name="service" defaultValue={filters.service ?? ""} placeholder="All services (or a slug)" />
          </div>
          <FilterSelect
            id="deployments-environment"
            name="environment"
            label="Environment"
            className="w-full"
            value={filters.environment ?? ""}
            options={[{ value: "", label: "All environments" }, ...environments.map((value) => ({ value, label: value }))]}
          />
          <FilterSelect
            id="deployments-status"
            name="status"
            label="Status"
            className="w-full"
            value={filters.status ?? ""}
            options={[
              { value: "", label: "Any status" },
              ...(filters.status && !(deploymentStatuses as readonly string[]).includes(filters.status)
                ? [{ value: filters.status, label: filters.status }]
                : []),
              ...deploymentStatuses.map((value) => ({ value, label: value })),
            ]}
          />
          <FilterSelect
            id="deployments-requested-by"
            name="requestedBy"
            label="Who"
            className="w-full"
            value={filters.requestedBy ?? ""}
            options={[
              { value: "", label: "Anyone" },
              ...(actor.kind === "user" ? [{ value: actor.userId, label: `Me (${actor.name})` }] : []),
              ...deployers.filter((person) => actor.kind !== "user" || person.id !== actor.userId).map((person) => ({ value: person.id, label: person.name })),
            ]}
          />
          {filters.cluster && <input type="hidden" name="cluster" value={filters.cluster} />}
          {filters.namespace && <input type="hidden" name="namespace" value={filters.namespace} />}
          <Button type="submit">Apply</Button>
        </form>
        {filtered && (
          <p className="mt-3 text-sm">
            <Link className="underline" href="/deployments">
              Clear the filters
            </Link>
            {filters.namespace && " (this history is of one namespace: clearing shows every namespace)"}
          </p>
        )}
      </Card>
      {problem ? (
        <p role="alert" className="font-medium text-destructive">
          {problem}{" "}
          <Link className="text-primary underline" href="/deployments">
            Clear the filters
          </Link>
        </p>
      ) : deployments.length === 0 ? (
        <Card>
          {filtered ? (
            <p>No deployment matches these filters.</p>
          ) : (
            <p>No deployments yet. Deploy a service from its page in the catalog: open the service, then Deploy (or go to /catalog/&lt;service&gt;/deploy).</p>
          )}
          <Link className="mt-2 inline-block underline" href="/catalog">
            Open the catalog
          </Link>
        </Card>
      ) : (
        <>
          <ScrollCard label="Deployment history">
            <DeploymentHistory deployments={deployments} rollbackTeams={teamsActorActsFor(actor)} />
          </ScrollCard>
          <nav aria-label="Pages of the history" className="flex gap-4 text-sm">
            {before && (
              <Link className="underline" href={link({})}>
                Newest
              </Link>
            )}
            {older && (
              <Link className="underline" href={link({ before: older })}>
                Older deployments
              </Link>
            )}
          </nav>
        </>
      )}
    </div>
  );
}

import Link from "next/link";
import type { Metadata } from "next";
import { DataTable, Row, Cell } from "@/components/ui/table";
import { Card } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { FilterSelect } from "@/components/ui/filter-select";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { LifecycleBadge, TierBadge } from "@/components/catalog/service-badges";
import { requirePermission } from "@/lib/auth/current-actor";
import { actsForAnyTeam } from "@/lib/auth/permissions";
import { catalogFacets, listServices, type ServicePage } from "@/lib/catalog/list-services";
import { lifecycles, tiers } from "@/lib/catalog/service-input";
import { refusedAddress } from "@/lib/net/request-outcome";

export const metadata: Metadata = { title: "Catalog" };

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

function href(query: Record<string, string | undefined>, change: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...change })) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `/catalog?${text}` : "/catalog";
}

export default async function CatalogPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePermission("service:read");
  const search = await searchParams;
  const query = Object.fromEntries(
    ["q", "team", "tier", "lifecycle", "language", "retired", "sort", "order", "page", "pageSize"].map((key) => [key, one(search[key])]),
  );
  let result: ServicePage | undefined;
  let problem: string | undefined;
  try {
    result = await listServices({ actor, query });
  } catch (error) {
    problem = `${refusedAddress(error)} Fix the address, or clear the filters.`;
  }
  const facets = await catalogFacets({ actor });
  const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold">Catalog</h1>
          <p className="text-muted-foreground">Every service, who owns it and how it runs.</p>
        </div>
        <div className="flex gap-2">
          {actor.teams.length > 0 && (
            <Button asChild variant="outline">
              <Link href="/catalog?team=mine">My team&apos;s services</Link>
            </Button>
          )}
          {/* Importing creates or updates a team's services: not offered to a viewer in no team, who could only be refused. */}
          {actsForAnyTeam(actor) && (
            <>
              <Button asChild variant="outline">
                <Link href="/catalog/import">Import catalog-info.yaml</Link>
              </Button>
              <Button asChild>
                <Link href="/catalog/new">Register a service</Link>
              </Button>
            </>
          )}
        </div>
      </div>
      <Card>
        <form method="get" className="grid items-end gap-3 md:grid-cols-[2fr_repeat(5,1fr)_auto]" role="search" aria-label="Search the catalog">
          <div className="space-y-1">
            <label htmlFor="q" className="text-sm font-medium">
              Search
            </label>
            <Input id="q" name="q" type="search" defaultValue={query.q} placeholder="Name, description or tag" />
          </div>
          <FilterSelect
            name="team"
            label="Team"
            value={query.team ?? ""}
            options={[
              { value: "", label: "All teams" },
              ...(actor.teams.length > 0 ? [{ value: "mine", label: "My teams" }] : []),
              ...facets.teams.map((team) => ({ value: team.slug, label: team.name })),
            ]}
          />
          <FilterSelect
            name="tier"
            label="Tier"
            value={query.tier ?? ""}
            options={[{ value: "", label: "Any tier" }, ...tiers.map((tier) => ({ value: tier, label: tier }))]}
          />
          <FilterSelect
            name="lifecycle"
            label="Lifecycle"
            value={query.lifecycle ?? ""}
            options={[{ value: "", label: "Any lifecycle" }, ...lifecycles.map((lifecycle) => ({ value: lifecycle, label: lifecycle }))]}
          />
          <FilterSelect
            name="language"
            label="Language"
            value={query.language ?? ""}
            options={[{ value: "", label: "Any language" }, ...facets.languages.map((language) => ({ value: language, label: language }))]}
          />
          <FilterSelect
            name="sort"
            label="Sort by"
            value={query.sort ?? "name"}
            options={[
              { value: "name", label: "Name" },
              { value: "team", label: "Team" },
              { value: "tier", label: "Tier" },
              { value: "updated", label: "Last changed" },
            ]}
          />
          <Button type="submit">Apply</Button>
        </form>
      </Card>
      {problem && (
        <p role="alert" className="font-medium text-destructive">
          {problem}
        </p>
      )}
      {result && result.total === 0 && (
        <Card>
          <p>
            No services match.{" "}
            <Link className="text-primary underline underline-offset-2" href="/catalog">
              Clear the filters
            </Link>
            {actor.teams.length > 0 && (
              <>
                {" "}
                or{" "}
                <Link className="text-primary underline underline-offset-2" href="/catalog/new">
                  register a service
                </Link>
              </>
            )}
            .
          </p>
        </Card>
      )}
      {result && result.total > 0 && (
        <>
          <p className="text-sm text-muted-foreground" aria-live="polite">
            {result.total} service{result.total === 1 ? "" : "s"} · page {result.page} of {pages}
          </p>
          <ScrollCard label="Services">
            <DataTable caption="Services" columns={["Service", "Team", "Tier", "Lifecycle", "Language", "Changed"]}>
              {result.services.map((service) => (
                <Row key={service.id}>
                  <Cell>
                    <Link href={`/catalog/${service.slug}`} className="font-medium text-primary underline underline-offset-2">
                      {service.displayName}
                    </Link>
                    {service.retiredAt && (
                      <Badge variant="warning" className="ml-2">
                        Retired
                      </Badge>
                    )}
                    <span className="block text-xs text-muted-foreground">{service.slug}</span>
                    {service.description && <span className="line-clamp-1 max-w-md text-xs text-muted-foreground">{service.description}</span>}
                  </Cell>
                  <Cell>{service.ownerTeam.name}</Cell>
                  <Cell>
                    <TierBadge tier={service.tier} />
                  </Cell>
                  <Cell>
                    <LifecycleBadge lifecycle={service.lifecycle} />
                  </Cell>
                  <Cell>{service.language ?? "—"}</Cell>
                  <Cell className="whitespace-nowrap">
                    <RelativeTime iso={service.updatedAt} />
                  </Cell>
                </Row>
              ))}
            </DataTable>
          </ScrollCard>
          <nav aria-label="Pages" className="flex items-center gap-3">
            {result.page > 1 && (
              <Link className="font-medium text-primary underline underline-offset-2" href={href(query, { page: String(result.page - 1) })}>
                Previous page
              </Link>
            )}
            {result.page < pages && (
              <Link className="font-medium text-primary underline underline-offset-2" href={href(query, { page: String(result.page + 1) })}>
                Next page
              </Link>
            )}
          </nav>
        </>
      )}
    </div>
  );
}

import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { LifecycleBadge, TierBadge } from "@/components/catalog/service-badges";
import { RetireServiceButton } from "@/components/catalog/retire-button";
import { requirePermission } from "@/lib/auth/current-actor";
import { getService, serviceHistory } from "@/lib/catalog/get-service";
import { isAppError } from "@/lib/errors";
import { ServiceEnvironments } from "@/components/health/service-environments";
import { getServiceHealth } from "@/lib/health/get-service-health";
import { getHealthThresholds } from "@/lib/health/get-health-thresholds";
import { can } from "@/lib/auth/permissions";
import { getServiceMap } from "@/lib/appmap/get-service-map";
import { ServiceNeighbours } from "@/components/appmap/service-neighbours";
import { declareDependencyAction, retireServiceAction } from "../actions";
import { DeclareDependencyButton } from "@/components/catalog/declare-dependency-button";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return { title: (await params).slug };
}

const savedText: Record<string, string> = {
  created: "Service registered.",
  updated: "Changes saved.",
  retired: "Service retired. Its history and slug are kept.",
  declared: "Dependency added to the catalog.",
};

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[7rem_minmax(0,1fr)] gap-2 py-1 sm:grid-cols-[10rem_minmax(0,1fr)]">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="break-words [&_code]:break-all">{children}</dd>
    </div>
  );
}

export default async function ServicePage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ saved?: string }> }) {
  const { slug } = await params;
  const { saved } = await searchParams;
  const actor = await requirePermission("service:read");
  const detail = await getService({ actor, slug }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const { service } = detail;
  const [history, environments, thresholds, hop] = await Promise.all([
    serviceHistory({ actor, slug }),
    can(actor, "health:read") ? getServiceHealth({ actor, slug }) : [],
    can(actor, "health:read") ? getHealthThresholds({ actor }) : [],
    can(actor, "health:read") ? getServiceMap({ actor, slug }) : null,
  ]);
  const tierThresholds = thresholds.find((candidate) => candidate.tier === service.tier) ?? thresholds[1];
  const externals = service.dependencies.flatMap((d) => (d.kind === "service" ? [] : [d]));
  return (
    <div className="space-y-6">
      {saved && savedText[saved] && (
        <p role="status" className="rounded-md border border-success bg-success-muted p-3 font-medium text-success-muted-foreground">
          {savedText[saved]}
        </p>
      )}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold">{service.displayName}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-muted-foreground">
            <code>{service.slug}</code> · owned by{" "}
            <Link href={`/teams/${service.ownerTeam.slug}`} className="text-primary underline underline-offset-2">
              {service.ownerTeam.name}
            </Link>
            <TierBadge tier={service.tier} />
            <LifecycleBadge lifecycle={service.lifecycle} />
            {service.retiredAt && <Badge variant="warning">Retired</Badge>}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button asChild variant="outline">
            <a href={`/api/v1/services/${service.slug}/catalog-info.yaml`} download>
              Export catalog-info.yaml
            </a>
          </Button>
          {service.deploySpec && !service.retiredAt && (
            <Button asChild variant="outline">
              <Link href={`/deployments?service=${service.slug}`}>Deployments</Link>
            </Button>
          )}
          {detail.canEdit && (
            <>
              {service.deploySpec && !service.retiredAt && (
                <Button asChild>
                  <Link href={`/catalog/${service.slug}/deploy`}>Deploy</Link>
                </Button>
              )}
              <Button asChild variant={service.deploySpec && !service.retiredAt ? "outline" : "default"}>
                <Link href={`/catalog/${service.slug}/edit`}>Edit</Link>
              </Button>
              <RetireServiceButton action={retireServiceAction} slug={service.slug} name={service.displayName} />
            </>
          )}
        </div>
      </div>
      {tierThresholds && !service.retiredAt && (
        <ServiceEnvironments
          environments={environments}
          thresholds={tierThresholds}
          roleName={service.appInsightsRoleName ?? null}
          canDeploy={detail.canEdit && Boolean(service.deploySpec)}
          slug={service.slug}
        />
      )}
      {hop && (
        <ServiceNeighbours
          hop={hop}
          slug={service.slug}
          name={service.displayName}
          addAction={
            detail.canEdit
              ? (neighbour) =>
                  neighbour.node.serviceSlug && (
                    <DeclareDependencyButton action={declareDependencyAction} slug={service.slug} dependsOn={neighbour.node.serviceSlug} returnTo="service" />
                  )
              : undefined
          }
        />
      )}
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Overview</CardTitle>
          </CardHeader>
          <CardContent>
            {service.description && <p className="mb-3">{service.description}</p>}
            <dl className="text-sm">
              <Row label="Language">{service.language ?? "—"}</Row>
              <Row label="Repository">
                {service.repositoryUrl ? (
                  <a href={service.repositoryUrl} className="text-primary underline underline-offset-2">
                    {service.repositoryUrl}
                  </a>
                ) : (
                  "—"
                )}
              </Row>
              <Row label="App Insights role">{service.appInsightsRoleName}</Row>
              <Row label="Tags">
                {service.tags.length
                  ? service.tags.map((tag) => (
                      <Badge key={tag} variant="secondary" className="mr-1">
                        {tag}
                      </Badge>
                    ))
                  : "—"}
              </Row>
              {(["runbook", "dashboard", "docs"] as const).map((kind) => (
                <Row key={kind} label={kind[0]!.toUpperCase() + kind.slice(1)}>
                  {service.links[kind] ? (
                    <a href={service.links[kind]!} className="text-primary underline underline-offset-2">
                      {service.links[kind]}
                    </a>
                  ) : (
                    "—"
                  )}
                </Row>
              ))}
              <Row label="Last changed">
                <RelativeTime iso={service.updatedAt} />
              </Row>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Owners</CardTitle>
            <CardDescription>Members of {service.ownerTeam.name} as seen at their last sign-in.</CardDescription>
          </CardHeader>
          <CardContent>
            {detail.owners.length === 0 ? (
              <p className="text-sm">Nobody from {service.ownerTeam.name} has signed in to Wharf yet.</p>
            ) : (
              <ul className="text-sm">
                {detail.owners.map((owner) => (
                  <li key={owner.email}>
                    {owner.name} <span className="text-muted-foreground">{owner.email}</span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Uses</CardTitle>
          </CardHeader>
          <CardContent>
            {detail.uses.length === 0 && externals.length === 0 ? (
              <p className="text-sm">No declared dependencies.</p>
            ) : (
              <ul className="space-y-1 text-sm" aria-label="Dependencies">
                {detail.uses.map((used) => (
                  <li key={used.slug}>
                    <Badge variant="secondary">service</Badge>{" "}
                    {used.displayName ? (
                      <Link href={`/catalog/${used.slug}`} className="text-primary underline underline-offset-2">
                        {used.displayName}
                      </Link>
                    ) : (
                      <span>
                        {used.slug} <span className="text-muted-foreground">(not in the catalog)</span>
                      </span>
                    )}
                    {used.retired && <Badge variant="warning"> retired</Badge>}
                  </li>
                ))}
                {externals.map((external) => (
                  <li key={`${external.kind}:${external.target}`}>
                    <Badge variant="info">{external.kind}</Badge> {external.target}
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Used by</CardTitle>
          </CardHeader>
          <CardContent>
            {detail.usedBy.length === 0 ? (
              <p className="text-sm">No service in the catalog declares a dependency on this one.</p>
            ) : (
              <ul className="space-y-1 text-sm" aria-label="Dependents">
                {detail.usedBy.map((dependent) => (
                  <li key={dependent.slug}>
                    <Link href={`/catalog/${dependent.slug}`} className="text-primary underline underline-offset-2">
                      {dependent.displayName}
                    </Link>{" "}
                    <span className="text-muted-foreground">({dependent.ownerTeam})</span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Deploy spec</CardTitle>
          </CardHeader>
          <CardContent>
            {service.deploySpec ? (
              <dl className="text-sm">
                <Row label="Image">
                  <code>{service.deploySpec.imageRepository}</code>
                </Row>
                <Row label="Port">{service.deploySpec.port}</Row>
                <Row label="Replicas">{service.deploySpec.replicas}</Row>
                <Row label="CPU">
                  {service.deploySpec.cpuRequest} requested, {service.deploySpec.cpuLimit} limit
                </Row>
                <Row label="Memory">
                  {service.deploySpec.memoryRequest} requested, {service.deploySpec.memoryLimit} limit
                </Row>
                <Row label="Probes">
                  readiness <code>{service.deploySpec.readinessPath}</code>, liveness <code>{service.deploySpec.livenessPath}</code>
                </Row>
              </dl>
            ) : (
              <p className="text-sm">No deploy spec: Wharf does not deploy this service.{detail.canEdit ? " Add one under Edit." : ""}</p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>History</CardTitle>
          </CardHeader>
          <CardContent>
            <ol className="space-y-1 text-sm">
              {history.map((event) => (
                <li key={event.id}>
                  <RelativeTime iso={event.at} /> · {event.actorName} · <code>{event.action}</code>
                </li>
              ))}
            </ol>
          </CardContent>
        </Card>
      </div>
    </div>
  );
}

import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { DeployForm } from "@/components/deployments/deploy-form";
import { requirePermission } from "@/lib/auth/current-actor";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { refusedAddress } from "@/lib/net/request-outcome";
import { getService } from "@/lib/catalog/get-service";
import { listNamespaces } from "@/lib/namespaces/list-namespaces";
import { getPromotionSource, type PromotionSource } from "@/lib/deployments/promotion";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return { title: `Deploy ${(await params).slug}` };
}

/** `?from=<namespace id>`: promote what runs there. A refusal is shown on the page, above the ordinary form. */
async function promotionFrom(actor: Awaited<ReturnType<typeof requirePermission>>, slug: string, from: string | undefined) {
  if (!from) return { source: null, problem: null };
  try {
    return { source: await getPromotionSource({ actor, slug, namespaceId: from }), problem: null };
  } catch (error) {
    if (isAppError(error) && error.status < 500) return { source: null, problem: refusedAddress(error) };
    if (isAppError(error) && error.code === "dependency_unavailable") return { source: null, problem: error.message };
    throw error;
  }
}

function nearestFirst<T extends { environment: string }>(namespaces: T[], source: PromotionSource): T[] {
  const rank = (namespace: T) => source.laterEnvironments.indexOf(namespace.environment);
  return namespaces.filter((namespace) => rank(namespace) >= 0).sort((a, b) => rank(a) - rank(b));
}

export default async function DeployPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ from?: string }> }) {
  const { slug } = await params;
  const { from } = await searchParams;
  const actor = await requirePermission("service:read");
  const { service } = await getService({ actor, slug }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const team = service.ownerTeam;
  const title = (
    <div>
      <h1 className="text-3xl font-bold">Deploy {service.displayName}</h1>
      <p className="text-muted-foreground">
        Owned by {team.name}.{" "}
        <Link className="underline" href={`/deployments?service=${service.slug}`}>
          Its deployments
        </Link>
      </p>
    </div>
  );
  const blocker = service.retiredAt
    ? `${service.displayName} is retired; restore it in the catalog before deploying it.`
    : !service.deploySpec
      ? `${service.displayName} has no deploy spec yet; add the image repository, port, resources and probe paths on its edit page.`
      : !can(actor, "deployment:create", { teamId: team.id })
        ? `Only members of ${team.name} (and platform admins) can deploy ${service.displayName}. ` +
          `Ask a member of ${team.name} (its page lists them), or ask to join it.`
        : null;
  const ready = blocker ? [] : (await listNamespaces({ actor, teamId: team.id })).filter((namespace) => namespace.status === "ready");
  const promotion = blocker ? { source: null, problem: null } : await promotionFrom(actor, service.slug, typeof from === "string" ? from : undefined);
  const source = promotion.source;
  const namespaces = source ? nearestFirst(ready, source) : ready;
  return (
    <div className="space-y-6">
      {title}
      {promotion.problem && (
        <Card role="alert" className="border-destructive">
          <p className="font-medium">Cannot promote from there.</p>
          <p className="text-sm">{promotion.problem}</p>
        </Card>
      )}
      {source && (
        <Card role="status" aria-label="Promotion">
          <p>
            Promoting what runs in <span className="font-mono">{source.namespace.name}</span> ({source.namespace.environment}, on {source.namespace.cluster}
            {source.revision !== null ? `, revision ${source.revision}` : ""}): <span className="font-mono">{source.tag ?? source.image}</span>, pinned to its
            digest <code className="break-all text-xs">{source.digest}</code>.
          </p>
          <p className="mt-1 text-sm text-muted-foreground">
            The exact image that runs there is deployed, whatever the tag points to now. The preview compares the configuration with {source.namespace.name}
            &apos;s.
          </p>
        </Card>
      )}
      {blocker ? (
        <Card role="alert">{blocker}</Card>
      ) : source && namespaces.length === 0 ? (
        <Card>
          <p>
            {team.name} has no ready namespace in {source.laterEnvironments.join(" or ")} to promote to.
          </p>
          <Link className="mt-2 inline-block underline" href="/namespaces/new">
            Request a namespace
          </Link>
        </Card>
      ) : namespaces.length === 0 ? (
        <Card>
          <p>{team.name} has no ready namespace to deploy to yet.</p>
          <Link className="mt-2 inline-block underline" href="/namespaces/new">
            Request a namespace
          </Link>
        </Card>
      ) : (
        <DeployForm
          service={service.slug}
          defaultReplicas={service.deploySpec!.replicas}
          initial={
            source ? { namespaceId: namespaces[0]!.id, version: source.digest, replicas: source.replicas !== null ? String(source.replicas) : "" } : undefined
          }
          initialTag={source?.tag ? { name: source.tag, digest: source.digest } : undefined}
          compareWith={source?.namespace.id}
          namespaces={namespaces.map((namespace) => ({
            id: namespace.id,
            name: namespace.name,
            cluster: namespace.cluster.name,
            environment: namespace.environment,
          }))}
        />
      )}
    </div>
  );
}

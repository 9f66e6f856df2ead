import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { DeployForm } from "@/components/deployments/deploy-form";
import { requirePermission } from "@/lib/auth/current-actor";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getService } from "@/lib/catalog/get-service";
import { listNamespaces } from "@/lib/namespaces/list-namespaces";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return { title: `Deploy ${(await params).slug}` };
}

export default async function DeployPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
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
        ? `Only members of ${team.name} (and platform admins) can deploy ${service.displayName}.`
        : null;
  const namespaces = blocker ? [] : (await listNamespaces({ actor, teamId: team.id })).filter((namespace) => namespace.status === "ready");
  return (
    <div className="space-y-6">
      {title}
      {blocker ? (
        <Card role="alert">{blocker}</Card>
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

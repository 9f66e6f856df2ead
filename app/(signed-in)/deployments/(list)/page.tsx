import Link from "next/link";
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { DeploymentHistory } from "@/components/deployments/history-table";
import { requirePermission } from "@/lib/auth/current-actor";
import { teamsActorActsFor } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { listDeployments } from "@/lib/deployments/list-deployments";
import type { DeploymentView } from "@/lib/deployments/deployment-view";

export const metadata: Metadata = { title: "Deployments" };

const pageSize = 50;

export default async function DeploymentsPage({ searchParams }: { searchParams: Promise<{ service?: string; namespace?: string; before?: string }> }) {
  const actor = await requirePermission("deployment:read");
  const { service, namespace, before } = await searchParams;
  let deployments: DeploymentView[] = [];
  let older: string | null = null;
  let problem: string | null = null;
  const link = (extra: Record<string, string>) =>
    `/deployments?${new URLSearchParams({ ...(service && { service }), ...(namespace && { namespace }), ...extra })}`;
  try {
    ({ deployments, older } = await listDeployments({ actor, filter: { service, namespace, before, limit: pageSize } }));
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  const scope = deployments[0] && service && namespace ? `${deployments[0].service.displayName} in ${deployments[0].namespace.name}` : service ? service : null;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Deployments{scope ? `: ${scope}` : ""}</h1>
        <p className="text-muted-foreground">
          Who deployed what, when, how long it took and how it ended; roll back to any revision that succeeded.{" "}
          {(service || namespace) && (
            <Link className="underline" href="/deployments">
              Show all
            </Link>
          )}
        </p>
      </div>
      {problem ? (
        <p role="alert" className="text-destructive">
          {problem}
        </p>
      ) : deployments.length === 0 ? (
        <Card>
          <p>
            No deployments {scope ? "here " : ""}yet. Deploy a service from its page in the catalog: open the service, then Deploy (or go to
            /catalog/&lt;service&gt;/deploy).
          </p>
          <Link className="mt-2 inline-block underline" href="/catalog">
            Open the catalog
          </Link>
        </Card>
      ) : (
        <>
          <Card className="relative overflow-x-auto p-0">
            <DeploymentHistory deployments={deployments} rollbackTeams={teamsActorActsFor(actor)} />
          </Card>
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

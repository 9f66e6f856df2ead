import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { NamespaceRequestForm } from "@/components/namespaces/request-form";
import { requirePermission } from "@/lib/auth/current-actor";
import { can } from "@/lib/auth/permissions";
import { loadRequestFormContext } from "@/lib/namespaces/request-form-context";
import { suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";

export const metadata: Metadata = { title: "Request a namespace" };

export default async function NewNamespaceRequestPage() {
  const actor = await requirePermission("namespace:read");
  const context = await loadRequestFormContext({ actor });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Request a namespace</h1>
        <p className="text-muted-foreground">
          A platform admin approves it; then Wharf creates the namespace with its quota, default container limits, your team&apos;s access (edit) and network
          policy that admits only your namespace and the ingress controller.
        </p>
      </div>
      {context.teams.length === 0 ? (
        <Card>You are not a member of any team yet, so you cannot request a namespace. Ask a platform admin to add your Entra group to a team.</Card>
      ) : context.clusters.length === 0 ? (
        <Card>
          Wharf does not know any cluster yet.{" "}
          {can(actor, "cluster:manage") ? (
            <Link className="underline" href="/admin/clusters">
              Discover clusters
            </Link>
          ) : (
            "A platform admin discovers clusters under Admin → Clusters."
          )}
        </Card>
      ) : (
        <NamespaceRequestForm
          context={context}
          initial={{
            teamId: context.teams.length === 1 ? context.teams[0]!.id : "",
            clusterId: "",
            name: "",
            quota: suggestedQuota,
            containerDefaults: suggestedDefaults,
            costCenter: "",
            justification: "",
          }}
        />
      )}
    </div>
  );
}

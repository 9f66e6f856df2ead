import Link from "next/link";
import type { Metadata } from "next";
import { Card, CardTitle } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-actor";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requirePermission("audit:read");
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Admin</h1>
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardTitle>
            <Link href="/admin/namespace-requests" className="text-primary underline underline-offset-2">
              Namespace requests
            </Link>
          </CardTitle>
          <p className="text-sm text-muted-foreground">
            Approve or reject teams&apos; namespace requests, quota changes and decommissions, with the policy check for each.
          </p>
        </Card>
        <Card>
          <CardTitle>
            <Link href="/admin/namespace-policy" className="text-primary underline underline-offset-2">
              Namespace policy
            </Link>
          </CardTitle>
          <p className="text-sm text-muted-foreground">Quota ceilings per environment, namespaces per team, self-approval.</p>
        </Card>
        <Card>
          <CardTitle>
            <Link href="/admin/health-thresholds" className="text-primary underline underline-offset-2">
              Health thresholds
            </Link>
          </CardTitle>
          <p className="text-sm text-muted-foreground">
            Per service tier: failure rate, p95 duration, availability and restarts at which a service is degraded or unhealthy.
          </p>
        </Card>
        <Card>
          <CardTitle>
            <Link href="/admin/teams" className="text-primary underline underline-offset-2">
              Teams
            </Link>
          </CardTitle>
          <p className="text-sm text-muted-foreground">Create, rename and archive teams; map them to Entra groups.</p>
        </Card>
        <Card>
          <CardTitle>
            <Link href="/admin/clusters" className="text-primary underline underline-offset-2">
              Clusters
            </Link>
          </CardTitle>
          <p className="text-sm text-muted-foreground">AKS clusters found through Azure Resource Manager: version, region, reachability, environment.</p>
        </Card>
        <Card>
          <CardTitle>
            <Link href="/admin/jobs" className="text-primary underline underline-offset-2">
              Jobs
            </Link>
          </CardTitle>
          <p className="text-sm text-muted-foreground">Background work running, waiting to retry or failed, with its last error; retry a failed job.</p>
        </Card>
        <Card>
          <CardTitle>
            <Link href="/admin/pipelines" className="text-primary underline underline-offset-2">
              Pipelines
            </Link>
          </CardTitle>
          <p className="text-sm text-muted-foreground">
            Entra app identities of CI/CD pipelines and the teams each may deploy for with a bearer token; revoke one at once.
          </p>
        </Card>
        <Card>
          <CardTitle>
            <Link href="/admin/audit" className="text-primary underline underline-offset-2">
              Audit log
            </Link>
          </CardTitle>
          <p className="text-sm text-muted-foreground">Every sign-in, change and refused action: who, what, when, before and after.</p>
        </Card>
      </div>
    </div>
  );
}

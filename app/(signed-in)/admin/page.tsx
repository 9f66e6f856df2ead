import Link from "next/link";
import type { Metadata } from "next";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-actor";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requirePermission("audit:read");
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Admin</h1>
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>
              <Link href="/admin/namespace-requests" className="text-primary underline underline-offset-2">
                Namespace requests
              </Link>
            </CardTitle>
            <CardDescription>
              Approve or reject teams&apos; namespace requests, quota changes and decommissions, with the policy check for each.
            </CardDescription>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <Link href="/admin/namespace-policy" className="text-primary underline underline-offset-2">
                Namespace policy
              </Link>
            </CardTitle>
            <CardDescription>Quota ceilings per environment, namespaces per team, self-approval.</CardDescription>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <Link href="/admin/health-thresholds" className="text-primary underline underline-offset-2">
                Health thresholds
              </Link>
            </CardTitle>
            <CardDescription>
              Per service tier: failure rate, p95 duration, availability and restarts at which a service is degraded or unhealthy.
            </CardDescription>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <Link href="/admin/teams" className="text-primary underline underline-offset-2">
                Teams
              </Link>
            </CardTitle>
            <CardDescription>Create, rename and archive teams; map them to Entra groups.</CardDescription>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <Link href="/admin/clusters" className="text-primary underline underline-offset-2">
                Clusters
              </Link>
            </CardTitle>
            <CardDescription>AKS clusters found through Azure Resource Manager: version, region, reachability, environment.</CardDescription>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <Link href="/admin/jobs" className="text-primary underline underline-offset-2">
                Jobs
              </Link>
            </CardTitle>
            <CardDescription>Background work running, waiting to retry or failed, with its last error; retry a failed job.</CardDescription>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <Link href="/admin/pipelines" className="text-primary underline underline-offset-2">
                Pipelines
              </Link>
            </CardTitle>
            <CardDescription>
              Entra app identities of CI/CD pipelines and the teams each may deploy for with a bearer token; revoke one at once.
            </CardDescription>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <Link href="/admin/audit" className="text-primary underline underline-offset-2">
                Audit log
              </Link>
            </CardTitle>
            <CardDescription>Every sign-in, change and refused action: who, what, when, before and after.</CardDescription>
          </CardHeader>
        </Card>
      </div>
    </div>
  );
}

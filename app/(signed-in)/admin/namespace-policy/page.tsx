import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { NamespacePolicyForm } from "@/components/namespaces/policy-form";
import { requirePermission } from "@/lib/auth/current-actor";
import { listNamespacePolicies } from "@/lib/namespaces/set-namespace-policy";

export const metadata: Metadata = { title: "Namespace policy" };

export default async function NamespacePolicyPage() {
  const actor = await requirePermission("namespace:manage");
  const policies = await listNamespacePolicies({ actor });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Namespace policy</h1>
        <p className="text-muted-foreground">
          Per environment: the most a namespace may ask for, how many namespaces a team may have, whether an admin may approve their own request, and whether
          deployments wait for a second person&apos;s approval. The request form shows these while people type; approvals check them again.
        </p>
      </div>
      {policies.map((policy) => (
        <Card key={policy.environment} className="space-y-3">
          <h2 className="text-xl font-semibold">{policy.environment}</h2>
          <NamespacePolicyForm policy={policy} />
        </Card>
      ))}
    </div>
  );
}

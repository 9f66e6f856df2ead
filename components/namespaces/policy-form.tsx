"use client";
import { useState } from "react";
import { HydratedFieldset } from "@/components/ui/hydrated-fieldset";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { callApi } from "@/lib/api/client-fetch";
import { quotaFields, quotaLabels } from "@/lib/namespaces/namespace-input";
import type { EnvironmentPolicy } from "@/lib/namespaces/namespace-policy";

export function NamespacePolicyForm({ policy }: { policy: EnvironmentPolicy }) {
  const router = useRouter();
  const [values, setValues] = useState(policy);
  const [state, setState] = useState<{ pending?: boolean; error?: string; done?: boolean }>({});
  const id = (field: string) => `${policy.environment}-${field}`;
  return (
    <form
      aria-label={`Namespace policy for ${policy.environment}`}
      onSubmit={async (event) => {
        event.preventDefault();
        setState({ pending: true });
        try {
          await callApi("/api/v1/namespace-policies", { method: "PUT", body: values });
          setState({ done: true });
          router.refresh();
        } catch (error) {
          setState({ error: (error as Error).message });
        }
      }}
    >
      <HydratedFieldset className="space-y-4">
        <div className="grid gap-3 md:grid-cols-4">
          {quotaFields.map((field) => (
            <div key={field} className="space-y-1">
              <Label htmlFor={id(field)}>{quotaLabels[field]} ceiling</Label>
              <Input
                id={id(field)}
                className="font-mono"
                value={values.ceilings[field]}
                onChange={(e) => setValues({ ...values, ceilings: { ...values.ceilings, [field]: e.target.value } })}
              />
            </div>
          ))}
          <div className="space-y-1">
            <Label htmlFor={id("max")}>Most namespaces per team</Label>
            <Input
              id={id("max")}
              type="number"
              min={0}
              value={values.maxNamespacesPerTeam}
              onChange={(e) => setValues({ ...values, maxNamespacesPerTeam: Number(e.target.value) })}
            />
          </div>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={values.allowSelfApproval} onChange={(e) => setValues({ ...values, allowSelfApproval: e.target.checked })} />
          An admin may approve a namespace request they made themselves
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={values.requireDeploymentApproval}
            onChange={(e) => setValues({ ...values, requireDeploymentApproval: e.target.checked })}
          />
          Deployments to {policy.environment} namespaces wait for a second person&apos;s approval (another team member or an admin, never the requester)
        </label>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={state.pending}>
            Save {policy.environment}
          </Button>
          {state.error && (
            <p role="alert" className="text-sm font-medium text-destructive">
              {state.error}
            </p>
          )}
          {state.done && (
            <p role="status" className="text-sm">
              Saved. New requests, approvals and deployments use it now; deployments already waiting for approval keep waiting.
            </p>
          )}
        </div>
      </HydratedFieldset>
    </form>
  );
}

"use client";
import { useActionState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ServiceFormState } from "@/lib/actions/action-state";
import type { ServiceFormValues } from "@/lib/catalog/service-form";
import { externalKinds, lifecycles, tiers } from "@/lib/catalog/service-input";

type Action = (state: ServiceFormState, form: FormData) => Promise<ServiceFormState>;

const selectClass =
  "h-10 w-full rounded-md border border-border bg-background px-2 text-sm focus-visible:outline-none " +
  "focus-visible:ring-2 focus-visible:ring-ring aria-[invalid=true]:border-destructive";

interface ServiceFormProps {
  action: Action;
  mode: "create" | "edit";
  initial: ServiceFormValues;
  teams: { slug: string; name: string }[];
}

function Field({
  name,
  label,
  hint,
  children,
  values,
  errorFor,
}: {
  name: string;
  label: string;
  hint?: string;
  values: ServiceFormValues;
  errorFor: (name: string) => string | undefined;
  children: (props: { id: string; name: string; defaultValue: string; "aria-invalid"?: boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const error = errorFor(name);
  const id = `field-${name.replace(/\./g, "-")}`;
  return (
    <div className="space-y-1">
      <Label htmlFor={id}>{label}</Label>
      {children({
        id,
        name,
        defaultValue: values[name] ?? "",
        "aria-invalid": error ? true : undefined,
        "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
      })}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="text-sm font-medium text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}

export function ServiceForm({ action, mode, initial, teams }: ServiceFormProps) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const values = state.values ?? initial;
  const errorFor = (name: string) => (state.status === "error" && (state.field === name || state.field?.startsWith(`${name}.`)) ? state.message : undefined);
  const fieldIsKnown = state.field !== undefined && fieldNames.some((name) => state.field === name || state.field!.startsWith(`${name}.`));

  return (
    <form action={formAction} className="space-y-8" aria-label={mode === "create" ? "Register a service" : "Edit service"}>
      {state.status === "error" && !fieldIsKnown && (
        <p role="alert" className="rounded-md border border-destructive p-3 font-medium text-destructive">
          {state.message}
        </p>
      )}
      <fieldset className="grid gap-4 md:grid-cols-2">
        <legend className="mb-2 text-lg font-semibold">About</legend>
        {mode === "create" ? (
          <Field
            values={values}
            errorFor={errorFor}
            name="slug"
            label="Slug"
            hint="Lowercase letters, digits and hyphens, at most 63. It names the Kubernetes objects and never changes."
          >
            {(props) => <Input {...props} required placeholder="e.g. payment-gateway" />}
          </Field>
        ) : (
          <input type="hidden" name="slug" value={values.slug} />
        )}
        <Field values={values} errorFor={errorFor} name="displayName" label="Display name">
          {(props) => <Input {...props} required placeholder="e.g. Payment Gateway" />}
        </Field>
        <Field values={values} errorFor={errorFor} name="ownerTeam" label="Owner team">
          {(props) => (
            <select {...props} className={selectClass} required>
              <option value="">Choose a team</option>
              {teams.map((team) => (
                <option key={team.slug} value={team.slug}>
                  {team.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field values={values} errorFor={errorFor} name="tier" label="Tier">
          {(props) => (
            <select {...props} className={selectClass} required>
              <option value="">Choose a tier</option>
              {tiers.map((tier) => (
                <option key={tier}>{tier}</option>
              ))}
            </select>
          )}
        </Field>
        <Field values={values} errorFor={errorFor} name="lifecycle" label="Lifecycle">
          {(props) => (
            <select {...props} className={selectClass} required>
              <option value="">Choose a lifecycle</option>
              {lifecycles.map((lifecycle) => (
                <option key={lifecycle}>{lifecycle}</option>
              ))}
            </select>
          )}
        </Field>
        <Field values={values} errorFor={errorFor} name="language" label="Language">
          {(props) => <Input {...props} placeholder="e.g. Go" />}
        </Field>
        <div className="md:col-span-2">
          <Field values={values} errorFor={errorFor} name="description" label="Description">
            {(props) => <Textarea {...props} rows={3} className="font-sans" placeholder="What it does, in a sentence or two." />}
          </Field>
        </div>
        <Field values={values} errorFor={errorFor} name="repositoryUrl" label="Repository URL">
          {(props) => <Input {...props} type="url" placeholder="https://github.com/contoso/payment-gateway" />}
        </Field>
        <Field values={values} errorFor={errorFor} name="tags" label="Tags" hint="Comma-separated, lowercase.">
          {(props) => <Input {...props} placeholder="e.g. payments, go" />}
        </Field>
        <Field values={values} errorFor={errorFor} name="links.runbook" label="Runbook">
          {(props) => <Input {...props} type="url" />}
        </Field>
        <Field values={values} errorFor={errorFor} name="links.dashboard" label="Dashboard">
          {(props) => <Input {...props} type="url" />}
        </Field>
        <Field values={values} errorFor={errorFor} name="links.docs" label="Docs">
          {(props) => <Input {...props} type="url" />}
        </Field>
        <Field values={values} errorFor={errorFor} name="appInsightsRoleName" label="App Insights role name" hint="Leave empty to use the slug.">
          {(props) => <Input {...props} />}
        </Field>
      </fieldset>
      <fieldset>
        <legend className="mb-2 text-lg font-semibold">Dependencies</legend>
        <Field
          values={values}
          errorFor={errorFor}
          name="dependencies"
          label="One per line, kind:target"
          hint={`Kinds: service, ${externalKinds.join(", ")}. For example service:ledger or redis:payments-cache.`}
        >
          {(props) => <Textarea {...props} rows={4} />}
        </Field>
      </fieldset>
      <fieldset className="grid gap-4 md:grid-cols-3">
        <legend className="mb-2 text-lg font-semibold">Deploy spec</legend>
        <p className="text-sm text-muted-foreground md:col-span-3">Leave every field empty if Wharf does not deploy this service.</p>
        <div className="md:col-span-3">
          <Field
            values={values}
            errorFor={errorFor}
            name="deploySpec.imageRepository"
            label="Image repository"
            hint="Registry and path, without a tag; the registry must be one the platform allows."
          >
            {(props) => <Input {...props} placeholder="contoso.azurecr.io/payments/gateway" />}
          </Field>
        </div>
        <Field values={values} errorFor={errorFor} name="deploySpec.port" label="Container port">
          {(props) => <Input {...props} inputMode="numeric" placeholder="8080" />}
        </Field>
        <Field values={values} errorFor={errorFor} name="deploySpec.replicas" label="Replicas">
          {(props) => <Input {...props} inputMode="numeric" placeholder="2" />}
        </Field>
        <div />
        <Field values={values} errorFor={errorFor} name="deploySpec.cpuRequest" label="CPU request">
          {(props) => <Input {...props} placeholder="250m" />}
        </Field>
        <Field values={values} errorFor={errorFor} name="deploySpec.cpuLimit" label="CPU limit">
          {(props) => <Input {...props} placeholder="1" />}
        </Field>
        <div />
        <Field values={values} errorFor={errorFor} name="deploySpec.memoryRequest" label="Memory request">
          {(props) => <Input {...props} placeholder="256Mi" />}
        </Field>
        <Field values={values} errorFor={errorFor} name="deploySpec.memoryLimit" label="Memory limit">
          {(props) => <Input {...props} placeholder="512Mi" />}
        </Field>
        <div />
        <Field values={values} errorFor={errorFor} name="deploySpec.readinessPath" label="Readiness probe path">
          {(props) => <Input {...props} placeholder="/healthz/ready" />}
        </Field>
        <Field values={values} errorFor={errorFor} name="deploySpec.livenessPath" label="Liveness probe path">
          {(props) => <Input {...props} placeholder="/healthz/live" />}
        </Field>
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : mode === "create" ? "Register service" : "Save changes"}
      </Button>
    </form>
  );
}

const fieldNames = [
  "slug",
  "displayName",
  "ownerTeam",
  "tier",
  "lifecycle",
  "language",
  "description",
  "repositoryUrl",
  "tags",
  "links.runbook",
  "links.dashboard",
  "links.docs",
  "appInsightsRoleName",
  "dependencies",
  "deploySpec.imageRepository",
  "deploySpec.port",
  "deploySpec.replicas",
  "deploySpec.cpuRequest",
  "deploySpec.cpuLimit",
  "deploySpec.memoryRequest",
  "deploySpec.memoryLimit",
  "deploySpec.readinessPath",
  "deploySpec.livenessPath",
];

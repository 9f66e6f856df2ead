"use client";
// The namespace request form. The policy runs here as the user types (the
// same pure function the server runs on submit), so problems show before
// anyone presses the button; the server's answer still decides.
import { useMemo, useState } from "react";
import { HydratedFieldset } from "@/components/ui/hydrated-fieldset";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { callApi, ApiError } from "@/lib/api/client-fetch";
import {
  defaultFields,
  defaultLabels,
  namespaceRequestInput,
  quotaFields,
  quotaLabels,
  type ContainerDefaults,
  type Quota,
} from "@/lib/namespaces/namespace-input";
import { checkNamespacePolicy, namespacePrefix, type PolicyViolation } from "@/lib/namespaces/namespace-policy";
import type { RequestFormContext } from "@/lib/namespaces/request-form-context";

const selectClass =
  "h-10 w-full rounded-md border border-border bg-background px-2 text-sm focus-visible:outline-none " +
  "focus-visible:ring-2 focus-visible:ring-ring aria-[invalid=true]:border-destructive";

const formFields = new Set([
  "teamId",
  "clusterId",
  "name",
  "costCenter",
  "justification",
  ...quotaFields.map((f) => `quota.${f}`),
  ...defaultFields.map((f) => `containerDefaults.${f}`),
]);

interface Values {
  teamId: string;
  clusterId: string;
  name: string;
  quota: Quota;
  containerDefaults: ContainerDefaults;
  costCenter: string;
  justification: string;
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="text-sm font-medium text-destructive">
      {message}
    </p>
  );
}

export function NamespaceRequestForm({ context, initial }: { context: RequestFormContext; initial: Values }) {
  const router = useRouter();
  const [values, setValues] = useState<Values>(initial);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; field?: string } | null>(null);
  const [pending, setPending] = useState(false);

  const team = context.teams.find((t) => t.id === values.teamId);
  const cluster = context.clusters.find((c) => c.id === values.clusterId);

  const problems = useMemo(() => {
    const found: PolicyViolation[] = [];
    const parsed = namespaceRequestInput.safeParse({ ...values, costCenter: values.costCenter || undefined });
    if (!parsed.success) for (const issue of parsed.error.issues) found.push({ field: issue.path.join("."), message: issue.message });
    if (team && cluster) {
      const environment = cluster.environment;
      found.push(
        ...checkNamespacePolicy(
          { name: values.name.trim(), quota: values.quota, containerDefaults: values.containerDefaults },
          {
            kind: "create",
            team,
            otherTeams: context.allTeams.filter((t) => t.slug !== team.slug),
            cluster: { name: cluster.name, environment },
            policy: environment ? context.policies[environment] : null,
            takenNames: new Set(context.takenNames[cluster.id] ?? []),
            teamNamespaceCount: environment ? (context.teamCounts[team.id]?.[environment] ?? 0) : 0,
          },
        ),
      );
    }
    const byField = new Map<string, string>();
    for (const problem of found) if (!byField.has(problem.field)) byField.set(problem.field, problem.message);
    return byField;
  }, [values, team, cluster, context]);

  const show = (field: string) =>
    (submitted || touched.has(field) ? problems.get(field) : undefined) ?? (serverError?.field === field ? serverError.message : undefined);
  const touch = (field: string) => setTouched((current) => new Set(current).add(field));
  const set = (patch: Partial<Values>) => {
    setValues((current) => ({ ...current, ...patch }));
    setServerError(null);
  };

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (problems.size > 0) return;
    setPending(true);
    try {
      const created = await callApi<{ id: string }>("/api/v1/namespace-requests", {
        method: "POST",
        body: { ...values, costCenter: values.costCenter || undefined },
      });
      router.push(`/namespaces?request=${created.id}`);
      router.refresh();
    } catch (error) {
      const failure = error instanceof ApiError ? error : new ApiError({ message: String(error), status: 0 });
      setServerError({ message: failure.message, field: failure.path?.join(".") });
      setPending(false);
    }
  }

  const prefix = team ? namespacePrefix(team.slug) : "";
  const ceilings = cluster?.environment ? context.policies[cluster.environment].ceilings : null;
  const unplacedServerError = serverError && (!serverError.field || !formFields.has(serverError.field)) ? serverError.message : null;

  const field = (
    name: string,
    label: string,
    control: (props: { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string }) => React.ReactNode,
    hint?: string,
  ) => {
    const id = `field-${name.replace(/\./g, "-")}`;
    const error = show(name);
    return (
      <div className="space-y-1">
        <Label htmlFor={id}>{label}</Label>
        {control({ id, "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined })}
        {hint && !error && (
          <p id={`${id}-hint`} className="text-xs text-muted-foreground">
            {hint}
          </p>
        )}
        <FieldError id={`${id}-error`} message={error} />
      </div>
    );
  };

  return (
    <form onSubmit={submit} aria-label="Request a namespace" noValidate>
      <HydratedFieldset className="space-y-8">
        {unplacedServerError && (
          <p role="alert" className="rounded-md border border-destructive p-3 font-medium text-destructive">
            {unplacedServerError}
          </p>
        )}
        <fieldset className="grid gap-4 md:grid-cols-2">
          <legend className="mb-2 text-lg font-semibold">Where</legend>
          {field("teamId", "Team", (props) => (
            <select
              {...props}
              className={selectClass}
              value={values.teamId}
              onChange={(e) => set({ teamId: e.target.value, costCenter: "" })}
              onBlur={() => touch("teamId")}
            >
              <option value="">Choose a team</option>
              {context.teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          ))}
          {field("clusterId", "Cluster", (props) => (
            <select
              {...props}
              className={selectClass}
              value={values.clusterId}
              onChange={(e) => set({ clusterId: e.target.value })}
              onBlur={() => touch("clusterId")}
            >
              <option value="">Choose a cluster</option>
              {context.clusters.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.environment ?? "no environment yet"}, {c.location})
                </option>
              ))}
            </select>
          ))}
          {field(
            "name",
            "Namespace name",
            (props) => (
              <Input
                {...props}
                value={values.name}
                placeholder={prefix ? `${prefix}orders` : "choose a team first"}
                onChange={(e) => set({ name: e.target.value })}
                onBlur={() => touch("name")}
                autoComplete="off"
                spellCheck={false}
              />
            ),
            prefix ? `Starts with ${prefix}; lowercase letters, digits and hyphens, at most 63 characters.` : "Starts with your team's prefix.",
          )}
          {field(
            "costCenter",
            "Cost center",
            (props) => (
              <Input
                {...props}
                value={values.costCenter}
                placeholder={team?.costCenter ?? team?.slug ?? ""}
                onChange={(e) => set({ costCenter: e.target.value })}
                onBlur={() => touch("costCenter")}
              />
            ),
            team ? `Leave empty to use the team's cost center: ${team.costCenter ?? team.slug}.` : undefined,
          )}
        </fieldset>

        <fieldset className="grid gap-4 md:grid-cols-4">
          <legend className="mb-2 text-lg font-semibold">Quota</legend>
          <p className="text-sm text-muted-foreground md:col-span-4">
            {ceilings
              ? `Ceilings in ${cluster?.environment}: ${quotaFields.map((f) => `${quotaLabels[f].toLowerCase()} ${ceilings[f]}`).join(", ")}.`
              : "Choose a cluster to see the ceilings that apply."}
          </p>
          {quotaFields.map((name) =>
            field(`quota.${name}`, quotaLabels[name], (props) => (
              <Input
                {...props}
                value={values.quota[name]}
                onChange={(e) => set({ quota: { ...values.quota, [name]: e.target.value } })}
                onBlur={() => touch(`quota.${name}`)}
                className="font-mono"
              />
            )),
          )}
        </fieldset>

        <fieldset className="grid gap-4 md:grid-cols-4">
          <legend className="mb-2 text-lg font-semibold">Defaults for containers that set none</legend>
          {defaultFields.map((name) =>
            field(`containerDefaults.${name}`, defaultLabels[name], (props) => (
              <Input
                {...props}
                value={values.containerDefaults[name]}
                onChange={(e) => set({ containerDefaults: { ...values.containerDefaults, [name]: e.target.value } })}
                onBlur={() => touch(`containerDefaults.${name}`)}
                className="font-mono"
              />
            )),
          )}
        </fieldset>

        <fieldset className="space-y-4">
          <legend className="mb-2 text-lg font-semibold">Why</legend>
          {field("justification", "Justification", (props) => (
            <Textarea
              {...props}
              rows={3}
              className="font-sans"
              value={values.justification}
              onChange={(e) => set({ justification: e.target.value })}
              onBlur={() => touch("justification")}
              placeholder="What will run here, and why these quotas."
            />
          ))}
        </fieldset>

        <div className="flex items-center gap-3">
          <Button type="submit" disabled={pending}>
            {pending ? "Sending…" : "Send for approval"}
          </Button>
          {submitted && problems.size > 0 && (
            <p role="status" className="text-sm text-destructive">
              Fix the {problems.size === 1 ? "problem" : `${problems.size} problems`} above first.
            </p>
          )}
        </div>
      </HydratedFieldset>
    </form>
  );
}

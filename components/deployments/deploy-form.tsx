"use client";
// Deploy a service: pick a namespace and a version, see exactly what will be
// applied (YAML, diff against what runs, the policy's verdict), then confirm.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { HydratedFieldset } from "@/components/ui/hydrated-fieldset";
import { useMutation } from "@tanstack/react-query";
import { AlertTriangle, ShieldCheck } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ApiError, callApi } from "@/lib/api/client-fetch";
import type { DeploymentPreview } from "@/lib/deployments/preview-deployment";
import type { DeploymentView } from "@/lib/deployments/deployment-view";
import { ManifestDiffView } from "@/components/deployments/manifest-diff";
import { Cell, DataTable, Row } from "@/components/ui/table";
import { ImageTagPicker } from "@/components/deployments/image-tag-picker";

const selectClass =
  "h-10 w-full rounded-md border border-border bg-background px-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";

export interface DeployableNamespace {
  id: string;
  name: string;
  cluster: string;
  environment: string;
}

interface Choice {
  namespaceId: string;
  version: string;
  replicas: string;
  whenBusy: "refuse" | "queue";
}

/** The version field's digest with the tag it was picked as (decision 0064), a digest alone, or a typed tag. */
function requestBody(service: string, choice: Choice, pickedAs: string | null) {
  const version = choice.version.trim();
  return {
    service,
    namespaceId: choice.namespaceId,
    ...(version.startsWith("sha256:") ? { digest: version, ...(pickedAs !== null && { tag: pickedAs }) } : { tag: version }),
    ...(choice.replicas.trim() ? { replicas: choice.replicas.trim() } : {}),
    whenBusy: choice.whenBusy,
  };
}

export function DeployForm({
  service,
  namespaces,
  defaultReplicas,
  initial,
  initialTag,
  compareWith,
}: {
  service: string;
  namespaces: DeployableNamespace[];
  defaultReplicas: number;
  /** A promotion's proposal: the target namespace, the source's digest and replicas. */
  initial?: Partial<Pick<Choice, "namespaceId" | "version" | "replicas">>;
  /** A promotion's tag: what the source's digest runs as, carried along as its label. */
  initialTag?: { name: string; digest: string };
  /** A promotion's source namespace: the preview lists how the manifest differs from what was applied there. */
  compareWith?: string;
}) {
  const router = useRouter();
  const [choice, setChoice] = useState<Choice>({ namespaceId: namespaces[0]?.id ?? "", version: "", replicas: "", whenBusy: "refuse", ...initial });
  const [previewed, setPreviewed] = useState<{ key: string; preview: DeploymentPreview } | null>(null);
  // The registry tag the version field's digest was picked from, while the field still holds that digest.
  const [pickedTag, setPickedTag] = useState<{ name: string; digest: string } | null>(initialTag ?? null);
  const fromTag = pickedTag && pickedTag.digest === choice.version.trim() ? pickedTag : null;
  const key = JSON.stringify([choice, fromTag?.name ?? null]);
  const preview = useMutation({
    mutationFn: () =>
      callApi<DeploymentPreview>("/api/v1/deployments/preview", {
        method: "POST",
        body: { ...requestBody(service, choice, fromTag?.name ?? null), compareWith },
      }),
    onSuccess: (result) => setPreviewed({ key, preview: result }),
  });
  const deploy = useMutation({
    mutationFn: () => callApi<DeploymentView>("/api/v1/deployments", { method: "POST", body: requestBody(service, choice, fromTag?.name ?? null) }),
    onSuccess: (created) => router.push(`/deployments/${created.id}`),
  });
  const current = previewed?.key === key ? previewed.preview : null;
  const blocked = current ? current.violations.length > 0 || (current.busy !== null && choice.whenBusy === "refuse") : true;
  const fieldError = (field: string) => (preview.error instanceof ApiError && preview.error.path?.[0] === field ? preview.error.message : undefined);
  const set = (change: Partial<Choice>) => setChoice((value) => ({ ...value, ...change }));

  return (
    <div className="space-y-6">
      <Card>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            preview.mutate();
          }}
        >
          {/* grid-cols-1 (minmax(0, 1fr)), not the implicit auto column: the tag table would widen it past a phone's width. */}
          <HydratedFieldset className="grid grid-cols-1 gap-4 md:grid-cols-2">
            <div className="space-y-1">
              <Label htmlFor="namespace">Namespace</Label>
              <select
                id="namespace"
                className={selectClass}
                value={choice.namespaceId}
                onChange={(event) => set({ namespaceId: event.target.value })}
                aria-invalid={Boolean(fieldError("namespaceId"))}
              >
                {namespaces.map((namespace) => (
                  <option key={namespace.id} value={namespace.id}>
                    {namespace.name} — {namespace.cluster} ({namespace.environment})
                  </option>
                ))}
              </select>
              {fieldError("namespaceId") && <p className="text-sm text-destructive">{fieldError("namespaceId")}</p>}
            </div>
            <div className="space-y-1">
              <Label htmlFor="version">Image tag or digest</Label>
              <Input
                id="version"
                value={choice.version}
                onChange={(event) => set({ version: event.target.value })}
                placeholder="1.4.2 or sha256:…"
                required
                aria-invalid={Boolean(fieldError("tag") ?? fieldError("digest"))}
                aria-describedby="version-help"
              />
              <p id="version-help" className="text-xs text-muted-foreground">
                {fromTag
                  ? `Tag ${fromTag.name}, pinned to its digest: this exact image is deployed even if the tag moves, ` +
                    `and the deployment is labelled ${fromTag.name}.`
                  : "The repository comes from the service's deploy spec. Type a tag, or pick one from the registry below."}
              </p>
              {fromTag && (
                <Button type="button" variant="outline" size="sm" onClick={() => setPickedTag(null)}>
                  Deploy the digest without the tag {fromTag.name}
                </Button>
              )}
              {(fieldError("tag") ?? fieldError("digest")) && <p className="text-sm text-destructive">{fieldError("tag") ?? fieldError("digest")}</p>}
            </div>
            <div className="space-y-1 md:col-span-2">
              <p className="text-sm font-medium">Tags in the registry</p>
              <ImageTagPicker
                service={service}
                picked={fromTag?.digest ?? ""}
                onPick={(tag) => {
                  setPickedTag(tag);
                  set({ version: tag.digest });
                }}
              />
            </div>
            <div className="space-y-1">
              <Label htmlFor="replicas">Replicas</Label>
              <Input
                id="replicas"
                inputMode="numeric"
                value={choice.replicas}
                onChange={(event) => set({ replicas: event.target.value })}
                placeholder={`${defaultReplicas} (from the deploy spec)`}
                aria-invalid={Boolean(fieldError("replicas"))}
              />
              {fieldError("replicas") && <p className="text-sm text-destructive">{fieldError("replicas")}</p>}
            </div>
            <div className="space-y-1">
              <Label htmlFor="when-busy">If a rollout of this service is still running there</Label>
              <select
                id="when-busy"
                className={selectClass}
                value={choice.whenBusy}
                onChange={(event) => set({ whenBusy: event.target.value as Choice["whenBusy"] })}
              >
                <option value="refuse">Refuse this deployment</option>
                <option value="queue">Queue it after the running one</option>
              </select>
            </div>
            <div className="md:col-span-2">
              <Button type="submit" disabled={preview.isPending || !choice.namespaceId || !choice.version.trim()}>
                {preview.isPending ? "Rendering…" : "Preview what will be applied"}
              </Button>
              {preview.isError && !fieldError("tag") && !fieldError("digest") && !fieldError("replicas") && !fieldError("namespaceId") && (
                <p role="alert" className="mt-2 text-sm text-destructive">
                  {preview.error.message}
                </p>
              )}
            </div>
          </HydratedFieldset>
        </form>
      </Card>

      {current && (
        <>
          {current.violations.length > 0 ? (
            <Card className="border-destructive" role="alert">
              <CardTitle className="flex items-center gap-2 text-destructive">
                <AlertTriangle className="h-5 w-5" aria-hidden /> The policy blocks this deployment
              </CardTitle>
              <ul className="list-disc space-y-1 pl-6 text-sm">
                {current.violations.map((violation) => (
                  <li key={`${violation.code}-${violation.field ?? ""}`}>{violation.message}</li>
                ))}
              </ul>
            </Card>
          ) : (
            <p className="flex items-center gap-2 text-sm">
              <ShieldCheck className="h-4 w-4 text-success" aria-hidden /> Passes the policy: allowed registry, probes, locked-down security context,
              {" within "}
              {current.namespace.name}&apos;s limits and quota.
            </p>
          )}
          {current.busy && (
            <p role="status" className="rounded-md border border-warning p-3 text-sm">
              Revision {current.busy.revision} is {current.busy.status} in {current.namespace.name}.{" "}
              {choice.whenBusy === "queue"
                ? "This deployment will wait and start when it ends."
                : "Choose to queue this deployment, or wait for that one to end."}
            </p>
          )}
          {current.tagCheck === "unchecked" && current.tagCheckText && (
            <p role="status" className="flex items-start gap-2 rounded-md border border-warning p-3 text-sm">
              <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0 text-warning" aria-hidden />
              <span>
                {current.tagCheckText}. The digest is deployed exactly; the deployment is labelled with the tag as you picked it, and says it was not checked.
              </span>
            </p>
          )}
          {current.needsApproval && (
            <p role="status" className="rounded-md border border-warning p-3 text-sm">
              {current.namespace.name} is a {current.namespace.environment} namespace: another member of the team or a platform admin must approve before Wharf
              applies it.
            </p>
          )}
          {current.liveChanges.length > 0 && (
            <Card className="border-warning" role="status" aria-label="Changed on the cluster outside Wharf">
              <CardTitle className="flex items-center gap-2">
                <AlertTriangle className="h-5 w-5 text-warning" aria-hidden /> Changed on {current.namespace.cluster} outside Wharf
              </CardTitle>
              <p className="text-sm">
                What runs in {current.namespace.name} is not what Wharf applied{current.current ? ` as revision ${current.current.revision}` : ""}. Deploying
                applies the manifest below over it, putting back what Wharf sets:
              </p>
              <DataTable caption="Fields changed outside Wharf" columns={["Field", "On the cluster now", "Wharf applied"]}>
                {current.liveChanges.map((change) => (
                  <Row key={change.field}>
                    <Cell>{change.field}</Cell>
                    <Cell className="font-mono text-xs">{change.live}</Cell>
                    <Cell className="font-mono text-xs">{change.applied}</Cell>
                  </Row>
                ))}
              </DataTable>
            </Card>
          )}
          {current.comparedWith && <PromotionDifference comparedWith={current.comparedWith} target={current.namespace} />}
          <Card>
            <CardTitle>
              Changes against{" "}
              {current.current ? `revision ${current.current.revision} (${current.current.image})` : "nothing: this is the first deployment here"}
            </CardTitle>
            <ManifestDiffView diff={current.diff} />
          </Card>
          <details className="rounded-lg border border-border bg-card p-5">
            <summary className="cursor-pointer font-semibold">The full manifest (revision {current.revision})</summary>
            <pre className="mt-3 max-h-[32rem] overflow-auto text-xs">{current.yaml}</pre>
          </details>
          <div className="flex flex-wrap items-center gap-3">
            <Button size="lg" onClick={() => deploy.mutate()} disabled={blocked || deploy.isPending}>
              {deploy.isPending ? "Deploying…" : current.needsApproval ? "Ask for approval" : `Deploy to ${current.namespace.name}`}
            </Button>
            {deploy.isError && (
              <p role="alert" className="text-sm text-destructive">
                {deploy.error.message}
              </p>
            )}
          </div>
        </>
      )}
      {previewed && !current && <p className="text-sm text-muted-foreground">You changed the choice; preview again to see what will be applied.</p>}
    </div>
  );
}

/** A promotion's configuration difference: what the target gets against what runs in the source, field by field. */
function PromotionDifference({
  comparedWith,
  target,
}: {
  comparedWith: NonNullable<DeploymentPreview["comparedWith"]>;
  target: DeploymentPreview["namespace"];
}) {
  const source = `${comparedWith.namespace.name} (${comparedWith.namespace.environment})`;
  return (
    <Card aria-label={`Difference from ${comparedWith.namespace.name}`}>
      <CardTitle>
        Configuration in {target.name} ({target.environment}) against {source}
        {comparedWith.revision !== null ? `, revision ${comparedWith.revision}` : ""}
      </CardTitle>
      {comparedWith.revision === null ? (
        <p className="text-sm">Wharf has not applied this service in {source}, so there is nothing to compare with.</p>
      ) : comparedWith.changes.length === 0 ? (
        <p className="text-sm">The same image, replicas, resources, probes and environment as {source}.</p>
      ) : (
        <DataTable caption={`Fields that differ from ${source}`} columns={["Field", `In ${comparedWith.namespace.name}`, `In ${target.name} after this`]}>
          {comparedWith.changes.map((change) => (
            <Row key={change.field}>
              <Cell>{change.label}</Cell>
              <Cell className="break-all font-mono text-xs">{change.now ?? "not set"}</Cell>
              <Cell className="break-all font-mono text-xs">{change.next ?? "not set"}</Cell>
            </Row>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

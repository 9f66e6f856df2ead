"use client";
import Link from "next/link";
import { useRef, useState, useTransition, type FormEvent } from "react";
import { HydratedFieldset } from "@/components/ui/hydrated-fieldset";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ApplyOutcome, PreviewOutcome } from "@/lib/actions/action-state";

const actionText = {
  create: { label: "Will be created", tone: "success" },
  update: { label: "Will be updated", tone: "info" },
  unchanged: { label: "Unchanged", tone: "secondary" },
  refused: { label: "Refused", tone: "destructive" },
  invalid: { label: "Has errors", tone: "destructive" },
} as const;

interface ImportFormProps {
  preview: (form: FormData) => Promise<PreviewOutcome>;
  apply: (form: FormData) => Promise<ApplyOutcome>;
  maxBytes: number;
}

export function ImportForm({ preview, apply, maxBytes }: ImportFormProps) {
  const form = useRef<HTMLFormElement>(null);
  const [pending, startTransition] = useTransition();
  const [previewed, setPreviewed] = useState<PreviewOutcome | null>(null);
  const [applied, setApplied] = useState<ApplyOutcome | null>(null);
  const [clientError, setClientError] = useState<string | null>(null);

  function data(): FormData | null {
    const values = new FormData(form.current!);
    const file = values.get("file");
    if (file instanceof File && file.size > maxBytes) {
      setClientError(
        `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; Wharf imports files of up to ${maxBytes / 1024 / 1024} MB. Split it into smaller files.`,
      );
      return null;
    }
    setClientError(null);
    return values;
  }

  function onPreview(event: FormEvent) {
    event.preventDefault();
    const values = data();
    if (!values) return;
    setApplied(null);
    startTransition(async () => setPreviewed(await preview(values)));
  }

  function onApply() {
    const values = data();
    if (!values) return;
    startTransition(async () => {
      const outcome = await apply(values);
      setApplied(outcome);
      if (outcome.ok) setPreviewed(null);
    });
  }

  const plan = previewed?.ok ? previewed.plan : null;
  const importable = plan?.items.filter((item) => item.action === "create" || item.action === "update") ?? [];

  return (
    <form ref={form} onSubmit={onPreview} aria-label="Import catalog-info.yaml">
      <HydratedFieldset className="space-y-6">
        <Card className="space-y-4">
          <div className="space-y-1">
            <Label htmlFor="import-file">Upload a file</Label>
            <input
              id="import-file"
              name="file"
              type="file"
              accept=".yaml,.yml,text/yaml"
              className={
                "block text-sm file:mr-3 file:rounded-md file:border file:border-border " +
                "file:bg-card file:px-3 file:py-1.5 file:text-sm file:text-foreground"
              }
              onChange={() => setPreviewed(null)}
            />
          </div>
          <div className="space-y-1">
            <Label htmlFor="import-text">Or paste catalog-info.yaml (several documents separated by ---)</Label>
            <Textarea
              id="import-text"
              name="text"
              rows={10}
              placeholder={
                "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payment-gateway\n" +
                "spec:\n  type: service\n  lifecycle: production\n  owner: group:payments"
              }
              onChange={() => setPreviewed(null)}
            />
          </div>
          <Button type="submit" disabled={pending}>
            {pending && !plan ? "Reading…" : "Preview"}
          </Button>
        </Card>

        {(clientError || (previewed && !previewed.ok) || (applied && !applied.ok)) && (
          <p role="alert" className="rounded-md border border-destructive p-3 font-medium text-destructive">
            {clientError ?? (previewed && !previewed.ok ? previewed.message : applied && !applied.ok ? applied.message : "")}
          </p>
        )}

        {applied?.ok && (
          <p role="status" className="rounded-md border border-success bg-success-muted p-3 font-medium text-success-muted-foreground">
            Imported: {applied.created.length} created, {applied.updated.length} updated.{" "}
            <Link href="/catalog?sort=updated&order=desc" className="underline">
              See them in the catalog
            </Link>
          </p>
        )}

        {plan && plan.fileErrors.length > 0 && (
          <div role="alert" className="rounded-md border border-destructive p-3 text-destructive">
            <p className="font-medium">The file cannot be imported:</p>
            <ul className="list-disc pl-5">
              {plan.fileErrors.map((error) => (
                <li key={`${error.line}-${error.message}`}>
                  Line {error.line}: {error.message}
                </li>
              ))}
            </ul>
          </div>
        )}

        {plan && plan.items.length > 0 && (
          <Card className="space-y-4">
            <h2 className="text-lg font-semibold">Preview</h2>
            <p className="text-sm" aria-live="polite">
              {plan.counts.create} to create, {plan.counts.update} to update, {plan.counts.unchanged} unchanged, {plan.counts.refused + plan.counts.invalid}
              {" that cannot be imported."} Nothing is written until you import.
            </p>
            <table className="w-full text-sm">
              <caption className="sr-only">Documents in the file</caption>
              <thead className="text-left text-muted-foreground">
                <tr>
                  <th className="py-2 font-medium">Import</th>
                  <th className="py-2 font-medium">Line</th>
                  <th className="py-2 font-medium">Name</th>
                  <th className="py-2 font-medium">What happens</th>
                  <th className="py-2 font-medium">Details</th>
                </tr>
              </thead>
              <tbody>
                {plan.items.map((item) => {
                  const can = item.action === "create" || item.action === "update";
                  return (
                    <tr key={item.index} className="border-t border-border align-top">
                      <td className="py-2">
                        {can && <input type="checkbox" name="confirmed" value={item.name} defaultChecked aria-label={`Import ${item.name}`} />}
                      </td>
                      <td className="py-2">{item.line}</td>
                      <td className="py-2 font-mono">{item.name ?? "(no name)"}</td>
                      <td className="py-2">
                        <Badge variant={actionText[item.action].tone}>{actionText[item.action].label}</Badge>
                      </td>
                      <td className="py-2">
                        {item.changes.length > 0 && <p>Changes: {item.changes.join(", ")}</p>}
                        {item.errors.map((error) => (
                          <p key={`e-${error.line}-${error.message}`} className="text-destructive">
                            Line {error.line}
                            {error.path ? ` (${error.path})` : ""}: {error.message}
                          </p>
                        ))}
                        {item.warnings.map((warning) => (
                          <p key={`w-${warning.line}-${warning.message}`} className="text-muted-foreground">
                            Note, line {warning.line}: {warning.message}
                          </p>
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Button type="button" onClick={onApply} disabled={pending || importable.length === 0}>
              {pending ? "Importing…" : `Import the selected documents`}
            </Button>
          </Card>
        )}
      </HydratedFieldset>
    </form>
  );
}

// Says when a deployment's tag was taken as picked because the registry could not be asked (decision 0068), where people
// read the version: the deployment page, the history, the approval. A checked tag needs no words: it is what the label claims.
import { AlertTriangle } from "lucide-react";
import type { TagCheck } from "@/lib/deployments/version-text";
import { cn } from "@/lib/cn";

export function TagCheckNote({ tagCheck, className }: { tagCheck: TagCheck | null; className?: string }) {
  if (tagCheck?.state !== "unchecked") return null;
  return (
    <span className={cn("flex items-start gap-1 text-warning", className)} data-testid="tag-check">
      <AlertTriangle className="mt-0.5 h-3.5 w-3.5 shrink-0" aria-hidden />
      <span>{tagCheck.text}</span>
    </span>
  );
}

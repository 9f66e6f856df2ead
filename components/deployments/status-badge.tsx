import { Ban, CheckCircle2, Clock, ListOrdered, Loader2, ThumbsDown, Upload, XCircle } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { DeploymentStatus } from "@/lib/deployments/deployment-settings";

const look: Record<
  DeploymentStatus,
  { tone: "success" | "destructive" | "warning" | "info" | "secondary"; label: string; Icon: typeof CheckCircle2; spin?: boolean }
> = {
  "awaiting-approval": { tone: "warning", label: "Awaiting approval", Icon: Clock },
  queued: { tone: "secondary", label: "Queued", Icon: ListOrdered },
  applying: { tone: "info", label: "Applying", Icon: Upload },
  progressing: { tone: "info", label: "Rolling out", Icon: Loader2, spin: true },
  succeeded: { tone: "success", label: "Succeeded", Icon: CheckCircle2 },
  failed: { tone: "destructive", label: "Failed", Icon: XCircle },
  cancelled: { tone: "secondary", label: "Cancelled", Icon: Ban },
  rejected: { tone: "destructive", label: "Rejected", Icon: ThumbsDown },
};

/** Status as a word and an icon, never by colour alone. */
export function DeploymentStatusBadge({ status, reason }: { status: DeploymentStatus; reason?: string | null }) {
  const { tone, label, Icon, spin } = look[status];
  return (
    <Badge variant={tone} data-status={status}>
      <Icon className={`h-3.5 w-3.5 ${spin ? "motion-safe:animate-spin" : ""}`} aria-hidden /> {label}
      {status === "failed" && reason ? `: ${reason}` : ""}
    </Badge>
  );
}

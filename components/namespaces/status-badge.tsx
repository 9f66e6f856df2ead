import { CheckCircle2, CircleDashed, Loader2, Trash2, XCircle, Clock, Ban, Undo2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { NamespaceStatus, RequestStatus } from "@/lib/namespaces/namespace-view";

const namespaceLook: Record<NamespaceStatus, { tone: "success" | "destructive" | "warning" | "info" | "secondary"; label: string; Icon: typeof CheckCircle2 }> =
  {
    provisioning: { tone: "info", label: "Provisioning", Icon: Loader2 },
    ready: { tone: "success", label: "Ready", Icon: CheckCircle2 },
    failed: { tone: "destructive", label: "Failed", Icon: XCircle },
    decommissioning: { tone: "warning", label: "Decommissioning", Icon: Trash2 },
    decommissioned: { tone: "secondary", label: "Decommissioned", Icon: CircleDashed },
  };

/** Status as a word and an icon, never by colour alone. */
export function NamespaceStatusBadge({ status }: { status: NamespaceStatus }) {
  const { tone, label, Icon } = namespaceLook[status];
  return (
    <Badge variant={tone} data-status={status}>
      <Icon className={`h-3.5 w-3.5 ${status === "provisioning" ? "motion-safe:animate-spin" : ""}`} aria-hidden /> {label}
    </Badge>
  );
}

const requestLook: Record<RequestStatus, { tone: "success" | "destructive" | "warning" | "info" | "secondary"; label: string; Icon: typeof CheckCircle2 }> = {
  pending: { tone: "warning", label: "Pending approval", Icon: Clock },
  approved: { tone: "success", label: "Approved", Icon: CheckCircle2 },
  rejected: { tone: "destructive", label: "Rejected", Icon: Ban },
  withdrawn: { tone: "secondary", label: "Withdrawn", Icon: Undo2 },
};

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const { tone, label, Icon } = requestLook[status];
  return (
    <Badge variant={tone} data-status={status}>
      <Icon className="h-3.5 w-3.5" aria-hidden /> {label}
    </Badge>
  );
}

import { AlertTriangle, CheckCircle2, HelpCircle, XCircle } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { HealthState } from "@/lib/health/types";

export const healthLook: Record<HealthState, { tone: "success" | "destructive" | "warning" | "secondary"; label: string; Icon: typeof CheckCircle2 }> = {
  unhealthy: { tone: "destructive", label: "Unhealthy", Icon: XCircle },
  degraded: { tone: "warning", label: "Degraded", Icon: AlertTriangle },
  unknown: { tone: "secondary", label: "Unknown", Icon: HelpCircle },
  healthy: { tone: "success", label: "Healthy", Icon: CheckCircle2 },
};

/** Health as a word and an icon, never by colour alone. */
export function HealthStateBadge({ state, className }: { state: HealthState; className?: string }) {
  const { tone, label, Icon } = healthLook[state];
  return (
    <Badge variant={tone} data-health={state} className={className}>
      <Icon className="h-3.5 w-3.5" aria-hidden /> {label}
    </Badge>
  );
}

import { FlaskConical } from "lucide-react";

/** Shown on every page when Wharf runs against the local sandbox instead of Azure. */
export function SandboxMarker() {
  return (
    <div
      role="note"
      aria-label="Sandbox mode"
      className="flex items-center justify-center gap-2 bg-warning px-3 py-1 text-sm font-semibold text-warning-foreground"
      data-testid="sandbox-marker"
    >
      <FlaskConical className="h-4 w-4" aria-hidden />
      Sandbox: Wharf is running against local stand-ins for Entra ID and Azure, with demo data. Nothing here touches a real tenant.
    </div>
  );
}

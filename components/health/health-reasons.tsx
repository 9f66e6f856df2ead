import { RelativeTime } from "@/components/ui/relative-time";
import { HealthStateBadge } from "@/components/health/health-state-badge";
import { withoutSince } from "@/lib/health/model";
import type { HealthEntry } from "@/lib/health/health-view";

/** Why a service is in its state, one sentence per signal; for stale data also what it last said. */
export function HealthReasons({
  entry,
  compact = false,
}: {
  entry: Pick<HealthEntry, "reasons" | "lastKnown" | "state" | "telemetry" | "kubernetes">;
  compact?: boolean;
}) {
  // An observation's error is shown only when no reason already tells it (the poller usually turns it into one).
  const errors = [
    entry.kubernetes?.error && !entry.reasons.some((reason) => reason.signal === "cluster") && `Cluster: ${entry.kubernetes.error}`,
    entry.telemetry?.error && !entry.reasons.some((reason) => reason.signal === "workspace") && `App Insights: ${entry.telemetry.error}`,
  ].filter(Boolean) as string[];
  if (entry.reasons.length === 0 && errors.length === 0) {
    return <span className="text-muted-foreground">{entry.state === "healthy" ? "Every signal within its thresholds." : "No reason given."}</span>;
  }
  return (
    <div className="space-y-1">
      <ul className="space-y-0.5" aria-label="Reasons">
        {entry.reasons.map((reason, index) => (
          <li key={`${reason.signal}-${index}`} className={reason.state === "healthy" ? "text-muted-foreground" : undefined}>
            {compact || !reason.since ? reason.message : withoutSince(reason.message)}
            {!compact && reason.since && (
              <span className="text-muted-foreground">
                {" "}
                (since <RelativeTime iso={reason.since} />)
              </span>
            )}
          </li>
        ))}
        {errors.map((error) => (
          <li key={error} className="text-destructive">
            {error}
          </li>
        ))}
      </ul>
      {entry.lastKnown && (
        <p className="text-xs text-muted-foreground">
          Last known: <HealthStateBadge state={entry.lastKnown.state} className="px-1.5 py-0 text-[11px]" />
          {entry.lastKnown.reasons[0] && <> {entry.lastKnown.reasons[0].message}</>}
        </p>
      )}
    </div>
  );
}

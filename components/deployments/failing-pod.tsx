"use client";
// Where a rollout failed, the whole story in one place: the failing pod's
// last log lines (the previous container's for a crash loop, and it says
// so), its events with the routine start-up ones folded away, and a rollback
// whose confirmation names the revision it returns to.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { RefreshCw, Undo2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { RelativeTime } from "@/components/ui/relative-time";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { callApi } from "@/lib/api/client-fetch";
import type { DeploymentView } from "@/lib/deployments/deployment-view";
import type { DeploymentLog } from "@/lib/deployments/read-deployment-log";
import type { RollbackTarget } from "@/lib/deployments/rollback-target";
import type { RolloutEvent, RolloutPod } from "@/lib/deployments/rollout-state";
import { podEvents } from "@/lib/deployments/failing-pod";

const firstLines = 100;
const moreLines = 200;
const mostLines = 1000;
/** Lines that usually say why a process died: highlighted with a marker, not by colour alone. */
const errorLine = /\b(Error|ECONNREFUSED|Exception|FATAL|fatal|panic|Traceback)\b|"level":(50|60)\b/;

function PodLog({ deployment, pod }: { deployment: DeploymentView; pod: RolloutPod }) {
  const [tailLines, setTailLines] = useState(firstLines);
  const log = useQuery({
    // A new restart is a new instance to read: the key follows the pod's restart count, so the log never lags behind the table.
    queryKey: ["deployment-log", deployment.id, pod.name, pod.restarts, tailLines],
    queryFn: () => callApi<DeploymentLog>(`/api/v1/deployments/${deployment.id}/logs?pod=${encodeURIComponent(pod.name)}&tailLines=${tailLines}`),
    // A log is read when asked: on opening and on Refresh, never polled (the server shares one read per pod for a few seconds).
    refetchOnWindowFocus: false,
    placeholderData: (previous) => previous,
  });
  const data = log.data;
  return (
    <section aria-labelledby="failing-pod-log" className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="failing-pod-log" className="font-semibold">
          Log of <span className="font-mono text-sm">{pod.name}</span>
        </h3>
        <div className="flex gap-2">
          {data?.more && tailLines < mostLines && (
            <Button size="sm" variant="outline" onClick={() => setTailLines(Math.min(mostLines, tailLines + moreLines))} disabled={log.isFetching}>
              Show more
            </Button>
          )}
          <Button size="sm" variant="outline" onClick={() => void log.refetch()} disabled={log.isFetching}>
            <RefreshCw className="h-4 w-4" aria-hidden /> {log.isFetching ? "Reading…" : "Refresh"}
          </Button>
        </div>
      </div>
      {data && (
        <p className="text-sm text-muted-foreground">
          {data.previous
            ? `From the previous container: it exited and was restarted (${data.restarts} restart${data.restarts === 1 ? "" : "s"}); ` +
              "this is what it wrote before it stopped."
            : "From the current container."}{" "}
          Last {data.lines.length} line{data.lines.length === 1 ? "" : "s"}, read <RelativeTime iso={data.readAt} />.
        </p>
      )}
      {log.isError ? (
        <div role="alert" className="rounded-md border border-warning p-3 text-sm">
          Could not read the log of {pod.name}: {log.error.message}{" "}
          <Button size="sm" variant="outline" onClick={() => void log.refetch()}>
            Try again
          </Button>
        </div>
      ) : !data ? (
        <div aria-busy="true" aria-label="Reading the log" className="space-y-2 rounded-md border border-border p-3">
          {Array.from({ length: 6 }, (_, index) => (
            <Skeleton key={index} className="h-4 w-full" />
          ))}
        </div>
      ) : data.unavailable ? (
        <p className="rounded-md border border-border p-3 text-sm">There is no log to show: {data.unavailable}.</p>
      ) : data.lines.length === 0 ? (
        <p className="rounded-md border border-border p-3 text-sm text-muted-foreground">The container has written nothing yet. Refresh in a moment.</p>
      ) : (
        <pre
          aria-label={`Last lines of the log of ${pod.name}`}
          tabIndex={0}
          className="max-h-[28rem] overflow-auto rounded-md border border-border bg-muted/40 p-3 text-xs leading-5"
        >
          {data.lines.map((line, index) =>
            errorLine.test(line) ? (
              <span key={index} className="block font-semibold text-destructive">
                <span aria-hidden>▶ </span>
                {line}
              </span>
            ) : (
              <span key={index} className="block">
                {line || " "}
              </span>
            ),
          )}
        </pre>
      )}
    </section>
  );
}

function EventList({ events }: { events: RolloutEvent[] }) {
  return (
    <ul className="space-y-1 text-sm">
      {events.map((event, index) => (
        <li key={`${event.reason}-${index}`}>
          <span className={event.type === "Warning" ? "font-medium text-destructive" : "text-muted-foreground"}>
            {event.type === "Warning" ? "⚠ Warning" : event.type}
          </span>{" "}
          <span className="font-medium">{event.reason}</span>
          {event.count > 1 && <span className="text-muted-foreground"> ×{event.count}</span>}: {event.message}
          {event.lastTimestamp && (
            <span className="text-muted-foreground">
              {" "}
              (<RelativeTime iso={event.lastTimestamp} />)
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

function PodEvents({ deployment, pod }: { deployment: DeploymentView; pod: RolloutPod }) {
  const { notable, routine } = podEvents(deployment.events, pod.name);
  return (
    <section aria-labelledby="failing-pod-events" className="space-y-2">
      <h3 id="failing-pod-events" className="font-semibold">
        Events of the pod
      </h3>
      {notable.length === 0 ? <p className="text-sm text-muted-foreground">No warnings recorded for this pod.</p> : <EventList events={notable} />}
      {routine.length > 0 && (
        <details>
          <summary className="cursor-pointer text-sm text-muted-foreground">
            {routine.length} routine event{routine.length === 1 ? "" : "s"} ({[...new Set(routine.map((event) => event.reason))].join(", ")})
          </summary>
          <div className="mt-2">
            <EventList events={routine} />
          </div>
        </details>
      )}
    </section>
  );
}

function RollbackHere({ deployment, target }: { deployment: DeploymentView; target: RollbackTarget }) {
  const router = useRouter();
  const rollback = useMutation({
    mutationFn: () => callApi<DeploymentView>(`/api/v1/deployments/${target.id}/rollback`, { method: "POST" }),
    onSuccess: (created) => router.push(`/deployments/${created.id}`),
  });
  return (
    <div>
      <AlertDialog>
        <AlertDialogTrigger asChild>
          <Button variant="destructive" disabled={rollback.isPending}>
            <Undo2 className="h-4 w-4" aria-hidden /> {rollback.isPending ? "Rolling back…" : `Roll back to revision ${target.revision}`}
          </Button>
        </AlertDialogTrigger>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Roll back to revision {target.revision}?</AlertDialogTitle>
            <AlertDialogDescription>
              Wharf applies revision {target.revision} ({target.image}) again to {deployment.namespace.name} on {deployment.namespace.cluster.name}, as a new
              revision that is followed like any rollout. Revision {deployment.revision} stays in the history.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Keep revision {deployment.revision}</AlertDialogCancel>
            <AlertDialogAction onClick={() => rollback.mutate()}>Roll back to revision {target.revision}</AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
      {rollback.isError && (
        <p role="alert" className="mt-2 text-sm text-destructive">
          {rollback.error.message}
        </p>
      )}
    </div>
  );
}

export function FailingPod({
  deployment,
  pod,
  canReadLogs,
  rollback,
}: {
  deployment: DeploymentView;
  pod: RolloutPod;
  canReadLogs: boolean;
  /** Where a rollback would return to, when the viewer may roll back; null when no earlier revision succeeded. */
  rollback: { allowed: boolean; target: RollbackTarget | null };
}) {
  return (
    <Card className="space-y-5 border-destructive">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold">Why it fails</h2>
          <p className="text-sm text-muted-foreground">
            Pod <span className="font-mono">{pod.name}</span>: {pod.waitingReason ?? (pod.ready ? "ready" : "not ready")}, {pod.restarts} restart
            {pod.restarts === 1 ? "" : "s"}.
          </p>
        </div>
        {rollback.allowed &&
          (rollback.target ? (
            <RollbackHere deployment={deployment} target={rollback.target} />
          ) : (
            <p className="max-w-xs text-sm text-muted-foreground">No earlier revision succeeded in this namespace, so there is nothing to roll back to.</p>
          ))}
      </div>
      {canReadLogs ? (
        <PodLog deployment={deployment} pod={pod} />
      ) : (
        <p className="text-sm text-muted-foreground">
          A pod&apos;s log is shown to members of {deployment.team.name} and platform admins. Ask a member of the team, or ask to join it.
        </p>
      )}
      <PodEvents deployment={deployment} pod={pod} />
    </Card>
  );
}

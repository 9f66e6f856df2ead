import Link from "next/link";
import type { Metadata } from "next";
import { DataTable, Row, Cell } from "@/components/ui/table";
import { CardTitle } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { RetryJobButton } from "@/components/jobs/retry-job-button";
import { requirePermission } from "@/lib/auth/current-actor";
import { can } from "@/lib/auth/permissions";
import { listJobs } from "@/lib/jobs/list-jobs";
import type { JobView } from "@/lib/jobs/job-view";
import { queueDescriptions, queueNames } from "@/lib/jobs/queues";
import { retryJobAction } from "./actions";

export const metadata: Metadata = { title: "Jobs" };

function Status({ job }: { job: JobView }) {
  switch (job.status) {
    case "running":
      return <Badge variant="info">Running</Badge>;
    case "retrying":
      return (
        <>
          <Badge variant="warning">Waiting to retry</Badge>
          {job.nextAttemptAt && (
            <span className="block text-xs text-muted-foreground">
              next attempt <RelativeTime iso={job.nextAttemptAt} />
            </span>
          )}
        </>
      );
    case "failed":
      return (
        <>
          <Badge variant="destructive">Failed</Badge>
          {job.gaveUp && <span className="mt-1 block max-w-48 text-xs text-muted-foreground">{job.gaveUp}</span>}
        </>
      );
  }
}

/** Errors from SDKs can run to many lines; the first part says enough, the rest is one click away. */
function ErrorText({ message }: { message: string }) {
  const oneLine = message.replace(/\s+/g, " ").trim();
  if (oneLine.length <= 240) return <span className="text-destructive">{oneLine}</span>;
  return (
    <details>
      <summary className="cursor-pointer text-destructive">{oneLine.slice(0, 200)}… (show all)</summary>
      <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap text-xs">{message}</pre>
    </details>
  );
}

function subject(job: JobView): string {
  if (job.key) return job.key;
  const entries = Object.entries((job.data ?? {}) as Record<string, unknown>);
  return entries.length ? entries.map(([name, value]) => `${name} ${String(value)}`).join(", ") : "—";
}

export default async function JobsPage() {
  const actor = await requirePermission("job:read");
  const jobs = await listJobs({ actor });
  const mayRetry = can(actor, "job:retry");
  const byQueue = queueNames.map((queue) => ({ queue, jobs: jobs.filter((job) => job.queue === queue) }));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Jobs</h1>
        <p className="text-muted-foreground">
          Background work that is running, waiting to retry, or has failed. A job retries with growing delays until its retry time is spent, then fails here
          with its last error, and the page it belongs to shows the failure too. Retry it once the cause is fixed. Every retry is in the{" "}
          <Link href="/admin/audit?action=job." className="text-primary underline underline-offset-2">
            audit log
          </Link>
          .
        </p>
      </div>
      {byQueue.map(({ queue, jobs: queued }) => (
        <ScrollCard key={queue} label={queue} aria-labelledby={`queue-${queue}`}>
          <div className="p-5 pb-3">
            <CardTitle id={`queue-${queue}`} className="mb-1 font-mono text-base">
              {queue}
            </CardTitle>
            <p className="text-sm text-muted-foreground">{queueDescriptions[queue]}</p>
          </div>
          {queued.length === 0 ? (
            <p className="border-t border-border px-5 py-3 text-sm text-muted-foreground">Nothing running or failed in this queue.</p>
          ) : (
            <DataTable caption={`Jobs in ${queue}`} columns={["About", "Status", "Attempts", "Last error", "When", ""]}>
              {queued.map((job) => (
                <Row key={job.id}>
                  <Cell>
                    <span className="font-medium">{subject(job)}</span>
                    <span className="block font-mono text-xs text-muted-foreground">{job.id}</span>
                  </Cell>
                  <Cell>
                    <Status job={job} />
                  </Cell>
                  <Cell>{job.attempts}</Cell>
                  <Cell className="max-w-md text-xs [overflow-wrap:anywhere]">
                    {job.lastError ? <ErrorText message={job.lastError} /> : <span className="text-muted-foreground">—</span>}
                  </Cell>
                  <Cell className="text-xs text-muted-foreground">
                    <span className="block">
                      queued <RelativeTime iso={job.createdAt} />
                    </span>
                    {job.finishedAt ? (
                      <span className="block">
                        failed <RelativeTime iso={job.finishedAt} />
                      </span>
                    ) : (
                      job.startedAt && (
                        <span className="block">
                          last started <RelativeTime iso={job.startedAt} />
                        </span>
                      )
                    )}
                  </Cell>
                  <Cell>
                    {job.status === "failed" && mayRetry && <RetryJobButton action={retryJobAction} id={job.id} label={`${queue} job for ${subject(job)}`} />}
                  </Cell>
                </Row>
              ))}
            </DataTable>
          )}
        </ScrollCard>
      ))}
    </div>
  );
}

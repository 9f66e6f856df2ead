// An admin's "sync now": queues a `cost.sync` job with `force`, which syncs
// every subscription Cost Management is not throttling (lib/costs/sync-costs.ts).
// The queue holds one job at a time, so a second click while one waits or runs
// queues nothing and says so. Audited; a refusal is audited too.
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { enqueue } from "@/lib/jobs/enqueue";

export interface CostSyncRequest {
  /** The queued job, or null when a sync was already queued or running. */
  jobId: string | null;
  message: string;
}

export async function requestCostSync({ actor }: { actor: Actor }): Promise<CostSyncRequest> {
  if (!can(actor, "cost:sync")) {
    await recordAuditEvent(getPrisma(), { actor, action: "cost.sync", resourceType: "cost", resourceId: "sync", outcome: "denied" });
    throw forbidden("cost:sync");
  }
  const jobId = await enqueue("cost.sync", { force: true });
  await recordAuditEvent(getPrisma(), { actor, action: "cost.sync", resourceType: "cost", resourceId: "sync", outcome: "success", after: { jobId } });
  return jobId
    ? { jobId, message: "A cost sync is queued. Figures update when it finishes, in a few minutes." }
    : { jobId: null, message: "A cost sync is already queued or running; its figures will show when it finishes." };
}

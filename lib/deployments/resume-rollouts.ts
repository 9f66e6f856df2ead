// The sweep: a deployment that holds its rollout slot ("applying" or
// "progressing") must have a job. One whose enqueue failed after its
// transaction committed gets one here; a job already queued or running for
// it makes the enqueue a no-op (one job per deployment, by singleton key).
import { getPrisma } from "@/lib/db/client";
import { enqueue } from "@/lib/jobs/enqueue";

export async function resumeRollouts(): Promise<number> {
  const rows = await getPrisma().deployment.findMany({ where: { status: { in: ["applying", "progressing"] } }, select: { id: true }, take: 1000 });
  let enqueued = 0;
  for (const row of rows) if (await enqueue("deployment.rollout", { deploymentId: row.id }, { singletonKey: row.id })) enqueued += 1;
  return enqueued;
}
